/**
 * Two plans loaded, both with a task 5: each department's group reports on its own plan's task 5, a chat that
 * could mean either is asked which plan (and nothing changes), a plan named in the message or set with /plan
 * decides.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/core/bot.js';
import { resolveActor } from '../../src/core/actor.js';
import { conversationMiddleware } from '../../src/core/conversation.js';
import type { Services } from '../../src/core/services.js';
import type { Message } from '../../src/core/types.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import { DepartmentRegistry } from '../../src/plan/departments.js';
import type { LoadedPlan } from '../../src/plan/load.js';
import { planShortName } from '../../src/plan/names.js';
import { PlanSet } from '../../src/plan/plan-set.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { askHandler } from '../../handlers/ask.js';
import { importFile, plan1, PLAN2 } from '../plan/helpers.js';
import { withStore } from '../state/helpers.js';

let env: Awaited<ReturnType<typeof withStore>>;
let bot: Bot;
let first: LoadedPlan;
let second: LoadedPlan;
const now = new Date('2026-12-07T10:00:00+08:00');

beforeAll(async () => {
  first = plan1();
  const imp = await importFile(path.join(PLAN2, 'plan2.xlsx'));
  second = { plan: imp.plan!, registry: new DepartmentRegistry(imp.departments!) };
  const plans = new PlanSet([first, second]);
  env = await withStore({ plans, clock: () => now });
  const services: Services = { loaded: first, plans, store: env.store, qa: createPlanRouter([first, second], createQaEngine), clock: () => now };
  bot = createBot<Services>({
    services,
    handlers: [...progressHandlers, askHandler],
    // Follow-ups as the server has them (「进展如何」 after an answer about a task).
    middleware: [conversationMiddleware<Services>({ ttlMs: 600_000, maxConversations: 100, pageLines: 200, splitDepartments: (t) => first.registry.splitMentions(t) })],
    resolveActor: (m) => resolveActor(m, env.store),
    clock: () => now,
  });
  const admin = { channel: 'cli' as const, name: '管理员' };
  await env.store.bind({ channel: 'telegram', chatId: 'duban', role: 'coordinator' }, admin);
  await env.store.bind({ channel: 'telegram', chatId: 'g-first', role: 'department', department: unitOf(first) }, admin);
  await env.store.bind({ channel: 'wecom-app', chatId: 'g-second', role: 'department', department: unitOf(second) }, admin);
}, 60_000);
afterAll(async () => env.cleanup());

/** The first unit of task 5 in one plan that task 5 of the other plan does not name. */
function unitOf(l: LoadedPlan): string {
  const other = l === first ? second : first;
  const t5 = (p: LoadedPlan) => p.plan.tasks.find((t) => t.id === 5)!;
  return t5(l).departments.find((d) => !t5(other).departments.includes(d))!;
}

const say = async (text: string, from: Partial<Message>) =>
  (await bot.handle({ channel: 'telegram', chatId: 'x', chatType: 'group', userId: 'u1', userName: '李四', text, ...from })).text;
const inFirst = { chatId: 'g-first' };
const inSecond = { channel: 'wecom-app', chatId: 'g-second' } as const;
const inDuban = { chatId: 'duban' };
const statusOf = (l: LoadedPlan, dept: string) => env.store.statusOf({ plan: l.plan.id, task: 5 }, dept);

describe('task 5 of two plans', () => {
  it('each department’s group updates its own plan’s task 5; neither touches the other plan', async () => {
    expect(await say('5 已完成', inFirst)).toContain('已记录');
    expect(statusOf(first, unitOf(first))).toBe('已完成');
    expect(await say('第5项 进行中 已召开推进会', inSecond)).toContain(`【${planShortName(second.plan.title)}】第5项`);
    expect(env.store.status({ plan: second.plan.id, task: 5 }, unitOf(second))).toMatchObject({ status: '进行中', note: '已召开推进会' });
    // The other plan's rows of task 5 are untouched.
    expect(env.store.rows({ task: { plan: second.plan.id, task: 5 } }).filter((r) => r.status === '已完成')).toEqual([]);
    expect(env.store.rows({ task: { plan: first.plan.id, task: 5 } }).filter((r) => r.status === '进行中')).toEqual([]);
    // Asked from the first plan's group, task 5 is the first plan's.
    const asked = await say('第5项进展如何', inFirst);
    expect(asked).toContain(`${unitOf(first)}：已完成`);
    expect(asked).not.toContain(unitOf(second));
  });

  it('「5 已完成」 from the 督办 group, which fits both plans, asks which plan and changes nothing', async () => {
    const before = JSON.stringify(env.store.data.progress);
    const history = env.store.history().length;
    const answer = await say('5 已完成', inDuban);
    expect(answer).toMatch(/第5项在2个方案里都有/);
    for (const l of [first, second]) expect(answer).toContain(`【${planShortName(l.plan.title)}】`);
    expect(answer).toContain(`「${planShortName(first.plan.title)} 5 已完成」`);
    expect(answer).toContain('这次没有做任何修改');
    expect(JSON.stringify(env.store.data.progress)).toBe(before);
    expect(env.store.history()).toHaveLength(history);
  });

  it('the plan named in the message, or set as the chat’s default with /plan, decides', async () => {
    const dept = second.plan.tasks.find((t) => t.id === 5)!.departments.at(-1)!;
    expect(await say(`${planShortName(second.plan.title)} 5 已完成 ${dept}`, inDuban)).toContain('已记录');
    expect(statusOf(second, dept)).toBe('已完成');

    expect(await say('/plan', inDuban)).toMatch(/有效的方案 2 个（本群默认：未设定）/);
    expect(await say(`/plan ${second.plan.id}`, inDuban)).toContain(`已将本群的默认方案设为【${planShortName(second.plan.title)}】`);
    expect(env.store.history({ action: 'chat-plan' }).at(-1)).toMatchObject({ new: second.plan.id, actor: { chatId: 'duban' } });
    expect(await say('/deadline 5 2026-12-31', inDuban)).toContain(`已将【${planShortName(second.plan.title)}】第5项期限设为 2026-12-31`);
    expect(env.store.deadlineEntry({ plan: second.plan.id, task: 5 }).date).toBe('2026-12-31');
    expect(env.store.deadlineEntry({ plan: first.plan.id, task: 5 }).date).toBeUndefined();
    // Questions by number follow the chat's default plan too.
    expect(await say('第5项是什么', inDuban)).toMatch(new RegExp(`^【${planShortName(second.plan.title)}】`));

    expect(await say('/plan 取消', inDuban)).toContain('已取消本群的默认方案');
    expect(await say('/deadline 5', inDuban)).toMatch(/在2个方案里都有/);
    // A follow-up refers to the task of the answer before it, in that answer's plan.
    expect(await say(`${planShortName(first.plan.title)}第5项是什么`, inDuban)).toMatch(new RegExp(`^【${planShortName(first.plan.title)}】\n第5项`));
    const progress = await say('进展如何', inDuban);
    expect(progress).toContain(`${unitOf(first)}：已完成`);
    expect(progress).not.toContain(unitOf(second));
    // Guests cannot set a chat's plan.
    expect(await say('/plan 1', { chatId: 'stranger' })).toMatch(/只有已绑定部门的群、协调员或管理员/);
  });
});
