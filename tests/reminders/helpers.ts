import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelName, OutboundChannel, SendResult } from '../../src/core/types.js';

export interface Sent {
  chatId: string;
  text: string;
  at: number;
}

/** An in-memory channel; `respond` decides each result (default ok). */
export function fakeChannel(
  name: ChannelName,
  opts: { perMinute?: number; respond?: (n: number, chatId: string, text: string) => SendResult | Promise<SendResult> } = {},
): OutboundChannel & { sent: Sent[]; calls: number } {
  const ch = {
    name,
    limit: { max: 4000, measure: 'chars' as const },
    perDestinationPerMinute: opts.perMinute ?? 600,
    sent: [] as Sent[],
    calls: 0,
    async send(chatId: string, text: string): Promise<SendResult> {
      ch.calls++;
      const r = (await opts.respond?.(ch.calls, chatId, text)) ?? { ok: true };
      if (r.ok) ch.sent.push({ chatId, text, at: performance.now() });
      return r;
    },
  };
  return ch;
}

/**
 * A real loopback HTTP "chat platform": POST /send {chatId, text}. `hold` keeps a request
 * unanswered (as if the process died while the request was on the wire).
 */
export async function fakeChatServer(): Promise<{
  url: string;
  received: Array<{ chatId: string; text: string }>;
  hold: (fn: ((body: { chatId: string; text: string }) => boolean) | undefined) => void;
  releaseHeld: () => void;
  close: () => Promise<void>;
  channel: (perMinute: number) => OutboundChannel;
}> {
  const received: Array<{ chatId: string; text: string }> = [];
  let holdFn: ((b: { chatId: string; text: string }) => boolean) | undefined;
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const b = JSON.parse(body) as { chatId: string; text: string };
      received.push(b);
      if (holdFn?.(b)) {
        held.push(res);
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, id: received.length }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    hold: (fn) => (holdFn = fn),
    releaseHeld: () => {
      for (const r of held.splice(0)) r.end(JSON.stringify({ ok: true }));
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
    channel: (perMinute) => ({
      name: 'telegram',
      limit: { max: 4096, measure: 'chars' },
      perDestinationPerMinute: perMinute,
      async send(chatId, text): Promise<SendResult> {
        try {
          const res = await fetch(`${url}/send`, { method: 'POST', body: JSON.stringify({ chatId, text }) });
          const j = (await res.json()) as { ok: boolean; id?: number };
          return j.ok ? { ok: true, remoteId: String(j.id) } : { ok: false, permanent: false, error: 'not ok' };
        } catch (err) {
          return { ok: false, permanent: false, error: (err as Error).message };
        }
      },
    }),
  };
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
