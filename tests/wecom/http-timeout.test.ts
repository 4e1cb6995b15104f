import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonFetch } from '../../src/channels/wecom/http.js';

describe('an outgoing WeCom call that gets no answer', () => {
  const servers: Array<ReturnType<typeof createServer>> = [];
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('gives up after the configured time (WECOM_HTTP_TIMEOUT_SECONDS), so the send counts as a failed attempt', async () => {
    const silent = createServer(() => {}); // reads the request, never answers
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const http = createJsonFetch({ timeoutMs: 150 });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/cgi-bin/webhook/send?key=k`;
    await expect(http(url, { body: { msgtype: 'text', text: { content: '提醒' } } })).rejects.toThrow(/timeout|aborted/i);
    await http.close();
  });
});
