/**
 * A unit that takes part in two plans gets one weekly digest listing its open tasks of both, grouped under each
 * plan's short name; alerts name their tasks by plan + number, and the 督办通报 gives each plan's figures.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlan } from '../../src/plan/load.js';
import { planShortName } from '../../src/plan/names.js';
import { PlanSet } from '../../src/plan/plan-set.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService } from '../../src/reminders/service.js';
import { plan1, sharedUnitPlan } from '../plan/helpers.js';
import { coordinatorActor, manualClock, withStore } from '../state/helpers.js';

let first: LoadedPlan;
let second: LoadedPlan;
beforeAll(async () => {
  first = plan1();
  second = await sharedUnitPlan();
});

async function setup() {
  const clock = manualClock('2026-12-01T08:00:00+08:00');
  const s = await withStore({ plans: new PlanSet([first, second]), clock: clock.now });
  const svc = createReminderService({ store: s.store, clock: clock.now, config: defaultReminderConfig({ escalation: { enabled: false, workdays: 3, time: '10:10' } }), holidays: { days: {} } });
  const tickAt = async (t: string) => {
    clock.set(`${t}+08:00`);
    return svc.tick(clock.now());
  };
  return { ...s, svc, tickAt };
}

describe('a unit in two plans', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  afterEach(async () => env.cleanup());

  it('its weekly digest lists its open tasks of both plans, each plan under its short name', async () => {
    env = await setup();
    const { store } = env;
    expect(second.plan.tasks[1].departments).toEqual(['法院', '司法行政']); // the importer kept the first plan's names
    await store.bind({ channel: 'console', chatId: 'g-court', role: 'department', department: '法院' }, coordinatorActor);
    const courtFirst = first.plan.tasks.filter((t) => t.departments.includes('法院'));
    await store.setStatus({ plan: 'default', task: courtFirst[0].id }, '法院', '已完成', undefined, coordinatorActor);
    await store.setStatus({ plan: 'p3', task: 1 }, '法院', '已完成', undefined, coordinatorActor);
    await store.setDeadline({ plan: 'p3', task: 2 }, '2026-12-10', undefined, coordinatorActor);

    const rows = await env.tickAt('2026-12-07T09:50:00');
    const digest = rows.find((r) => r.kind === 'weekly-digest' && r.department === '法院')!;
    const [a, b] = [first, second].map((l) => `【${planShortName(l.plan.title)}】`);
    expect(planShortName(second.plan.title)).toBe('基层调解组织');
    expect(digest.text).toContain(`未完成 ${courtFirst.length - 1 + 1} 项`);
    expect(digest.text).toContain(`${a}${courtFirst.length - 1}项`);
    expect(digest.text).toContain(`${b}1项`);
    // Plan by plan, the second plan's task 2 under its heading (the first plan's task 2 is another task).
    const under = digest.text.slice(digest.text.indexOf(b));
    expect(under).toMatch(/第2项 建立调解组织与人民法院的诉调对接/);
    expect(digest.text).not.toContain('第1项 在乡镇');
    // A unit only in the first plan gets no heading of the second.
    const union = rows.find((r) => r.kind === 'weekly-digest' && r.department === '总工会');
    if (union) expect(union.text).not.toContain(b);

    // The due-soon alert names its task by plan + number; a progress update of that plan's task skips it.
    const due = rows.find((r) => r.kind === 'due-soon' && r.department === '法院')!;
    expect(due.tasks).toEqual({ p3: [2] });
    expect(due.text).toContain(`回复「基层调解组织 2 已完成」`);
  });

  it('the weekly 督办通报 gives each plan’s figures', async () => {
    env = await setup();
    await env.store.setStatus({ plan: 'p3', task: 3 }, '财政', '已完成', undefined, coordinatorActor);
    const built = await env.svc.buildReport('2026-12-07', '2026-12-11', new Date('2026-12-11T09:00:00Z'));
    const [one, two] = built.data.plans;
    expect(one).toMatchObject({ id: 'default', totals: { total: first.plan.tasks.reduce((n, t) => n + t.departments.length, 0), done: 0 } });
    expect(two).toMatchObject({ id: 'p3', label: '基层调解组织', totals: { total: second.plan.tasks.reduce((n, t) => n + t.departments.length, 0), done: 1 } });
    expect(built.data.totals.total).toBe(one.totals.total + two.totals.total);
  });
});
