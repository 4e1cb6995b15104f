import { rowTasks } from '../../src/state/store.js';
import { defaultTask } from '../helpers/task.js';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { effectiveTime } from '../../src/reminders/schedule.js';
import { createReminderService } from '../../src/reminders/service.js';
import { coordinatorActor, manualClock, plan, withStore } from '../state/helpers.js';

const SH = (s: string) => new Date(`${s}+08:00`);

async function setup(patch = {}) {
  const clock = manualClock('2026-12-01T08:00:00+08:00');
  const s = await withStore({ clock: clock.now });
  const svc = createReminderService({ store: s.store, clock: clock.now, config: defaultReminderConfig(patch), holidays: { days: {} } });
  /** Tick at a Shanghai wall-clock time. */
  const tickAt = async (t: string) => {
    clock.set(`${t}+08:00`);
    return svc.tick(clock.now());
  };
  return { ...s, svc, clock, tickAt };
}

describe('the weekly digest', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  afterEach(async () => env.cleanup());

  it('goes to every department group on Monday morning, once, with overdue tasks first', async () => {
    // Escalations of the overdue task have their own tests (escalation.test.ts).
    env = await setup({ graceMs: 3600_000, escalation: { enabled: false, workdays: 3, time: '10:10' } });
    const { store } = env;
    await store.bind({ channel: 'console', chatId: 'g-zgh', role: 'department', department: '总工会', title: '总工会联络群' }, coordinatorActor);
    await store.setDeadline(defaultTask(48), '2026-12-01', undefined, coordinatorActor);
    await store.setDeadline(defaultTask(9), '2026-12-20', undefined, coordinatorActor);
    await env.tickAt('2026-12-07T08:50:00'); // before the slot: nothing
    expect(store.outbox()).toHaveLength(0);
    const rows = await env.tickAt('2026-12-07T09:50:00');
    const digests = rows.filter((r) => r.kind === 'weekly-digest');
    expect(digests).toHaveLength(plan().registry.names.length);
    const zgh = digests.find((r) => r.department === '总工会')!;
    expect(zgh).toMatchObject({ channel: 'console', chatId: 'g-zgh', period: '2026-W50', status: 'pending' });
    expect(zgh.catchUp).toBe(false);
    const lines = zgh.text.split('\n');
    expect(lines[0]).toBe('【督办周报】总工会 · 2026年第50周（12月7日）');
    expect(lines[1]).toMatch(/^未完成 \d+ 项：逾期 1 项/);
    expect(lines[2]).toMatch(/^· 第48项 .*已逾期6天/);
    expect(lines[3]).toMatch(/^· 第9项 .*还有13天/);
    // Unbound departments' digests wait in the web inbox.
    expect(digests.find((r) => r.department === '财政')).toMatchObject({ channel: 'web', chatId: 'dept:财政' });
    // Planning again adds nothing.
    expect(await env.tickAt('2026-12-07T10:30:00')).toHaveLength(0);
    expect(await env.svc.tick(SH('2026-12-08T09:50:00'))).toEqual([]);
  });

  it('is skipped on a holiday Monday and sent on the first workday of that week (Thursday 2026-10-08)', async () => {
    env = await setup();
    expect(env.svc.preview(SH('2026-10-05T09:00:00'))).toEqual([]);
    const pv = env.svc.preview(SH('2026-10-08T09:00:00'));
    expect(pv.filter((p) => p.kind === 'weekly-digest')).toHaveLength(9);
    expect(pv.find((p) => p.department === '总工会')?.chat).toBe('(未绑定群) 网页收件箱 dept:总工会');
    // Saturday 10-10 is a 调休 workday but the week already had its digest. (Friday's weekly report, never
    // ticked for in this test, is caught up that Saturday: weekly-report.test.ts covers it.)
    await env.tickAt('2026-10-08T09:59:00');
    expect((await env.tickAt('2026-10-10T09:59:00')).filter((r) => r.kind !== 'weekly-report')).toEqual([]);
  });

  it('runs missed while the bot was down are sent once, marked 补发, within the catch-up window only', async () => {
    env = await setup({ catchUpWindowMs: 3 * 3600_000 });
    await env.tickAt('2026-12-04T18:00:00'); // Friday evening, then the server is down
    const rows = await env.tickAt('2026-12-07T11:30:00'); // Monday, 2 h late
    const digests = rows.filter((r) => r.kind === 'weekly-digest');
    expect(digests).toHaveLength(9);
    expect(digests.every((r) => r.catchUp && r.text.startsWith('（补发）【督办周报】'))).toBe(true);
    expect(await env.tickAt('2026-12-07T11:31:00')).toEqual([]);

    const late = await setup({ catchUpWindowMs: 3 * 3600_000 });
    await late.tickAt('2026-12-04T18:00:00');
    expect(await late.tickAt('2026-12-07T15:00:00')).toEqual([]); // 6 h late: too stale
    await late.cleanup();
  });

  it('never sends exactly on :00 or :30, and spreads departments over a few minutes', () => {
    const config = defaultReminderConfig();
    const minutes = new Set<number>();
    for (const d of [...plan().registry.names, '督办']) {
      for (const time of ['09:00', '09:10', '09:30', '08:59']) {
        const t = effectiveTime(time, d, config);
        expect(t.minute % 30).not.toBe(0);
        if (time === '09:10') minutes.add(t.minute);
      }
    }
    expect(minutes.size).toBeGreaterThan(2);
  });
});

describe('due-soon and overdue alerts', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  afterEach(async () => env.cleanup());

  it('alert 7, 3 and 1 days before (on the deadline day when the day before is a weekend), then once overdue', async () => {
    env = await setup();
    const dept = plan().plan.tasks.find((t) => t.id === 48)!.departments[0];
    await env.store.setDeadline(defaultTask(48), '2026-12-14', undefined, coordinatorActor); // a Monday
    await env.tickAt('2026-12-04T08:00:00');
    const alertsOn: Record<string, string[]> = {};
    for (let d = 4; d <= 17; d++) {
      const day = `2026-12-${String(d).padStart(2, '0')}`;
      const rows = await env.tickAt(`${day}T10:00:00`);
      const mine = rows.filter((r) => r.department === dept && (r.kind === 'due-soon' || r.kind === 'overdue'));
      if (mine.length) alertsOn[day] = mine.map((r) => {
        const line = r.text.split('\n')[1];
        return `${r.kind}:${line.slice(line.indexOf('（') + 1, line.lastIndexOf('）'))}`;
      });
    }
    expect(alertsOn).toEqual({
      '2026-12-07': ['due-soon:截止12月14日，还有7天'],
      '2026-12-11': ['due-soon:截止12月14日，还有3天'],
      '2026-12-14': ['due-soon:今天（12月14日）到期'],
      '2026-12-15': ['overdue:截止12月14日，已逾期1天'],
    });
  });

  it('a department that is done gets no alert; a deadline set late skips the thresholds already passed', async () => {
    env = await setup();
    const t = plan().plan.tasks.find((x) => x.id === 48)!;
    await env.store.setDeadline(defaultTask(48), '2026-12-09', undefined, coordinatorActor);
    for (const d of t.departments.slice(1)) await env.store.setStatus(defaultTask(48), d, '已完成', undefined, coordinatorActor);
    await env.tickAt('2026-12-07T08:00:00');
    const rows = (await env.tickAt('2026-12-07T10:00:00')).filter((r) => r.kind === 'due-soon' && rowTasks(r).some((k) => k.plan === 'default' && k.task === 48));
    expect(rows.map((r) => r.department)).toEqual([t.departments[0]]);
    expect(rows[0].text).toContain('还有2天');
    const next = (await env.tickAt('2026-12-08T10:00:00')).filter((r) => r.kind === 'due-soon');
    expect(next.map((r) => r.text.split('\n')[1])).toEqual([expect.stringContaining('还有1天')]);
    expect((await env.tickAt('2026-12-09T10:00:00')).filter((r) => r.kind === 'due-soon')).toEqual([]);
  });

  it('调休 Saturday 2026-10-10 gets its daily alerts; the National Day holiday does not', async () => {
    env = await setup();
    await env.store.setDeadline(defaultTask(48), '2026-10-13', undefined, coordinatorActor);
    expect(env.svc.preview(SH('2026-10-06T09:00:00'))).toEqual([]);
    const sat = env.svc.preview(SH('2026-10-10T09:00:00'));
    expect(sat.filter((p) => p.kind === 'due-soon').length).toBeGreaterThan(0);
    expect(sat.some((p) => p.text.includes('还有3天'))).toBe(true);
  });
});

describe('the coordinator\'s weekly overdue summary', () => {
  it('lists overdue tasks per department and, from November, warns that next year\'s holidays are missing', async () => {
    const env = await setup();
    try {
      await env.store.bind({ channel: 'console', chatId: 'duban', role: 'coordinator' }, coordinatorActor);
      await env.store.setDeadline(defaultTask(48), '2026-12-01', undefined, coordinatorActor);
      const [row] = env.svc.preview(SH('2026-12-07T09:00:00'), '督办');
      expect(row).toMatchObject({ kind: 'overdue-summary', chat: 'console:duban' });
      const dept = plan().plan.tasks.find((t) => t.id === 48)!.departments[0];
      expect(row.text).toContain(`· ${dept} 1 项：第48项（逾期6天）`);
      expect(row.text).toContain('2027 年的节假日和调休安排尚未录入');
      const october = env.svc.preview(SH('2026-10-12T09:00:00'), '督办');
      expect(october[0].text).not.toContain('尚未录入');
    } finally {
      await env.cleanup();
    }
  });
});

describe('make-up workdays', () => {
  it('Sunday 2026-01-04 (调休上班) gets the 3-day alert for a deadline on Wednesday 01-07; an ordinary Sunday gets nothing', async () => {
    const env = await setup();
    try {
      await env.store.setDeadline(defaultTask(48), '2026-01-07', undefined, coordinatorActor);
      const sunday = env.svc.preview(SH('2026-01-04T09:00:00'));
      expect(sunday.filter((p) => p.kind === 'due-soon').every((p) => p.text.includes('还有3天'))).toBe(true);
      expect(sunday.filter((p) => p.kind === 'due-soon').length).toBe(plan().plan.tasks.find((t) => t.id === 48)!.departments.length);
      await env.store.setDeadline(defaultTask(48), '2026-12-16', undefined, coordinatorActor);
      expect(env.svc.preview(SH('2026-12-13T09:00:00'))).toEqual([]);
    } finally {
      await env.cleanup();
    }
  });
});
