import { config as loadDotenv } from 'dotenv';
import { ConfigError } from './core/env.js';
import { log, logFormat } from './core/log.js';

// .env is optional; real environment variables win over it.
loadDotenv({ quiet: true });
process.env.DOTENV_CONFIG_QUIET ??= 'true';

const { startServer } = await import('./server/start.js');
const { startupBlock } = await import('./server/banner.js');
const { StoreError } = await import('./state/store.js');

// The signal handlers come first: a SIGTERM right after "ready" is logged (or during start-up) must stop the server
// cleanly, not kill it before main has installed them.
let server: ReturnType<typeof startServer> | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, '正在停止（shutting down）');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  // (a signal during start-up: stop once it has finished, so that the store is closed and its lock released)
  const running = await server?.catch(() => undefined);
  await running?.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  server = startServer();
  const running = await server;
  if (logFormat() === 'pretty') process.stdout.write(startupBlock(running));
} catch (err) {
  if (err instanceof ConfigError || err instanceof StoreError) {
    console.error(err.message);
  } else {
    log.fatal({ err }, 'start-up failed');
    console.error(`启动失败: ${(err as Error).message}`);
  }
  process.exit(1);
}
