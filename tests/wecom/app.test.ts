/** Self-built app callback (/wecom/app) and API client against the fake WeCom, with a stub bot. */
import { describe, expect, it } from 'vitest';
import { createWecom, readWecomConfig, type Wecom } from '../../src/channels/wecom/index.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { appEventXml, appTextXml, openAppReply, post, prepareAppPost, verifyUrl, type CallbackKeys } from '../fakes/wecom-client.js';
import { KEYS, echoBot, listen, sleep, fakeWecomEnv } from './helpers.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

const cleanups = cleanupsAfterEach();

async function setup(opts: { delayMs?: number; deadlineMs?: number; now?: () => number; corpId?: string; token?: string; aesKey?: string; text?: (m: { text: string }) => string; expiresIn?: number } = {}) {
  const fake = await startFakeWecom({ corpId: opts.corpId, expiresIn: opts.expiresIn });
  cleanups.push(() => fake.close());
  const config = readWecomConfig({
    WECOM_API_BASE: fake.url,
    WECOM_CORP_ID: fake.corpId,
    WECOM_APP_AGENT_ID: '1000002',
    WECOM_APP_SECRET: fake.corpSecret,
    WECOM_APP_TOKEN: opts.token ?? KEYS.appToken,
    WECOM_APP_AES_KEY: opts.aesKey ?? KEYS.appAesKey,
    WECOM_REPLY_DEADLINE_MS: String(opts.deadlineMs ?? 1500),
  })!;
  const bot = echoBot({ delayMs: opts.delayMs, text: opts.text });
  const wecom: Wecom = createWecom({ config, bot, now: opts.now });
  await wecom.start();
  cleanups.push(() => wecom.stop());
  const srv = await listen(wecom.router);
  cleanups.push(srv.close);
  const keys: CallbackKeys = { token: opts.token ?? KEYS.appToken, aesKey: opts.aesKey ?? KEYS.appAesKey, receiveId: fake.corpId };
  return { fake, wecom, bot, url: `${srv.url}/wecom/app`, keys };
}

describe('/wecom/app URL verification', () => {
  it('answers the official A-URL vector with the bare plaintext', async () => {
    const { url } = await setup({ corpId: 'wx5823bf96d3bd56c7', token: 'QDG6eK', now: () => 1409659589_000 });
    const q = 'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
    const res = await fetch(`${url}?${q}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
    // A '+' sent unencoded (read as a space) is put back.
    const res2 = await fetch(`${url}?${q.replace(/%2B/g, '+')}`);
    expect(await res2.text()).toBe('1616140317555161061');
  });

  it('answers a fresh verification; forged, missing or stale signatures get 401', async () => {
    const { url, keys } = await setup();
    const ok = await verifyUrl(url, keys, '1234567890123456789');
    expect(ok).toMatchObject({ status: 200, body: '1234567890123456789' });
    expect((await verifyUrl(url, keys, '1', { msg_signature: 'f'.repeat(40) })).status).toBe(401);
    expect((await verifyUrl(url, { ...keys, token: 'OtherToken' })).status).toBe(401);
    expect((await fetch(`${url}?echostr=abc`)).status).toBe(401);
    expect((await verifyUrl(url, keys, '1', { timestamp: String(Math.floor(Date.now() / 1000) - 3600) })).status).toBe(401);
  });

  it('rejects an echostr encrypted for another CorpID', async () => {
    const { url, keys } = await setup();
    expect((await verifyUrl(url, { ...keys, receiveId: 'wwSomeoneElse' })).status).toBe(401);
  });
});

describe('/wecom/app messages', () => {
  it('decrypts the official A-POST vector and answers "hello" with an encrypted passive reply', async () => {
    const { url, bot } = await setup({ corpId: 'wx5823bf96d3bd56c7', token: 'QDG6eK', now: () => 1409659813_000 });
    const body =
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>';
    const res = await post({ url: `${url}?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149`, body, params: {} as never });
    expect(res.status).toBe(200);
    expect(bot.asked[0]).toMatchObject({ channel: 'wecom-app', chatId: 'mycreate', userId: 'mycreate', chatType: 'private', text: 'hello', messageId: '4561255354251345929' });
    const reply = openAppReply({ token: 'QDG6eK', aesKey: KEYS.appAesKey, receiveId: 'wx5823bf96d3bd56c7' }, res.body);
    expect(reply).toMatchObject({ ToUserName: 'mycreate', FromUserName: 'wx5823bf96d3bd56c7', MsgType: 'text', Content: '答：hello' });
  });

  it('a retried callback (same MsgId) is answered once; the retry gets an empty 200', async () => {
    const { url, keys, bot, fake } = await setup();
    const p = prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'zhangsan', content: '法院有哪些任务', msgId: '7000000000000000001' }));
    const a = await post(p);
    const b = await post(p);
    expect(openAppReply(keys, a.body).Content).toBe('答：法院有哪些任务');
    expect(b).toEqual({ status: 200, body: '' });
    expect(bot.asked).toHaveLength(1);
  });

  it('forged signature, missing signature, stale timestamp → 401 and nothing processed', async () => {
    const { url, keys, bot, fake } = await setup();
    const xml = appTextXml(fake.corpId, { from: 'zhangsan', content: '伪造' });
    expect((await post(prepareAppPost(url, keys, xml, { msg_signature: '0'.repeat(40) }))).status).toBe(401);
    expect((await post(prepareAppPost(url, { ...keys, token: 'WrongToken' }, xml))).status).toBe(401);
    const p = prepareAppPost(url, keys, xml);
    expect((await post({ ...p, url: p.url.split('?')[0] })).status).toBe(401);
    expect((await post(prepareAppPost(url, keys, xml, { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }))).status).toBe(401);
    // Encrypted for another corp, correctly signed.
    expect((await post(prepareAppPost(url, { ...keys, receiveId: 'wwOther' }, xml))).status).toBe(401);
    expect(bot.asked).toHaveLength(0);
  });

  it('malformed XML and JSON bodies → 400, oversized → 413, never 500', async () => {
    const { url, keys, bot } = await setup();
    const p = prepareAppPost(url, keys, '<xml>');
    expect((await post({ ...p, body: '<xml><Encrypt>' })).status).toBe(400);
    expect((await post({ ...p, body: '{"encrypt":"x"}' }, 'application/json')).status).toBe(400);
    expect((await post({ ...p, body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><xml><Encrypt>&a;</Encrypt></xml>' })).status).toBe(400);
    // Signed and encrypted, but the plaintext is not XML.
    expect((await post(p)).status).toBe(400);
    expect((await post({ ...p, body: `<xml><Encrypt>${'A'.repeat(100_000)}</Encrypt></xml>` })).status).toBe(413);
    expect(bot.asked).toHaveLength(0);
  });

  it('enter_agent gets a short help; its retry (same FromUserName + CreateTime) is not answered twice', async () => {
    const { url, keys, fake } = await setup();
    const p = prepareAppPost(url, keys, appEventXml(fake.corpId, 'lisi', 'enter_agent', 1_700_000_000));
    const a = await post(p);
    expect(openAppReply(keys, a.body).Content).toContain('督办助手');
    expect((await post(p)).body).toBe('');
  });

  it('a slow answer: empty 200 before the deadline, then message/send (token fetched once)', async () => {
    const { url, keys, fake, wecom } = await setup({ delayMs: 400, deadlineMs: 100 });
    const t0 = Date.now();
    const res = await post(prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'wangwu', content: '慢问题' })));
    expect(res).toEqual({ status: 200, body: '' });
    expect(Date.now() - t0).toBeLessThan(380);
    await wecom.idle();
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0].body).toMatchObject({ touser: 'wangwu', agentid: 1000002, msgtype: 'text', text: { content: '答：慢问题' } });
    expect(fake.tokenCalls).toBe(1);
  });

  it('an answer over 2048 bytes: first part passively, the rest through message/send', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `第${i + 1}行：这是一段比较长的回答内容，用来超过两千字节。`).join('\n');
    const { url, keys, fake, wecom } = await setup({ text: () => long });
    const res = await post(prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'zhaoliu', content: '长' })));
    const first = openAppReply(keys, res.body).Content;
    expect(Buffer.byteLength(first)).toBeLessThanOrEqual(2048);
    await wecom.idle();
    const rest = fake.messages.map((m) => m.body.text.content as string);
    expect(rest.length).toBeGreaterThan(0);
    expect([first, ...rest].join('\n')).toBe(long);
  });
});

describe('API client and the wecom-app OutboundChannel', () => {
  it('caches the token, refreshes once on 42001 / 40014, one refresh in flight at a time', async () => {
    const { fake, wecom } = await setup();
    const ch = wecom.outbound.find((c) => c.name === 'wecom-app')!;
    expect(await ch.send('u1', '提醒一')).toEqual({ ok: true, remoteId: expect.any(String) });
    expect(await ch.send('u1', '提醒二')).toMatchObject({ ok: true });
    expect(fake.tokenCalls).toBe(1);
    fake.expireTokens(42001);
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => ch.send('u2', `并发${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.tokenCalls).toBe(2);
    fake.expireTokens(40014);
    expect(await ch.send('u3', '再来')).toMatchObject({ ok: true });
    expect(fake.tokenCalls).toBe(3);
    expect(fake.messages).toHaveLength(8);
  });

  it('refreshes shortly before expiry', async () => {
    const { fake, wecom } = await setup({ expiresIn: 2 });
    await wecom.api!.sendText('u1', 'a');
    await sleep(1100); // lifetime 2 s, margin = half → refresh after 1 s
    await wecom.api!.sendText('u1', 'b');
    expect(fake.tokenCalls).toBe(2);
  });

  it('maps errors: bad secret (40001) and -1 are not thrown, 81013 is permanent, 45009 waits', async () => {
    const { fake, wecom } = await setup();
    const ch = wecom.outbound.find((c) => c.name === 'wecom-app')!;
    fake.failGettoken(40001);
    expect(await ch.send('u1', 'x')).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('40001') });
    fake.failNextSend(81013);
    expect(await ch.send('u1', 'x')).toMatchObject({ ok: false, permanent: true });
    fake.failNextSend(45009);
    expect(await ch.send('u1', 'x')).toMatchObject({ ok: false, permanent: false, retryAfterMs: 60_000 });
    fake.failNextSend(-1);
    expect(await ch.send('u1', 'x')).toMatchObject({ ok: false, permanent: false });
    expect(await ch.send('u1', 'x')).toMatchObject({ ok: true });
  });
});

describe('delivery edge cases', () => {
  it('WeCom hung up before the answer was ready: the answer goes through message/send instead', async () => {
    const { url, keys, fake, wecom } = await setup({ delayMs: 300, deadlineMs: 2000 });
    const p = prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'hangup', content: '断开' }));
    const ac = new AbortController();
    const pending = fetch(p.url, { method: 'POST', body: p.body, signal: ac.signal }).catch(() => undefined);
    await sleep(80);
    ac.abort();
    await pending;
    await sleep(350);
    await wecom.idle();
    expect(fake.messages.map((m) => [m.body.touser, m.body.text.content])).toEqual([['hangup', '答：断开']]);
  });

  it('with the state store, a retry after a restart is still recognised (durable dedupe)', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadPlan } = await import('../../src/plan/load.js');
    const { openStore } = await import('../../src/state/store.js');
    const fake = await startFakeWecom();
    cleanups.push(() => fake.close());
    const dir = await mkdtemp(path.join(tmpdir(), 'wecom-dedupe-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const loaded = loadPlan();
    const env = { WECOM_API_BASE: fake.url, WECOM_CORP_ID: fake.corpId, WECOM_APP_AGENT_ID: '1000002', WECOM_APP_SECRET: fake.corpSecret, WECOM_APP_TOKEN: KEYS.appToken, WECOM_APP_AES_KEY: KEYS.appAesKey };
    const keys: CallbackKeys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
    const xml = appTextXml(fake.corpId, { from: 'u9', content: '问题', msgId: '9100000000000000009' });
    let calls = 0;
    for (let round = 0; round < 2; round++) {
      const store = await openStore({ dir, loaded, lock: false, fsync: false });
      const bot = echoBot();
      const wecom = createWecom({ config: readWecomConfig(env)!, bot, store });
      const srv = await listen(wecom.router);
      const res = await post(prepareAppPost(`${srv.url}/wecom/app`, keys, xml));
      expect(res.status).toBe(200);
      calls += bot.asked.length;
      await wecom.stop();
      await srv.close();
      await store.close();
    }
    expect(calls).toBe(1);
  });
});

describe('WECOM_HTTP_PROXY', () => {
  it('gettoken and message/send go through the proxy (CONNECT tunnel)', async () => {
    const { createServer } = await import('node:http');
    const net = await import('node:net');
    const tunnels: string[] = [];
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      tunnels.push(String(req.url));
      const [host, port] = String(req.url).split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => { proxy.closeAllConnections?.(); proxy.close(() => r()); }));
    const fake = await startFakeWecom();
    cleanups.push(() => fake.close());
    const { port } = proxy.address() as { port: number };
    const config = readWecomConfig({ WECOM_API_BASE: fake.url, WECOM_HTTP_PROXY: `http://127.0.0.1:${port}`, WECOM_CORP_ID: fake.corpId, WECOM_APP_AGENT_ID: '1000002', WECOM_APP_SECRET: fake.corpSecret, WECOM_APP_TOKEN: KEYS.appToken, WECOM_APP_AES_KEY: KEYS.appAesKey })!;
    const wecom = createWecom({ config, bot: echoBot() });
    cleanups.push(() => wecom.stop());
    expect(await wecom.api!.sendText('u1', '经代理')).toMatchObject({ ok: true });
    expect(fake.messages).toHaveLength(1);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels[0]).toBe(new URL(fake.url).host);
  });
});

describe('shutdown', () => {
  it('after stop(), callbacks get 503 (WeCom retries) and reach no bot', async () => {
    const { url, keys, fake, wecom, bot } = await setup();
    await wecom.stop();
    const res = await post(prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'late', content: '关机中' })));
    expect(res.status).toBe(503);
    expect(bot.asked).toHaveLength(0);
  });
});

describe('logging', () => {
  it('never logs the app secret, token, AES key or access tokens, even on failures', async () => {
    const { Writable } = await import('node:stream');
    const { pino } = await import('pino');
    const fake = await startFakeWecom();
    cleanups.push(() => fake.close());
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
    const config = readWecomConfig({ WECOM_API_BASE: fake.url, WECOM_CORP_ID: fake.corpId, WECOM_APP_AGENT_ID: '1000002', WECOM_APP_SECRET: fake.corpSecret, WECOM_APP_TOKEN: KEYS.appToken, WECOM_APP_AES_KEY: KEYS.appAesKey, WECOM_REPLY_DEADLINE_MS: '50' })!;
    const wecom = createWecom({ config, bot: echoBot({ delayMs: 120 }), log });
    await wecom.start();
    cleanups.push(() => wecom.stop());
    const srv = await listen(wecom.router);
    cleanups.push(srv.close);
    const url = `${srv.url}/wecom/app`;
    const keys: CallbackKeys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
    await verifyUrl(url, keys);
    await post(prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'a', content: 'x' }), { msg_signature: '1'.repeat(40) }));
    await post(prepareAppPost(url, { ...keys, receiveId: 'wwOther' }, appTextXml(fake.corpId, { from: 'a', content: 'x' })));
    fake.failGettoken(40001);
    await post(prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'slow', content: '慢' })));
    await wecom.idle();
    fake.expireTokens();
    await wecom.api!.sendText('b', 'y');
    const all = lines.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [fake.corpSecret, KEYS.appToken, KEYS.appAesKey]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/access_token=(?!\[redacted\])/);
  });
});

describe('/wecom/app with the durable outbox (as the server runs it)', () => {
  async function setupWithOutbox(text: string) {
    const { createReminderService } = await import('../../src/reminders/service.js');
    const { defaultReminderConfig } = await import('../../src/reminders/config.js');
    const { withStore, plan } = await import('../state/helpers.js');
    const fake = await startFakeWecom();
    cleanups.push(() => fake.close());
    const env = await withStore();
    cleanups.push(env.cleanup);
    const config = readWecomConfig({
      ...fakeWecomEnv(fake),
    })!;
    let reminders: Awaited<ReturnType<typeof createReminderService>> | undefined;
    const wecom = createWecom({ config, bot: echoBot({ text: () => text }), store: env.store, deliverLater: (row) => reminders!.deliver(row) });
    reminders = createReminderService({
      store: env.store,
      channels: wecom.outbound,
      config: { ...defaultReminderConfig(), enabled: false, retryBaseMs: 20 },
      holidays: { days: {} },
    });
    await wecom.start();
    await reminders.start();
    cleanups.push(() => reminders!.stop());
    cleanups.push(() => wecom.stop());
    const srv = await listen(wecom.router);
    cleanups.push(srv.close);
    const keys: CallbackKeys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
    return { fake, store: env.store, reminders, url: `${srv.url}/wecom/app`, keys };
  }

  it('an answer over 2048 bytes whose next part WeCom refuses once (system busy) still arrives whole and in order, retried from the outbox', async () => {
    const long = Array.from({ length: 90 }, (_, i) => `第${i + 1}行：这是一段比较长的回答内容，用来超过两千字节。`).join('\n');
    const { fake, store, reminders, url, keys } = await setupWithOutbox(long);
    fake.failNextSend(-1);
    const res = await post(prepareAppPost(url, keys, appTextXml(fake.corpId, { from: 'zhaoliu', content: '长', msgId: '7000001' })));
    const first = openAppReply(keys, res.body).Content;
    expect(Buffer.byteLength(first)).toBeLessThanOrEqual(2048);
    const { splitText } = await import('../../src/core/split.js');
    const { APP_LIMIT } = await import('../../src/channels/wecom/app.js');
    const parts = splitText(splitText(long, APP_LIMIT).slice(1).join('\n'), APP_LIMIT).length;
    await fake.waitFor(() => fake.messages.length >= parts, 20_000);
    expect(await reminders.idle()).toBe(true);
    expect(store.outboxRow('reply:wecom-app:zhaoliu:7000001')).toMatchObject({ kind: 'reply', chatId: 'zhaoliu', status: 'sent', attempts: 1 }); // one refused send; attempts counts failures
    const rest = fake.messages.map((m) => m.body.text.content as string);
    expect(rest.length).toBeGreaterThan(1);
    expect([first, ...rest].join('\n')).toBe(long);
  });
});
