/**
 * End to end: real telegraf (polling) against the fake Bot API, the real Bot with the real progress/bind
 * handlers and ask handler, resolveActor, and the real state store.
 */
import { defaultTask } from '../helpers/task.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/core/bot.js';
import { resolveActor } from '../../src/core/actor.js';
import type { Services } from '../../src/core/services.js';
import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter, type PlanRouter } from '../../src/core/plans.js';
import { openStore, type StateStore } from '../../src/state/store.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { askHandler } from '../../handlers/ask.js';
import { createTelegram, type TelegramChannel } from '../../src/channels/telegram/index.js';
import { readTelegramConfig } from '../../src/channels/telegram/config.js';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

const ADMIN = 1001;
let loaded: LoadedPlan;
let qa: PlanRouter;
beforeAll(() => {
  loaded = loadPlan();
  qa = createPlanRouter([loaded], createQaEngine);
});

const cleanups = cleanupsAfterEach();

async function setup() {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-e2e-'));
  const store = await openStore({ dir, loaded, lock: false, fsync: false });
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const api = await startFakeBotApi();
  cleanups.push(() => api.close());
  const services: Services = { loaded, plans: store.plans, store, qa, clock: () => new Date() };
  const bot = createBot<Services>({
    services,
    handlers: [...progressHandlers, askHandler],
    resolveActor: (m) => resolveActor(m, store),
  });
  const start = async () => {
    const config = readTelegramConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_ADMIN_IDS: String(ADMIN) })!;
    const tg = createTelegram({ config, bot, store });
    cleanups.push(() => tg.stop());
    await tg.start();
    return tg;
  };
  return { api, store, bot, start };
}

const statusActions = (store: StateStore, taskId: number) => store.data.history.filter((h) => h.action === 'status' && h.taskId === taskId);

describe('telegram end to end (progress and binding)', () => {
  it('/done 48 from a group bound to 法院 updates 法院\'s row only', async () => {
    const { api, store, start } = await setup();
    await store.bind({ channel: 'telegram', chatId: '-6001', department: '法院', role: 'department' }, { channel: 'cli', name: 'test' });
    await start();
    api.pushUpdate(api.groupText('/done@duban_bot 48 已完成首期培训', { chatId: -6001, title: '法院督办群' }));
    const m = await api.waitForSent((s) => s.chat_id === '-6001');
    expect(m.text).toContain('已记录第48项');
    expect(store.statusOf(defaultTask(48), '法院')).toBe('已完成');
    expect(store.status(defaultTask(48), '法院')?.note).toBe('已完成首期培训');
    expect(store.status(defaultTask(48), '法院')?.updatedBy).toMatchObject({ channel: 'telegram', chatId: '-6001', userId: '2001' });
    for (const d of loaded.plan.tasks.find((t) => t.id === 48)!.departments.filter((d) => d !== '法院')) {
      expect(store.statusOf(defaultTask(48), d)).toBe('未开始');
    }
  });

  it('/done 48 from an unbound group is refused and changes nothing', async () => {
    const { api, store, start } = await setup();
    await start();
    api.pushUpdate(api.groupText('/done@duban_bot 48', { chatId: -6002 }));
    const m = await api.waitForSent((s) => s.chat_id === '-6002');
    expect(m.text).toMatch(/没有绑定/);
    expect(statusActions(store, 48)).toHaveLength(0);
  });

  it('/bind: refused for an ordinary member, done by a TELEGRAM_ADMIN_IDS admin; then /progress and a reply-to-bot report work', async () => {
    const { api, store, start } = await setup();
    await start();
    api.pushUpdate(api.groupText('/bind@duban_bot 财政', { chatId: -6003, userId: 2002 }));
    expect((await api.waitForSent((s) => s.chat_id === '-6003')).text).toMatch(/只有/);
    expect(store.bindingFor('telegram', '-6003')).toBeUndefined();

    api.pushUpdate(api.groupText('/bind@duban_bot 财政', { chatId: -6003, userId: ADMIN }));
    await api.waitForSent((s) => s.chat_id === '-6003' && s.text.includes('已将本群绑定为财政'));
    expect(store.bindingFor('telegram', '-6003')).toMatchObject({ role: 'department', department: '财政', active: true });

    api.pushUpdate(api.groupText('/progress@duban_bot 47 进行中 已拨付经费', { chatId: -6003, userId: 2002 }));
    await api.waitForSent((s) => s.chat_id === '-6003' && s.text.includes('已记录第47项'));
    expect(store.status(defaultTask(47), '财政')).toMatchObject({ status: '进行中', note: '已拨付经费' });

    // Privacy mode delivers replies to the bot: a plain report written as a reply.
    api.pushUpdate(api.groupText('47 已完成', { chatId: -6003, userId: 2002, replyToBot: true }));
    await expect.poll(() => store.statusOf(defaultTask(47), '财政')).toBe('已完成');
  });

  it('a /done redelivered after a restart is applied and answered once', async () => {
    const { api, store, start } = await setup();
    await store.bind({ channel: 'telegram', chatId: '-6004', department: '法院', role: 'department' }, { channel: 'cli', name: 'test' });
    const a = await start();
    const u = api.pushUpdate(api.groupText('/done@duban_bot 48', { chatId: -6004 }));
    await api.waitForSent((s) => s.chat_id === '-6004');
    await a.stop();
    const b: TelegramChannel = await start();
    api.pushUpdate(u);
    api.pushUpdate(api.groupText('/help@duban_bot', { chatId: -6004 }));
    await api.waitForSent((s) => s.chat_id === '-6004' && s.text.includes('督办助手'));
    await b.idle();
    expect(statusActions(store, 48)).toHaveLength(1);
    expect(api.sent.filter((s) => s.text.includes('已记录第48项'))).toHaveLength(1);
  });

  it('every command on the menu gets a real answer (no "没有理解") in a bound group', async () => {
    const { api, store, start } = await setup();
    await store.bind({ channel: 'telegram', chatId: '-6005', department: '法院', role: 'department' }, { channel: 'cli', name: 'test' });
    await start();
    const { COMMANDS } = await import('../../src/core/commands.js');
    const names = COMMANDS.filter((c) => !c.channels || c.channels.includes('telegram')).map((c) => c.name).filter((n) => n !== 'unbind');
    for (const name of names) {
      const before = api.sent.length;
      api.pushUpdate(api.groupText(`/${name}@duban_bot`, { chatId: -6005, userId: ADMIN }));
      await expect.poll(() => api.sent.length, { timeout: 5000 }).toBeGreaterThan(before);
      const m = api.sent[api.sent.length - 1];
      expect(m.text, `/${name}`).not.toMatch(/没有理解|出错/);
    }
    api.pushUpdate(api.groupText('/unbind@duban_bot', { chatId: -6005, userId: ADMIN }));
    await api.waitForSent((m) => m.text.includes('已解除'));
    expect(store.bindingFor('telegram', '-6005')).toBeUndefined();
  });
});
