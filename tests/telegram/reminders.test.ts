/**
 * Reminders through the real outbox sender and the 'telegram' OutboundChannel, against the fake Bot API:
 * pacing per group, 429 waited out, migration followed, 403 permanent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/core/bot.js';
import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';
import { openStore, type StateStore, type OutboxRow } from '../../src/state/store.js';
import { OutboxSender } from '../../src/reminders/sender.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService } from '../../src/reminders/service.js';
import { createTelegram } from '../../src/channels/telegram/index.js';
import { readTelegramConfig } from '../../src/channels/telegram/config.js';
import { ERR, startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';
import { maxInWindow } from '../helpers/pacing.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

let loaded: LoadedPlan;
beforeAll(() => {
  loaded = loadPlan();
});
const cleanups = cleanupsAfterEach();

const WINDOW_MS = 600;

async function setup() {
  const api = await startFakeBotApi();
  cleanups.push(() => api.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-rem-'));
  const store = await openStore({ dir, loaded, lock: false, fsync: false });
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const bot: Bot = { handle: async () => ({ text: 'x', intent: 'x', tasks: [], departments: [] }) };
  const config = readTelegramConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot })!;
  const tg = createTelegram({ config, bot, store });
  const dead: Array<{ row: OutboxRow; error: string; permanent: boolean }> = [];
  const sender = new OutboxSender({
    store,
    config: defaultReminderConfig({ rateWindowMs: WINDOW_MS, retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 5 }),
    clock: () => new Date(),
    onDead: async (row, error, permanent) => {
      dead.push({ row, error, permanent });
    },
    random: () => 0.5,
  });
  sender.register(tg.outbound);
  cleanups.push(() => sender.stop());
  return { api, store, tg, sender, dead };
}

async function enqueue(store: StateStore, chatId: string, n: number, prefix = '提醒') {
  for (let i = 1; i <= n; i++) {
    await store.enqueue({ key: `${prefix}-${chatId}-${i}`, channel: 'telegram', chatId, department: '法院', kind: 'notice', period: `p${i}`, text: `${prefix} ${i} <第48项> & 调解员培训` });
  }
}

describe('reminders through the telegram channel', () => {
  it('declares name, limit and 20 per destination per minute', async () => {
    const { tg } = await setup();
    expect(tg.outbound).toMatchObject({ name: 'telegram', perDestinationPerMinute: 20, limit: { measure: 'chars' } });
    expect(tg.outbound.limit.max).toBeLessThanOrEqual(4096);
  });

  it('30 reminders to one group are paced under 20 per window, in order, and a 429 is waited out, not dropped', async () => {
    const { api, store, sender } = await setup();
    await enqueue(store, '-4001', 30);
    let n = 0;
    let limitedAt = 0;
    api.hook = (c) => {
      if (c.method !== 'sendMessage') return undefined;
      if (++n === 8) {
        limitedAt = Date.now();
        return ERR.tooMany(1);
      }
      return undefined;
    };
    sender.start();
    await expect.poll(() => api.sent.length, { timeout: 10_000, interval: 50 }).toBe(30);
    expect(await sender.idle(5000)).toBe(true);
    const texts = api.sent.map((m) => m.text);
    expect(texts).toEqual(Array.from({ length: 30 }, (_, i) => `提醒 ${i + 1} <第48项> & 调解员培训`));
    // Allow 50 ms of network jitter against the sender's own clock.
    expect(maxInWindow(api.sent.map((m) => m.at), WINDOW_MS - 50)).toBeLessThanOrEqual(20);
    const after = api.sent.filter((m) => m.at >= limitedAt);
    expect(after[0].at - limitedAt).toBeGreaterThanOrEqual(950);
    expect(store.outbox({ status: 'sent' })).toHaveLength(30);
    for (const m of api.sent) expect(m.html).toContain('&lt;第48项&gt; &amp;');
  });

  it('a group upgraded to a supergroup: binding and rows move, the reminder is resent to the new id', async () => {
    const { api, store, sender } = await setup();
    await store.bind({ channel: 'telegram', chatId: '-4003', department: '法院', role: 'department' }, { channel: 'cli', name: 't' });
    await enqueue(store, '-4003', 2, '迁移');
    api.hook = (c) => (c.method === 'sendMessage' && c.params.chat_id === '-4003' ? ERR.migrated(-1004003) : undefined);
    sender.start();
    await expect.poll(() => api.sent.length, { timeout: 5000, interval: 50 }).toBe(2);
    expect(api.sent.map((m) => m.chat_id)).toEqual(['-1004003', '-1004003']);
    expect(store.bindingFor('telegram', '-1004003')?.department).toBe('法院');
  });

  it('403 (bot kicked) is permanent: no retry, reported to onDead', async () => {
    const { api, store, sender, dead } = await setup();
    await enqueue(store, '-4004', 1, '踢出');
    api.hook = (c) => (c.method === 'sendMessage' ? ERR.kicked() : undefined);
    sender.start();
    await expect.poll(() => dead.length, { timeout: 5000, interval: 50 }).toBe(1);
    expect(dead[0]).toMatchObject({ permanent: true, error: expect.stringContaining('403') });
    expect(api.callsOf('sendMessage')).toHaveLength(1);
  });

  it('a message too long for Telegram is permanent for that message only', async () => {
    const { api, tg } = await setup();
    // Bypass our own splitting to see the mapping of the API's answer.
    api.hook = (c) => (c.method === 'sendMessage' && c.params.chat_id === '-4005' ? ERR.tooLong() : undefined);
    const r = await tg.outbound.send('-4005', '长');
    expect(r).toMatchObject({ ok: false, permanent: true, error: '400: Bad Request: message is too long' });
    expect(await tg.outbound.send('-4006', '短')).toMatchObject({ ok: true });
  });

  it('through the reminder service: a kicked bot deactivates the group binding and the coordinator group is told', async () => {
    const { api, store, tg } = await setup();
    await store.bind({ channel: 'telegram', chatId: '-7000', role: 'coordinator', title: '人社督办群' }, { channel: 'cli', name: 't' });
    await store.bind({ channel: 'telegram', chatId: '-7001', department: '法院', role: 'department', title: '法院群' }, { channel: 'cli', name: 't' });
    const service = createReminderService({
      store,
      channels: [tg.outbound],
      // delivery only: nothing planned from the real clock, whatever the day and time the test runs
      config: { ...defaultReminderConfig({ rateWindowMs: WINDOW_MS, retryBaseMs: 50 }), enabled: false },
    });
    cleanups.push(() => service.stop());
    api.hook = (c) => (c.method === 'sendMessage' && c.params.chat_id === '-7001' ? ERR.kicked() : undefined);
    await store.enqueue({ key: 'kick-1', channel: 'telegram', chatId: '-7001', department: '法院', kind: 'notice', period: 'p', text: '法院的提醒' });
    await service.start();
    const notice = await api.waitForSent((m) => m.chat_id === '-7000');
    expect(notice.text).toContain('提醒发送失败');
    expect(store.bindingFor('telegram', '-7001')).toMatchObject({ active: false });
    expect(api.callsOf('sendMessage').filter((c) => c.params.chat_id === '-7001')).toHaveLength(1);
  });
});
