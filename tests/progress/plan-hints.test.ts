/**
 * With two plans loaded, every hint that names a task number names its plan too (「基层调解组织 2 已完成」):
 * a department that follows a hint literally updates the task the hint meant, and is never asked back which
 * plan. With one plan loaded the hints stay bare (「48 已完成」).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/core/bot.js';
import { resolveActor } from '../../src/core/actor.js';
import type { Services } from '../../src/core/services.js';
import type { Message } from '../../src/core/types.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import type { LoadedPlan } from '../../src/plan/load.js';
import { planLabelOf, taskReference } from '../../src/plan/names.js';
import { PlanSet } from '../../src/plan/plan-set.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService } from '../../src/reminders/service.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { askHandler } from '../../handlers/ask.js';
import { plan1, sharedUnitPlan } from '../plan/helpers.js';
import { manualClock, withStore } from '../state/helpers.js';

let env: Awaited<ReturnType<typeof withStore>>;
let bot: Bot;
let services: Services;
let first: LoadedPlan;
let second: LoadedPlan;
const clock = manualClock('2026-12-07T09:50:00+08:00');

beforeAll(async () => {
  first = plan1();
  second = await sharedUnitPlan();
  const plans = new PlanSet([first, second]);
  env = await withStore({ plans, clock: clock.now });
  services = { loaded: first, plans, store: env.store, qa: createPlanRouter([first, second], createQaEngine), clock: clock.now };
  bot = createBot<Services>({ services, handlers: [...progressHandlers, askHandler], resolveActor: (m) => resolveActor(m, env.store), clock: clock.now });
  await env.store.bind({ channel: 'telegram', chatId: 'duban', role: 'coordinator' }, { channel: 'cli', name: '管理员' });
}, 60_000);
afterAll(async () => env.cleanup());

const say = async (text: string, from: Partial<Message>) =>
  (await bot.handle({ channel: 'telegram', chatId: 'x', chatType: 'group', userId: 'u1', userName: '李四', text, ...from })).text;
const inDuban = { chatId: 'duban' };

/** The task a hint names: 「<方案简称> 2」 → the plan with that name and its task 2. */
function named(reference: string): { plan: LoadedPlan; task: number } {
  const m = /^(\S+) (\d+)$/.exec(reference);
  expect(m, `「${reference}」 names no plan`).not.toBeNull();
  const plan = [first, second].find((l) => planLabelOf(l.plan) === m![1]);
  expect(plan, `「${m![1]}」 is no plan's name`).toBeDefined();
  return { plan: plan!, task: Number(m![2]) };
}

/** Send the hint's words as they stand; the named task's row of `department` is then 已完成, and nothing asked back. */
async function follow(words: string, from: Partial<Message>, reference: string, department: string) {
  const { plan, task } = named(reference);
  const answer = await say(words, from);
  expect(answer).not.toMatch(/方案里都有/);
  expect(answer).toContain('已记录');
  expect(env.store.statusOf({ plan: plan.plan.id, task }, department)).toBe('已完成');
  return { plan, task };
}

describe('hints name the plan when two are loaded', () => {
  it('the bare number fits both plans in the 督办 group: that is why hints must name the plan', async () => {
    expect(await say('2 已完成', inDuban)).toMatch(/第2项在2个方案里都有/);
  });

  it('binding a group: its example report names the plan, and sending it updates that plan’s task', async () => {
    const answer = await say('/bind 法院', { chatId: 'g-court', trusted: { admin: true } });
    const reference = /如「(.+?) 已完成」/.exec(answer)?.[1] ?? '';
    const { plan, task } = await follow(`${reference} 已完成`, { chatId: 'g-court' }, reference, '法院');
    expect(plan.plan.tasks.find((t) => t.id === task)?.departments).toContain('法院');
  });

  it('the usage of /done names the plan of its example; the coordinator’s 「请注明部门」 hint names it too', async () => {
    const usage = await say('/done', inDuban);
    const reference = /也可以直接发「(.+?) 已完成」/.exec(usage)?.[1] ?? '';
    const { plan, task } = named(reference);
    const departments = plan.plan.tasks.find((t) => t.id === task)!.departments;
    expect(departments.length).toBeGreaterThan(1); // so the coordinator is asked which department
    const ask = await say(`${reference} 已完成`, inDuban);
    expect(ask).toMatch(/有多个责任部门/);
    const example = /例如「(.+?)」/.exec(ask)![1];
    expect(example.startsWith(`${reference} 已完成 `)).toBe(true);
    await follow(example, inDuban, reference, departments[0]);
  });

  it('a guest on the chat page is told what to send once it has an identity; sending it so updates that task', async () => {
    const task = second.plan.tasks.find((t) => t.id === 4)!;
    const reference = taskReference([first.plan, second.plan], second.plan.id, 4);
    const web = { channel: 'web', chatId: 'web-guest', chatType: 'private' } as const;
    const answer = await say(`${reference} 已完成`, web);
    expect(answer).toContain(`再发送「${reference} 已完成」`);
    await follow(`${reference} 已完成`, { ...web, trusted: { speakAs: { department: task.departments[0] } } }, reference, task.departments[0]);
  });

  it('the weekly digest’s 「回复…已完成」 hint, sent back from the group, updates the task it names', async () => {
    const reminders = createReminderService({ store: env.store, clock: clock.now, config: defaultReminderConfig({ escalation: { enabled: false, workdays: 3, time: '10:10' } }), holidays: { days: {} } });
    const rows = await reminders.tick(clock.now());
    const digest = rows.find((r) => r.kind === 'weekly-digest' && r.department === '法院')!;
    const reference = /回复「(.+?) 已完成」/.exec(digest.text)?.[1] ?? '';
    await follow(`${reference} 已完成`, { chatId: 'g-court' }, reference, '法院');
  });

  it('/help’s examples name the default plan: /done and /task as shown act on its task', async () => {
    const facts = services.qa.exampleFacts();
    await env.store.bind({ channel: 'telegram', chatId: 'g-example', role: 'department', department: facts.department }, { channel: 'cli', name: '管理员' });
    const help = await say('/help', { chatId: 'g-example' });
    const done = /\/done (.+?) 已按要求完成/.exec(help)?.[0] ?? '';
    const reference = done.replace(/^\/done | 已按要求完成$/g, '');
    expect(named(reference).plan).toBe(first);
    expect(named(reference).task).toBe(facts.task);
    await follow(done, { chatId: 'g-example' }, reference, facts.department);
    expect(help).toContain(`/task ${reference}`);
    expect(await say(`/task ${reference}`, { chatId: 'g-example' })).toMatch(new RegExp(`^【${planLabelOf(first.plan)}】\\n第${facts.task}项`));
  });
});

describe('with one plan loaded', () => {
  it('the hints stay bare: 「48 已完成」', async () => {
    expect(taskReference([first.plan], first.plan.id, 48)).toBe('48');
    const one = createPlanRouter([first], createQaEngine).exampleFacts();
    expect(one.taskReference).toBe(String(one.task));
  });
});
