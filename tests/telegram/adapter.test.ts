/**
 * The adapter with real telegraf against the fake Bot API, a stub Bot and the real state store:
 * polling, threading, dedupe across a restart, slow chats, failing replies, migration, webhook secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/core/bot.js';
import type { Message, Reply } from '../../src/core/types.js';
import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';
import { openStore, type StateStore } from '../../src/state/store.js';
import { createTelegram, telegramFromEnv, type TelegramChannel } from '../../src/channels/telegram/index.js';
import { readTelegramConfig } from '../../src/channels/telegram/config.js';
import { ERR, startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

let loaded: LoadedPlan;
beforeAll(() => {
  loaded = loadPlan();
});

const cleanups = cleanupsAfterEach();

function reply(text: string): Reply {
  return { text, intent: 'test', tasks: [], departments: [] };
}

/** Echo bot recording what it was asked; per-text delays. */
function stubBot(delays: Record<string, number> = {}): Bot & { seen: Message[] } {
  const seen: Message[] = [];
  return {
    seen,
    async handle(m) {
      seen.push(m);
      const d = delays[m.text];
      if (d) await new Promise((r) => setTimeout(r, d));
      return reply(`收到：${m.text}`);
    },
  };
}

async function tmpStore(): Promise<StateStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-store-'));
  const store = await openStore({ dir, loaded, lock: false, fsync: false });
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}

async function fake(opts: Parameters<typeof startFakeBotApi>[0] = {}): Promise<FakeBotApi> {
  const api = await startFakeBotApi(opts);
  cleanups.push(() => api.close());
  return api;
}

function launch(api: FakeBotApi, bot: Bot, store?: StateStore, env: Record<string, string> = {}, extra: { reconnectMs?: number } = {}): TelegramChannel {
  const config = readTelegramConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_ADMIN_IDS: '1001', ...env })!;
  const tg = createTelegram({ config, bot, store, maxRetryWaitMs: 2000, typingAfterMs: 300, ...extra });
  cleanups.push(() => tg.stop());
  return tg;
}

describe('telegram adapter (polling)', () => {
  it('starts: getMe, commands for each scope, deleteWebhook, then polls', async () => {
    const api = await fake();
    const tg = launch(api, stubBot());
    await tg.start();
    await api.waitForCall('getUpdates');
    const scopes = api.callsOf('setMyCommands').map((c) => c.params.scope.type);
    expect(scopes).toEqual(['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators']);
    const admin = api.callsOf('setMyCommands').find((c) => c.params.scope.type === 'all_chat_administrators')!;
    expect(admin.params.commands.map((c: { command: string }) => c.command)).toEqual(
      expect.arrayContaining(['start', 'help', 'ask', 'tasks', 'task', 'due', 'done', 'progress', 'bind', 'unbind', 'schedule'].filter((c) => c !== 'start')),
    );
    expect(admin.params.commands.find((c: { command: string }) => c.command === 'bind').description).toMatch(/绑定/);
    expect(api.callsOf('deleteWebhook')).toHaveLength(1);
    expect(tg.me?.username).toBe('duban_bot');
    expect(api.callsOf('getUpdates')[0].params.allowed_updates).toEqual(['message', 'my_chat_member']);
  });

  it('answers a private question threaded under it, as HTML, with the admin flag', async () => {
    const api = await fake();
    const bot = stubBot();
    const tg = launch(api, bot, await tmpStore());
    await tg.start();
    const u = api.pushUpdate(api.privateText('a<b & c?', { userId: 1001 }));
    const sent = await api.waitForSent((m) => m.chat_id === '1001');
    expect(sent.text).toBe('收到：a<b & c?');
    expect(sent.html).toBe('收到：a&lt;b &amp; c?');
    const call = api.callsOf('sendMessage')[0];
    expect(call.params.parse_mode).toBe('HTML');
    expect(call.params.reply_parameters).toEqual({ message_id: (u as { message: { message_id: number } }).message.message_id, allow_sending_without_reply: true });
    expect(bot.seen[0]).toMatchObject({ channel: 'telegram', chatType: 'private', chatId: '1001', userId: '1001', trusted: { admin: true } });
  });

  it('groups: answers /cmd@bot and replies, ignores other chatter and other bots', async () => {
    const api = await fake();
    const bot = stubBot();
    const tg = launch(api, bot);
    await tg.start();
    api.pushUpdate(api.groupText('大家好'));
    api.pushUpdate(api.groupText('/help@other_bot'));
    api.pushUpdate(api.groupText('/tasks@duban_bot 财政'));
    api.pushUpdate(api.groupText('那第49项呢', { replyToBot: true }));
    await api.waitForSent((m) => m.text === '收到：那第49项呢');
    await api.waitForSent((m) => m.text === '收到：财政有哪些任务');
    await tg.idle();
    expect(bot.seen.map((m) => m.text).sort()).toEqual(['财政有哪些任务', '那第49项呢']);
    expect(bot.seen[0].chatType).toBe('group');
  });

  it('splits a long answer under 4096 characters on line breaks', async () => {
    const api = await fake();
    const long = Array.from({ length: 400 }, (_, i) => `第${i + 1}行：关于调解员培训的说明 <注意> & 细节`).join('\n');
    const bot: Bot = { handle: async () => reply(long) };
    const tg = launch(api, bot);
    await tg.start();
    api.pushUpdate(api.privateText('长回答'));
    await api.waitForSent(() => true);
    await tg.idle();
    expect(api.sent.length).toBeGreaterThan(1);
    for (const m of api.sent) expect(m.text.length).toBeLessThanOrEqual(4096);
    expect(api.sent.map((m) => m.text).join('\n')).toBe(long);
    expect(api.sent[0].reply_to).toBeDefined();
    expect(api.sent[1].reply_to).toBeUndefined();
  });

  it('a slow answer in one chat does not stall another chat', async () => {
    const api = await fake();
    const bot = stubBot({ 慢问题: 800 });
    const tg = launch(api, bot);
    await tg.start();
    const t0 = Date.now();
    api.pushUpdate(api.privateText('慢问题', { userId: 1 }));
    await new Promise((r) => setTimeout(r, 30));
    api.pushUpdate(api.privateText('快问题', { userId: 2 }));
    const fast = await api.waitForSent((m) => m.chat_id === '2');
    expect(fast.at - t0).toBeLessThan(500);
    const slow = await api.waitForSent((m) => m.chat_id === '1');
    expect(slow.at).toBeGreaterThan(fast.at);
    // The slow answer took long enough to send "typing…".
    expect(api.callsOf('sendChatAction').some((c) => c.params.chat_id === '1')).toBe(true);
  });

  it('one failing reply does not stop polling; a 429 on a reply is waited out', async () => {
    const api = await fake();
    const tg = launch(api, stubBot());
    let failures = 0;
    api.hook = (c) => {
      if (c.method !== 'sendMessage') return undefined;
      if (c.params.text.includes('坏')) return ERR.blocked();
      if (c.params.text.includes('限流') && failures++ === 0) return ERR.tooMany(1);
      return undefined;
    };
    await tg.start();
    api.pushUpdate(api.privateText('坏', { userId: 5 }));
    await api.waitForCall('sendMessage', (c) => c.params.chat_id === '5');
    api.pushUpdate(api.privateText('限流', { userId: 6 }));
    const t0 = Date.now();
    const m = await api.waitForSent((s) => s.chat_id === '6');
    expect(m.text).toBe('收到：限流');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    api.pushUpdate(api.privateText('还在吗', { userId: 7 }));
    await api.waitForSent((s) => s.chat_id === '7');
  });

  it('the same update delivered again after a restart is answered once (durable dedupe)', async () => {
    const api = await fake();
    const store = await tmpStore();
    const bot = stubBot();
    const a = launch(api, bot, store);
    await a.start();
    const u = api.pushUpdate(api.privateText('/done 48', { userId: 9 }));
    await api.waitForSent((m) => m.chat_id === '9');
    await a.stop();
    // Instance B starts with the same store; Telegram redelivers the unconfirmed update.
    const b = launch(api, bot, store);
    await b.start();
    api.pushUpdate(u);
    api.pushUpdate(api.privateText('新问题', { userId: 9 }));
    await api.waitForSent((m) => m.text === '收到：新问题');
    await b.idle();
    expect(bot.seen.map((m) => m.text)).toEqual(['/done 48', '新问题']);
    expect(api.sent.filter((m) => m.text === '收到：/done 48')).toHaveLength(1);
  });

  it('migration: the service message and the 400 error both move the binding', async () => {
    const api = await fake();
    const store = await tmpStore();
    await store.bind({ channel: 'telegram', chatId: '-4001', department: '法院', role: 'department' }, { channel: 'cli', name: 'test' });
    await store.bind({ channel: 'telegram', chatId: '-4002', department: '财政', role: 'department' }, { channel: 'cli', name: 'test' });
    const tg = launch(api, stubBot(), store);
    await tg.start();
    api.pushUpdate({
      message: { message_id: 3, date: 0, chat: { id: -4001, type: 'group', title: '法院' }, from: { id: 1, is_bot: false, first_name: 'x' }, migrate_to_chat_id: -1004001 },
    });
    await expect.poll(() => store.bindingFor('telegram', '-1004001')?.department).toBe('法院');
    expect(store.bindingFor('telegram', '-4001')).toBeUndefined();

    // A reply to the old id meets the 400 migration error: binding moved, answer resent to the new id.
    api.hook = (c) => (c.method === 'sendMessage' && c.params.chat_id === '-4002' ? ERR.migrated(-1004002) : undefined);
    api.pushUpdate(api.groupText('/due@duban_bot', { chatId: -4002 }));
    const m = await api.waitForSent((s) => s.chat_id === '-1004002');
    expect(m.text).toBe('收到：/due');
    expect(store.bindingFor('telegram', '-1004002')?.department).toBe('财政');
  });

  it('the bot removed from a group deactivates its binding; re-added reactivates it', async () => {
    const api = await fake();
    const store = await tmpStore();
    await store.bind({ channel: 'telegram', chatId: '-4001', department: '法院', role: 'department' }, { channel: 'cli', name: 'test' });
    const tg = launch(api, stubBot(), store);
    await tg.start();
    const member = (status: string) => ({
      my_chat_member: {
        chat: { id: -4001, type: 'group', title: '法院' },
        from: { id: 1, is_bot: false, first_name: 'x' },
        date: 0,
        old_chat_member: { status: 'member', user: { id: api.botId, is_bot: true, first_name: 'b' } },
        new_chat_member: { status, user: { id: api.botId, is_bot: true, first_name: 'b' }, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
    });
    api.pushUpdate(member('kicked'));
    await expect.poll(() => store.bindingFor('telegram', '-4001')?.active).toBe(false);
    api.pushUpdate(member('member'));
    await expect.poll(() => store.bindingFor('telegram', '-4001')?.active).toBe(true);
  });

  it('Telegram unreachable at start-up: start() resolves, retries in the background, then polls', async () => {
    const api = await fake();
    let getMeCalls = 0;
    api.hook = (c) => (c.method === 'getMe' && ++getMeCalls === 1 ? { error_code: 502, description: 'Bad Gateway' } : undefined);
    const tg = launch(api, stubBot(), undefined, {}, { reconnectMs: 100 });
    await tg.start();
    expect(tg.me).toBeUndefined();
    api.pushUpdate(api.privateText('你好', { userId: 31 }));
    await api.waitForSent((m) => m.chat_id === '31');
    expect(getMeCalls).toBe(2);
  });

  it('the token never reaches the log, even when Telegram cannot be reached', async () => {
    const { pino } = await import('pino');
    const { Writable } = await import('node:stream');
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = pino({ level: 'trace' }, sink);
    const token = '123456789:SECRETsecretSECRETsecret12345';
    const config = readTelegramConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:9/' })!;
    const tg = createTelegram({ config, bot: stubBot(), log: logger, reconnectMs: 60_000 });
    cleanups.push(() => tg.stop());
    await tg.start();
    expect(await tg.outbound.send('-1', 'x')).toMatchObject({ ok: false, permanent: false });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('SECRETsecret');
  });

  it('a token Telegram refuses (401) fails start() with a ConfigError naming TELEGRAM_BOT_TOKEN', async () => {
    const api = await fake();
    const tg = launch(api, stubBot(), undefined, { TELEGRAM_BOT_TOKEN: '999:WRONG_token_abcdefghijklmnopqrstuv' });
    await expect(tg.start()).rejects.toMatchObject({ variable: 'TELEGRAM_BOT_TOKEN' });
  });

  it('a self-hosted Bot API server under a path prefix (TELEGRAM_API_ROOT)', async () => {
    const api = await fake({ prefix: '/relay/' });
    const tg = launch(api, stubBot(), undefined, { TELEGRAM_API_ROOT: api.apiRoot.replace(/\/$/, '') });
    await tg.start();
    api.pushUpdate(api.privateText('你好'));
    await api.waitForSent(() => true);
  });
});

describe('telegram adapter (webhook)', () => {
  async function webhookSetup(mountAtRoot = false) {
    const api = await fake();
    const store = await tmpStore();
    const bot = stubBot();
    const config = readTelegramConfig({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.cn/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 'right_secret-1',
    })!;
    const tg = createTelegram({ config, bot, store });
    const app = express();
    if (mountAtRoot) app.use(tg.router!);
    else app.use(tg.mount!.path, tg.mount!.router);
    app.use((_req, res) => res.status(404).json({ error: 'none' }));
    const server = await new Promise<import('node:http').Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${tg.webhookPath}`;
    cleanups.push(async () => {
      await tg.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });
    await tg.start();
    const post = (body: unknown, secret?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(body),
      });
    return { api, bot, tg, post };
  }

  it('sets the webhook with the secret and answers a POST with the right secret', async () => {
    const { api, post } = await webhookSetup();
    const set = api.callsOf('setWebhook')[0];
    expect(set.params).toMatchObject({ url: 'https://bot.example.gov.cn/telegram/webhook', secret_token: 'right_secret-1', allowed_updates: ['message', 'my_chat_member'] });
    expect(api.callsOf('getUpdates')).toHaveLength(0);
    const res = await post({ update_id: 1, ...api.privateText('你好', { userId: 77 }) }, 'right_secret-1');
    expect(res.status).toBe(200);
    expect((await api.waitForSent((m) => m.chat_id === '77')).text).toBe('收到：你好');
  });

  it('the router also answers when mounted at the root; GET and non-updates are refused', async () => {
    const { api, post } = await webhookSetup(true);
    expect((await post({ update_id: 5, ...api.privateText('根路径', { userId: 79 }) }, 'right_secret-1')).status).toBe(200);
    await api.waitForSent((m) => m.chat_id === '79');
    expect((await post({ hello: 1 }, 'right_secret-1')).status).toBe(400);
  });

  it('telegramFromEnv: undefined without a token', () => {
    expect(telegramFromEnv({}, { bot: stubBot() })).toBeUndefined();
  });

  it('rejects a wrong or missing secret without touching the bot', async () => {
    const { api, bot, post } = await webhookSetup();
    expect((await post({ update_id: 2, ...api.privateText('x') }, 'wrong')).status).toBe(403);
    expect((await post({ update_id: 3, ...api.privateText('x') })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 100));
    expect(bot.seen).toHaveLength(0);
    expect(api.callsOf('sendMessage')).toHaveLength(0);
  });

  it('the same update posted twice is answered once', async () => {
    const { api, bot, tg, post } = await webhookSetup();
    const update = { update_id: 4242, ...api.privateText('重复吗', { userId: 78 }) };
    expect((await post(update, 'right_secret-1')).status).toBe(200);
    expect((await post(update, 'right_secret-1')).status).toBe(200);
    await api.waitForSent((m) => m.chat_id === '78');
    await tg.idle();
    expect(bot.seen).toHaveLength(1);
    expect(api.sent.filter((m) => m.chat_id === '78')).toHaveLength(1);
  });
});

describe('stopping right after start', () => {
  it('a stop while launch() is still deleting the webhook ends polling too: stop returns and nothing polls afterwards', async () => {
    const { createServer } = await import('node:http');
    const calls: string[] = [];
    let deleteArrived!: () => void;
    const deleteHeld = new Promise<void>((r) => (deleteArrived = r));
    let answerDelete!: () => void;
    const server = createServer((req, res) => {
      const method = req.url!.split('/').pop()!;
      calls.push(method);
      const ok = (result: unknown) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ ok: true, result }));
      if (method === 'getMe') ok({ id: 42, is_bot: true, first_name: 'b', username: 'b_bot', can_read_all_group_messages: false });
      else if (method === 'deleteWebhook') {
        answerDelete = () => ok(true);
        deleteArrived();
      } else if (method === 'getUpdates') setTimeout(() => ok([]), 50);
      else ok(true);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      server.closeAllConnections();
      server.close();
    });
    const port = (server.address() as import('node:net').AddressInfo).port;
    const config = readTelegramConfig({ TELEGRAM_BOT_TOKEN: '123456789:AAAAtokentokentokentoken12345', TELEGRAM_API_ROOT: `http://127.0.0.1:${port}/` })!;
    const tg = createTelegram({ config, bot: stubBot() });
    await tg.start();
    await deleteHeld; // launch() is between getMe and its poller
    const stopped = tg.stop();
    answerDelete();
    await stopped;
    const atStop = calls.length;
    await new Promise((r) => setImmediate(r));
    expect(calls.slice(atStop)).toEqual([]);
  });
});
