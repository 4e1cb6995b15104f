/** Junk never crashes a callback: every answer is 400/401/413, and nothing reaches the bot. */
import { randomBytes } from 'node:crypto';
import * as wx from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecom, readWecomConfig, type Wecom } from '../../src/channels/wecom/index.js';
import { sign } from '../fakes/wecom-client.js';
import { KEYS, echoBot, listen } from './helpers.js';

const CORP = 'wwfuzz0000corp';
let wecom: Wecom;
let base: string;
let close: () => Promise<void>;
const bot = echoBot();

beforeAll(async () => {
  wecom = createWecom({
    config: readWecomConfig({ WECOM_CORP_ID: CORP, WECOM_APP_AGENT_ID: '1', WECOM_APP_SECRET: 's', WECOM_APP_TOKEN: KEYS.appToken, WECOM_APP_AES_KEY: KEYS.appAesKey, WECOM_BOT_TOKEN: KEYS.botToken, WECOM_BOT_AES_KEY: KEYS.botAesKey, WECOM_API_BASE: 'http://127.0.0.1:9' })!,
    bot,
  });
  const srv = await listen(wecom.router);
  base = srv.url;
  close = srv.close;
});
afterAll(async () => {
  await wecom?.stop();
  await close?.();
});

describe('junk callbacks', () => {
  it('random bodies, signed or not, to both endpoints', async () => {
    const statuses = new Set<number>();
    const bodies = ['', 'null', '[]', '{}', '{"encrypt":1}', '<xml/>', '<xml><Encrypt/></xml>', '<xml><Encrypt>!!!</Encrypt></xml>', '\u0000\u0001', randomBytes(300).toString('latin1'), '<xml>'.repeat(1000), '{"encrypt":"' + 'A'.repeat(64) + '"}'];
    for (const path of ['/wecom/app', '/wecom/bot']) {
      const token = path === '/wecom/app' ? KEYS.appToken : KEYS.botToken;
      for (const body of bodies) {
        for (const signed of [false, true]) {
          const enc = /<Encrypt>([^<]*)</.exec(body)?.[1] ?? (/"encrypt":"([^"]*)"/.exec(body)?.[1] ?? '');
          const q = signed ? `?${new URLSearchParams(sign({ token, aesKey: '', receiveId: '' }, enc) as unknown as Record<string, string>)}` : '?msg_signature=x&timestamp=1&nonce=2';
          const res = await fetch(`${base}${path}${q}`, { method: 'POST', body, headers: { 'content-type': path === '/wecom/app' ? 'text/xml' : 'application/json' } });
          statuses.add(res.status);
          expect([400, 401, 413]).toContain(res.status);
        }
      }
    }
    // Correctly signed and encrypted, but the plaintext is not a message.
    for (const plain of ['[]', '42', 'null', '"x"', '{"msgtype":5}', '{}']) {
      const encrypt = wx.encrypt(KEYS.botAesKey, plain, '');
      const q = new URLSearchParams(sign({ token: KEYS.botToken, aesKey: KEYS.botAesKey, receiveId: '' }, encrypt) as unknown as Record<string, string>);
      const res = await fetch(`${base}/wecom/bot?${q}`, { method: 'POST', body: JSON.stringify({ encrypt }) });
      expect([200, 400]).toContain(res.status);
    }
    expect(bot.asked).toHaveLength(0);
    expect(statuses.has(500)).toBe(false);
  });
});
