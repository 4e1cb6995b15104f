/** "/hook 部门 地址": the coordinator registers a department group's robot at run time, in a private chat. */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load.js';
import { openStore } from '../../src/state/store.js';
import { StateHookKeys, createWecom, readWecomConfig, webhookChatId } from '../../src/channels/wecom/index.js';
import { sharedPostgres, stopSharedPostgres } from '../helpers/postgres.js';
import { startFakeWecom } from '../fakes/wecom-server.js';
import { appTextXml, openAppReply, post, prepareAppPost, prepareBotPost, openBotReply, type CallbackKeys } from '../fakes/wecom-client.js';
import { KEYS, echoBot, listen } from './helpers.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

const cleanups = cleanupsAfterEach();

const HOOK_KEY = 'cafe0001-2345-6789-abcd-ef0123456789';
afterAll(stopSharedPostgres, 60_000);

describe('/hook', () => {
  it('admin registers, lists and removes a group robot in a private chat; the key persists (0600) and is never echoed', async () => {
    const fake = await startFakeWecom({ webhookKeys: [HOOK_KEY] });
    cleanups.push(() => fake.close());
    const dir = await mkdtemp(path.join(tmpdir(), 'wecom-hooks-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const hooksFile = path.join(dir, 'wecom-webhooks.json');
    const loaded = loadPlan();
    const env = {
      WECOM_API_BASE: fake.url, WECOM_CORP_ID: fake.corpId, WECOM_APP_AGENT_ID: '1000002', WECOM_APP_SECRET: fake.corpSecret,
      WECOM_APP_TOKEN: KEYS.appToken, WECOM_APP_AES_KEY: KEYS.appAesKey, WECOM_BOT_TOKEN: KEYS.botToken, WECOM_BOT_AES_KEY: KEYS.botAesKey,
      WECOM_ADMIN_USERIDS: 'boss',
    };
    const appKeys: CallbackKeys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
    const botKeys: CallbackKeys = { token: KEYS.botToken, aesKey: KEYS.botAesKey, receiveId: '' };
    const chatId = webhookChatId('法院', HOOK_KEY);

    for (let round = 0; round < 2; round++) {
      const store = await openStore({ dir, loaded, lock: false, fsync: false });
      const bot = echoBot();
      const wecom = createWecom({ config: readWecomConfig(env)!, bot, store, hooksFile });
      await wecom.start();
      const srv = await listen(wecom.router);
      const ask = async (from: string, content: string) =>
        openAppReply(appKeys, (await post(prepareAppPost(`${srv.url}/wecom/app`, appKeys, appTextXml(fake.corpId, { from, content })))).body).Content;

      if (round === 0) {
        expect(await ask('someone', `/hook 法院 ${HOOK_KEY}`)).toContain('只有协调员或管理员');
        const ok = await ask('boss', `/hook 法院 ${fake.url}/cgi-bin/webhook/send?key=${HOOK_KEY}`);
        expect(ok).toContain('已登记「法院」');
        expect(ok).not.toContain(HOOK_KEY);
        expect(await ask('boss', '/hook 不存在部门 aaaaaaaa-bbbb')).toMatch(/未登记的部门|不认识/);
        expect(store.bindingFor('wecom-webhook', chatId)).toMatchObject({ role: 'department', department: '法院', active: true });
        expect((await stat(hooksFile)).mode & 0o777).toBe(0o600);
        expect(await readFile(hooksFile, 'utf8')).toContain(HOOK_KEY);
        // In a group the key would be seen by everyone: refused.
        const g = prepareBotPost(`${srv.url}/wecom/bot`, botKeys, { msgid: 'g1', aibotid: 'a', chattype: 'group', chatid: 'wrG', from: { userid: 'boss' }, msgtype: 'text', text: { content: `@督办助手 /hook 总工会 ${HOOK_KEY}` } });
        expect(openBotReply(botKeys, (await post(g, 'application/json')).body, g.params.nonce).stream.content).toContain('单聊');
        expect(bot.asked).toHaveLength(0);
      } else {
        // After a restart the key is known again: a reminder reaches the group.
        const ch = wecom.outbound.find((c) => c.name === 'wecom-webhook')!;
        expect(await ch.send(chatId, '【提醒】重启后')).toEqual({ ok: true });
        expect(fake.webhook.get(HOOK_KEY)).toHaveLength(1);
        expect(await ask('boss', '/hook')).toContain(chatId);
        expect(await ask('boss', '/unhook 法院')).toContain('已删除');
        expect(store.bindingFor('wecom-webhook', chatId)).toBeUndefined();
        expect(await ch.send(chatId, 'x')).toMatchObject({ ok: false, permanent: true });
        expect(await readFile(hooksFile, 'utf8')).not.toContain(HOOK_KEY);
      }
      await wecom.stop();
      await srv.close();
      await store.close();
    }
  });

  it('two instances on one PostgreSQL database: a robot added on A sends from B (the leader), and removed on B stops on A', async () => {
    const fake = await startFakeWecom({ webhookKeys: [HOOK_KEY] });
    cleanups.push(() => fake.close());
    const databaseUrl = await (await sharedPostgres()).createDatabase();
    const loaded = loadPlan();
    const env = {
      WECOM_API_BASE: fake.url, WECOM_CORP_ID: fake.corpId, WECOM_APP_AGENT_ID: '1000002', WECOM_APP_SECRET: fake.corpSecret,
      WECOM_APP_TOKEN: KEYS.appToken, WECOM_APP_AES_KEY: KEYS.appAesKey, WECOM_ADMIN_USERIDS: 'boss',
    };
    const appKeys: CallbackKeys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
    const chatId = webhookChatId('法院', HOOK_KEY);
    const instance = async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'wecom-hooks-pg-'));
      const store = await openStore({ dir, loaded, databaseUrl, fsync: false });
      // No hooks file: with a shared state the keys live in the database.
      const wecom = createWecom({ config: readWecomConfig(env)!, bot: echoBot(), store, hookKeys: new StateHookKeys(store) });
      await wecom.start();
      const srv = await listen(wecom.router);
      cleanups.push(async () => {
        await wecom.stop();
        await srv.close();
        await store.close();
        await rm(dir, { recursive: true, force: true });
      });
      const ask = async (content: string) =>
        openAppReply(appKeys, (await post(prepareAppPost(`${srv.url}/wecom/app`, appKeys, appTextXml(fake.corpId, { from: 'boss', content })))).body).Content;
      return { store, ask, dir, channel: wecom.outbound.find((c) => c.name === 'wecom-webhook')! };
    };
    const a = await instance();
    const b = await instance();

    const changed = new Promise<void>((resolve) => b.store.onChange(() => b.store.robotKeys()[chatId] && resolve()));
    expect(await a.ask(`/hook 法院 ${HOOK_KEY}`)).toContain('已登记「法院」');
    await changed;
    await expect.poll(async () => (await b.channel.send(chatId, '【提醒】从另一实例发出')).ok, { timeout: 10_000, interval: 100 }).toBe(true);
    expect(fake.webhook.get(HOOK_KEY)?.length).toBeGreaterThanOrEqual(1);

    const removed = new Promise<void>((resolve) => a.store.onChange(() => !a.store.robotKeys()[chatId] && resolve()));
    expect(await b.ask('/unhook 法院')).toContain('已删除');
    await removed;
    await expect.poll(async () => (await a.channel.send(chatId, 'x')).ok, { timeout: 10_000, interval: 100 }).toBe(false);
  }, 120_000);
});
