import { defaultTask } from '../helpers/task.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/core/bot.js';
import { resolveActor } from '../../src/core/actor.js';
import type { Services } from '../../src/core/services.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { askHandler } from '../../handlers/ask.js';
import { FaultyDisk } from '../state/faulty-disk.js';
import { coordinatorActor, plan, withStore } from '../state/helpers.js';

let env: Awaited<ReturnType<typeof withStore>>;
let bot: Bot;
const disk = new FaultyDisk();
const t48 = () => plan().plan.tasks.find((t) => t.id === 48)!;

beforeAll(async () => {
  env = await withStore({ disk, dailyBackups: false });
  const loaded = plan();
  await env.store.bind({ channel: 'telegram', chatId: 'g-dept', role: 'department', department: t48().departments[0] }, coordinatorActor);
  const services: Services = { loaded, plans: env.store.plans, store: env.store, qa: createPlanRouter([loaded], createQaEngine), clock: () => new Date() };
  bot = createBot<Services>({ services, handlers: [...progressHandlers, askHandler], resolveActor: (m) => resolveActor(m, env.store) });
});
afterAll(async () => env.cleanup());

describe('a department reports progress while the disk is full', () => {
  it('is told the change was not saved (and it was not); once there is room again the same message is recorded', async () => {
    const dept = t48().departments[0];
    const say = (text: string) => bot.handle({ channel: 'telegram', chatId: 'g-dept', chatType: 'group', userId: 'u1', userName: '李四', text });
    disk.full = true;
    expect((await say('48 已完成')).text).toBe('保存失败（磁盘已满），这次修改没有生效，请稍后再试');
    expect(env.store.statusOf(defaultTask(48), dept)).toBe('未开始');
    disk.full = false;
    expect((await say('48 已完成')).text).toContain('第48项');
    expect(env.store.statusOf(defaultTask(48), dept)).toBe('已完成');
  });
});
