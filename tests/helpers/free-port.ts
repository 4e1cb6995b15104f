import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on now, for a child process that must be told its port in advance.
 * (A random port in the ephemeral range can collide with an outgoing connection's local port.)
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
