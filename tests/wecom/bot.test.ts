/** Smart bot: long connection through the official SDK against the fake aibot WebSocket, and the JSON callback. */
import { describe, expect, it } from 'vitest';
import { createWecom, readWecomConfig, type Wecom } from '../../src/channels/wecom/index.js';
import { stripMention } from '../../src/channels/wecom/format.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { openBotReply, post, prepareBotPost, verifyUrl, type CallbackKeys } from '../fakes/wecom-client.js';
import { KEYS, echoBot, listen, sleep } from './helpers.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

const cleanups = cleanupsAfterEach();

const BOT = { botId: 'aibFakeBot01', secret: 'fake-bot-secret-xyz' };

async function wsSetup(opts: { secret?: string; startTimeoutMs?: number } = {}) {
  const fake = await startFakeWecom({ bots: [BOT] });
  cleanups.push(() => fake.close());
  const config = readWecomConfig({ WECOM_BOT_ID: BOT.botId, WECOM_BOT_SECRET: opts.secret ?? BOT.secret, WECOM_BOT_WS_URL: fake.wsUrl, WECOM_BOT_NAME: '督办助手' })!;
  const bot = echoBot();
  const wecom = createWecom({ config, bot, ws: { reconnectBaseMs: 50, heartbeatMs: 200, startTimeoutMs: opts.startTimeoutMs ?? 5000 } });
  cleanups.push(() => wecom.stop());
  await wecom.start();
  return { fake, wecom, bot };
}

describe('mention stripping', () => {
  it('removes the leading @mention and the configured name', () => {
    expect(stripMention('@督办助手 谁负责调解员培训?')).toBe('谁负责调解员培训?');
    expect(stripMention('@督办助手\u2005/bind 法院', '督办助手')).toBe('/bind 法院');
    expect(stripMention('请问 @督办助手 第48项', '督办助手')).toBe('请问 第48项');
    expect(stripMention('@督办 助手 第48项', '督办 助手')).toBe('第48项');
    expect(stripMention('第48项')).toBe('第48项');
  });
});

describe('smart bot long connection', () => {
  it('subscribes, answers a group @-mention on the callback req_id with a finished stream, sends heartbeats', async () => {
    const { fake, bot } = await wsSetup();
    expect(fake.connections()).toBe(1);
    const reqId = fake.pushMessage({ chattype: 'group', chatid: 'wrGroup001', userid: 'zhangsan', text: '@督办助手 法院有哪些任务' });
    const reply = await fake.waitForReply(reqId);
    expect(reply.cmd).toBe('aibot_respond_msg');
    expect(reply.body).toMatchObject({ msgtype: 'stream', stream: { finish: true, content: '答：法院有哪些任务' } });
    expect(bot.asked[0]).toMatchObject({ channel: 'wecom-bot', chatId: 'wrGroup001', chatType: 'group', userId: 'zhangsan', text: '法院有哪些任务' });
    await fake.waitFor(() => fake.pings >= 1, 3000);
  });

  it('a private message uses the user id as chat id; enter_chat gets the welcome', async () => {
    const { fake, bot } = await wsSetup();
    const r1 = fake.pushMessage({ chattype: 'single', userid: 'lisi', text: '第48项' });
    await fake.waitForReply(r1);
    expect(bot.asked[0]).toMatchObject({ chatId: 'lisi', chatType: 'private' });
    const r2 = fake.pushEvent({ eventtype: 'enter_chat', userid: 'lisi' });
    const w = await fake.waitForReply(r2);
    expect(w.cmd).toBe('aibot_respond_welcome_msg');
    expect(w.body?.text?.content).toContain('督办助手');
  });

  it('a repeated msgid is answered once', async () => {
    const { fake, bot, wecom } = await wsSetup();
    const a = fake.pushMessage({ chattype: 'single', userid: 'u1', text: '一', msgid: 'dup-1' });
    await fake.waitForReply(a);
    fake.pushMessage({ chattype: 'single', userid: 'u1', text: '一', msgid: 'dup-1' });
    await sleep(150);
    await wecom.idle();
    expect(bot.asked).toHaveLength(1);
  });

  it('reconnects with backoff after the connection drops and answers again', async () => {
    const { fake } = await wsSetup();
    const before = fake.subscribes;
    fake.dropConnections();
    await fake.waitFor(() => fake.subscribes > before && fake.connections() === 1, 5000);
    const reqId = fake.pushMessage({ chattype: 'single', userid: 'u2', text: '还在吗' });
    expect((await fake.waitForReply(reqId)).body?.stream?.content).toBe('答：还在吗');
  });

  it("'wecom-bot' OutboundChannel: proactive markdown into a chat that used the bot; not connected → retry later", async () => {
    const { fake, wecom } = await wsSetup();
    const ch = wecom.outbound.find((c) => c.name === 'wecom-bot')!;
    expect(ch).toMatchObject({ perDestinationPerMinute: 20, limit: { max: 20480, measure: 'bytes' } });
    const r = fake.pushMessage({ chattype: 'group', chatid: 'wrDept1', userid: 'u3', text: '/bind 法院' });
    await fake.waitForReply(r);
    expect(await ch.send('wrDept1', '【到期提醒】\n第48项 3 天后到期')).toEqual({ ok: true });
    const sent = fake.frames.find((f) => f.cmd === 'aibot_send_msg')!;
    expect(sent.body).toMatchObject({ chatid: 'wrDept1', msgtype: 'markdown', markdown: { content: '**【到期提醒】**\n第48项 3 天后到期' } });
    expect(await ch.send('wrNeverUsed', 'x')).toMatchObject({ ok: false, permanent: false });
    await wecom.stop();
    expect(await ch.send('wrDept1', 'x')).toMatchObject({ ok: false, permanent: false, retryAfterMs: expect.any(Number) });
  });

  it('one connection per bot: a second instance kicks the first, which does not fight back', async () => {
    const { fake } = await wsSetup();
    const config = readWecomConfig({ WECOM_BOT_ID: BOT.botId, WECOM_BOT_SECRET: BOT.secret, WECOM_BOT_WS_URL: fake.wsUrl })!;
    const second = createWecom({ config, bot: echoBot(), ws: { reconnectBaseMs: 50, heartbeatMs: 200 } });
    cleanups.push(() => second.stop());
    await second.start();
    await sleep(400);
    expect(fake.connections()).toBe(1);
    expect(second.botWs!.connected).toBe(true);
    const subs = fake.subscribes;
    await sleep(300);
    expect(fake.subscribes).toBe(subs);
  });

  it('a wrong secret does not throw from start()', async () => {
    const { fake, wecom } = await wsSetup({ secret: 'wrong', startTimeoutMs: 300 });
    expect(wecom.botWs!.connected).toBe(false);
    expect(fake.connections()).toBe(0);
  });
});

describe('smart bot JSON callback (/wecom/bot)', () => {
  async function hookSetup(delayMs = 0, deadlineMs = 1500) {
    const config = readWecomConfig({ WECOM_BOT_TOKEN: KEYS.botToken, WECOM_BOT_AES_KEY: KEYS.botAesKey, WECOM_REPLY_DEADLINE_MS: String(deadlineMs) })!;
    const bot = echoBot({ delayMs });
    const wecom: Wecom = createWecom({ config, bot });
    await wecom.start();
    cleanups.push(() => wecom.stop());
    const srv = await listen(wecom.router);
    cleanups.push(srv.close);
    const keys: CallbackKeys = { token: KEYS.botToken, aesKey: KEYS.botAesKey, receiveId: '' };
    return { url: `${srv.url}/wecom/bot`, keys, bot };
  }
  const text = (content: string, msgid = `m${Math.random()}`) => ({ msgid, aibotid: 'aib1', chatid: 'wrG1', chattype: 'group', from: { userid: 'zhangsan' }, msgtype: 'text', text: { content } });

  it('URL verification with the empty receive id', async () => {
    const { url, keys } = await hookSetup();
    expect(await verifyUrl(url, keys, '987654321')).toMatchObject({ status: 200, body: '987654321' });
    expect((await verifyUrl(url, keys, '1', { msg_signature: 'a'.repeat(40) })).status).toBe(401);
  });

  it('answers with an encrypted stream reply (nonce echoed); a retry is answered once', async () => {
    const { url, keys, bot } = await hookSetup();
    const p = prepareBotPost(url, keys, text('@督办助手 谁负责调解员培训?', 'msg-1'));
    const res = await post(p, 'application/json');
    expect(res.status).toBe(200);
    const reply = openBotReply(keys, res.body, p.params.nonce);
    expect(reply).toMatchObject({ msgtype: 'stream', stream: { finish: true, content: '答：谁负责调解员培训?' } });
    expect((await post(p, 'application/json')).body).toBe('');
    expect(bot.asked).toHaveLength(1);
    expect(bot.asked[0]).toMatchObject({ channel: 'wecom-bot', chatId: 'wrG1', chatType: 'group' });
  });

  it('a slow answer starts an unfinished stream and is delivered on the refresh callback', async () => {
    const { url, keys } = await hookSetup(300, 60);
    const p = prepareBotPost(url, keys, text('慢'));
    const first = openBotReply(keys, (await post(p, 'application/json')).body, p.params.nonce);
    expect(first.stream.finish).toBe(false);
    const poll = () => prepareBotPost(url, keys, { msgid: `r${Math.random()}`, aibotid: 'aib1', chattype: 'group', chatid: 'wrG1', from: { userid: 'zhangsan' }, msgtype: 'stream', stream: { id: first.stream.id } });
    const p2 = poll();
    expect(openBotReply(keys, (await post(p2, 'application/json')).body, p2.params.nonce).stream.finish).toBe(false);
    await sleep(350);
    const p3 = poll();
    expect(openBotReply(keys, (await post(p3, 'application/json')).body, p3.params.nonce).stream).toMatchObject({ id: first.stream.id, finish: true, content: '答：慢' });
  });

  it('forged → 401, malformed JSON → 400, enter_chat → welcome text', async () => {
    const { url, keys, bot } = await hookSetup();
    expect((await post(prepareBotPost(url, keys, text('x'), { msg_signature: 'b'.repeat(40) }), 'application/json')).status).toBe(401);
    const p = prepareBotPost(url, keys, text('x'));
    expect((await post({ ...p, body: '{"encrypt":' }, 'application/json')).status).toBe(400);
    expect((await post({ ...p, body: '<xml/>' })).status).toBe(400);
    expect(bot.asked).toHaveLength(0);
    const e = prepareBotPost(url, keys, { msgid: 'ev1', aibotid: 'aib1', chattype: 'single', from: { userid: 'u1' }, msgtype: 'event', event: { eventtype: 'enter_chat' } });
    expect(openBotReply(keys, (await post(e, 'application/json')).body, e.params.nonce)).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('督办助手') } });
  });
});
