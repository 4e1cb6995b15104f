/** The whole server (startServer) with every WeCom way in enabled against the fake WeCom. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../../src/server/start.js';
import { webhookChatId } from '../../src/channels/wecom/index.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { appTextXml, openAppReply, openBotReply, post, prepareAppPost, prepareBotPost, verifyUrl } from '../fakes/wecom-client.js';
import { KEYS } from './helpers.js';

const BOT = { botId: 'aibServerBot', secret: 'server-bot-secret' };
const HOOK = 'abcdef01-2345-6789-abcd-ef0123456789';
let fake: FakeWecom;
let running: Running;
let dir: string;

beforeAll(async () => {
  fake = await startFakeWecom({ bots: [BOT], webhookKeys: [HOOK] });
  dir = await mkdtemp(path.join(tmpdir(), 'wecom-server-'));
  running = await startServer({
    env: {
      PORT: '0',
      DATA_DIR: dir,
      WECOM_API_BASE: fake.url,
      WECOM_BOT_ID: BOT.botId,
      WECOM_BOT_SECRET: BOT.secret,
      WECOM_BOT_WS_URL: fake.wsUrl,
      WECOM_BOT_TOKEN: KEYS.botToken,
      WECOM_BOT_AES_KEY: KEYS.botAesKey,
      WECOM_CORP_ID: fake.corpId,
      WECOM_APP_AGENT_ID: '1000002',
      WECOM_APP_SECRET: fake.corpSecret,
      WECOM_APP_TOKEN: KEYS.appToken,
      WECOM_APP_AES_KEY: KEYS.appAesKey,
      WECOM_WEBHOOK_BINDINGS: `总工会:${HOOK}`,
      WECOM_ADMIN_USERIDS: 'admin01',
    },
    scheduler: false,
  });
});

afterAll(async () => {
  await running?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('WeCom inside the server', () => {
  it('mounts /wecom/app and /wecom/bot behind the real express app', async () => {
    const appKeys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
    expect(await verifyUrl(`${running.url}/wecom/app`, appKeys, '42')).toMatchObject({ status: 200, body: '42' });
    const p = prepareAppPost(`${running.url}/wecom/app`, appKeys, appTextXml(fake.corpId, { from: 'lisi', content: '第48项是什么' }));
    const res = await post(p);
    expect(openAppReply(appKeys, res.body).Content).toContain('第48项');
    const botKeys = { token: KEYS.botToken, aesKey: KEYS.botAesKey, receiveId: '' };
    const b = prepareBotPost(`${running.url}/wecom/bot`, botKeys, { msgid: 'srv-1', aibotid: BOT.botId, chattype: 'single', from: { userid: 'u1' }, msgtype: 'text', text: { content: '谁负责调解员培训?' } });
    const r = openBotReply(botKeys, (await post(b, 'application/json')).body, b.params.nonce);
    expect(r.stream.content).toContain('第48项');
    expect((await post({ ...b, body: 'not json' }, 'application/json')).status).toBe(400);
  });

  it('answers over the long connection and registers the configured webhook group', async () => {
    await fake.waitFor(() => fake.connections() === 1);
    const reqId = fake.pushMessage({ chattype: 'group', chatid: 'wrSrv', userid: 'zhangsan', text: '@督办助手 谁负责调解员培训?' });
    expect((await fake.waitForReply(reqId)).body?.stream?.content).toContain('第48项');
    expect(running.store.bindingsForDepartment('总工会').map((b) => b.chatId)).toContain(webhookChatId('总工会', HOOK));
  });

  it('an administrator (WECOM_ADMIN_USERIDS) binds a group with "@督办助手 /bind 法院"; others may not', async () => {
    const denied = fake.pushMessage({ chattype: 'group', chatid: 'wrFayuan', userid: 'someone', text: '@督办助手 /bind 法院' });
    await fake.waitForReply(denied);
    expect(running.store.bindingFor('wecom-bot', 'wrFayuan')).toBeUndefined();
    const ok = fake.pushMessage({ chattype: 'group', chatid: 'wrFayuan', userid: 'admin01', text: '@督办助手 /bind 法院' });
    expect((await fake.waitForReply(ok)).body?.stream?.content).toContain('法院');
    expect(running.store.bindingFor('wecom-bot', 'wrFayuan')).toMatchObject({ role: 'department', department: '法院', active: true });
  });
});

describe('the weekly digest reaches the department’s webhook group exactly once', () => {
  const digests = () => (fake.webhook.get(HOOK) ?? []).filter((r) => JSON.stringify(r.body).includes('督办周报'));

  it('sends it on the first tick, and neither a second tick nor a restart sends it again', async () => {
    // Monday 2026-12-07, 10:00 in Shanghai: the digests planned for about 09:10 are due.
    let now = new Date('2026-12-07T10:00:00+08:00');
    const clock = () => now;
    const stateDir = await mkdtemp(path.join(tmpdir(), 'wecom-digest-'));
    const env = { PORT: '0', DATA_DIR: stateDir, WECOM_API_BASE: fake.url, WECOM_WEBHOOK_BINDINGS: `总工会:${HOOK}` };
    let server = await startServer({ env, scheduler: false, clock });
    try {
      await server.reminders.start();
      await server.reminders.tick(now);
      await server.reminders.idle(10_000);
      expect(digests()).toHaveLength(1);
      expect(JSON.stringify(digests()[0].body)).toContain('总工会');

      now = new Date(now.getTime() + 60_000);
      await server.reminders.tick(now);
      await server.reminders.idle(10_000);
      await server.close();

      now = new Date(now.getTime() + 5 * 60_000);
      server = await startServer({ env, scheduler: false, clock });
      await server.reminders.start();
      await server.reminders.tick(now);
      await server.reminders.idle(10_000);
      expect(digests()).toHaveLength(1);
    } finally {
      await server.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
