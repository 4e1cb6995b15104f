import { platformOf, type ChannelName, type Mention } from '../core/types.js';
import { planShortName } from '../plan/names.js';
import type { PlanSet } from '../plan/plan-set.js';
import { progressKey, taskKeyString, type TaskKey } from '../plan/task-key.js';
import { DEFAULT_PLAN_ID, type Task } from '../plan/types.js';
import { rowTaskList, type StateStore } from '../state/store.js';
import type { NewOutboxRow, ReminderKind } from '../state/types.js';
import type { WorkdayCalendar } from './calendar.js';
import type { ReminderConfig } from './config.js';
import { dueSoonText, escalationText, overdueSummaryText, overdueText, weeklyDigestText, type PendingItem } from './compose.js';
import { mondayOf, reportDay } from './report.js';
import { coordinatorSchedule, dailyCron, departmentSchedule, effectiveTime, slotsBetween } from './schedule.js';
import { addDays, daysBetween, isoWeek, weekdayOf } from './time.js';

export interface Destination {
  channel: ChannelName;
  chatId: string;
  /** For people: the group title, or "(未绑定群) 网页收件箱". */
  label: string;
  bound: boolean;
}

export interface PlannedRow extends NewOutboxRow {
  slotAt: string;
  destinationLabel: string;
  /** A weekly report row: the service generates the document and attaches it before the row is stored. */
  report?: { week: string; start: string; end: string };
}

export interface PlanResult {
  rows: PlannedRow[];
  alerted: string[];
}

export const COORDINATOR_NAME = '督办';

export function webChatIdFor(dept: string | undefined): string {
  return dept ? `dept:${dept}` : 'coordinator';
}

/** A department's task in one plan (the plan's short name set when several plans are active). */
interface DeptTask {
  key: TaskKey;
  task: Task;
  label?: string;
}

const keyOf = (i: { key: TaskKey }): TaskKey => i.key;

/**
 * Escalation periods name the task: the default plan's by its number alone, as before plans had ids, so an
 * escalation sent before the upgrade is not sent again.
 */
const escalationTask = (k: TaskKey) => (k.plan === DEFAULT_PLAN_ID ? String(k.task) : taskKeyString(k));

/** Decides what is due between two instants from the persisted state; never sends. */
export class Planner {
  /** Every active plan's tasks by department, rebuilt when the set of plans changes. */
  private tasksByDept = new Map<string, DeptTask[]>();
  private indexed: ReadonlyArray<unknown> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly plans: PlanSet,
    private readonly config: ReminderConfig,
    private readonly calendar: WorkdayCalendar,
  ) {}

  private index(): Map<string, DeptTask[]> {
    const all = this.plans.all();
    if (this.indexed === all) return this.tasksByDept;
    this.tasksByDept = new Map();
    for (const l of all) {
      const label = all.length > 1 ? planShortName(l.plan.title) || l.plan.title || l.plan.id : undefined;
      for (const task of l.plan.tasks) {
        for (const d of task.departments) {
          let list = this.tasksByDept.get(d);
          if (!list) this.tasksByDept.set(d, (list = []));
          list.push({ key: { plan: l.plan.id, task: task.id }, task, label });
        }
      }
    }
    this.indexed = all;
    return this.tasksByDept;
  }

  /** Departments of every active plan. */
  departments(): string[] {
    return this.plans.departmentNames();
  }

  /** Chats bound with /bind 领导, and REMINDER_LEADERS_CHAT. */
  leaderDestinations(): Destination[] {
    const out: Destination[] = this.store
      .leadersBindings()
      .map((b) => ({ channel: b.channel, chatId: b.chatId, label: b.title ? `${b.title}（${b.channel}）` : `${b.channel}:${b.chatId}`, bound: true }));
    const c = this.config.leadersChat;
    if (c && !out.some((d) => d.channel === c.channel && d.chatId === c.chatId)) {
      out.push({ channel: c.channel, chatId: c.chatId, label: `领导群 ${c.channel}:${c.chatId}（REMINDER_LEADERS_CHAT）`, bound: true });
    }
    return out;
  }

  /** A department's liaisons reachable on a channel (none for the web inbox and the console). */
  mentionsFor(dept: string, channel: ChannelName): Mention[] {
    const platform = platformOf(channel);
    if (!platform) return [];
    return this.store
      .liaisons(dept)
      .filter((l) => l.platform === platform)
      .map((l) => {
        const m: Mention = { platform: l.platform, id: l.id, kind: l.kind };
        if (l.name) m.name = l.name;
        return m;
      });
  }

  /** Workdays in (after, upTo], counted up to `cap`; memoised per planning pass (many tasks share a deadline). */
  private stallMemo = new Map<string, number>();

  private workdaysAfter(after: string, upTo: string, cap: number): number {
    const key = `${after}|${upTo}|${cap}`;
    let n = this.stallMemo.get(key);
    if (n === undefined) {
      n = 0;
      for (let d = addDays(after, 1); d <= upTo && n < cap; d = addDays(d, 1)) if (this.calendar.isWorkday(d)) n++;
      this.stallMemo.set(key, n);
    }
    return n;
  }

  destinations(dept: string | undefined): Destination[] {
    const bindings = dept ? this.store.bindingsForDepartment(dept) : this.store.coordinatorBindings();
    if (bindings.length > 0) {
      return bindings.map((b) => ({ channel: b.channel, chatId: b.chatId, label: b.title ? `${b.title}（${b.channel}）` : `${b.channel}:${b.chatId}`, bound: true }));
    }
    if (this.config.unbound === 'web') {
      return [{ channel: 'web', chatId: webChatIdFor(dept), label: `(未绑定群) 网页收件箱 ${webChatIdFor(dept)}`, bound: false }];
    }
    return [];
  }

  /** Pending (not 已完成) items of a department on a date, in every active plan. */
  pending(dept: string, today: string): Array<PendingItem & { key: TaskKey }> {
    const out: Array<PendingItem & { key: TaskKey }> = [];
    for (const { key, task, label } of this.index().get(dept) ?? []) {
      const status = this.store.statusOf(key, dept);
      if (status === '已完成') continue;
      const deadline = this.store.deadline(key, dept);
      const item: PendingItem & { key: TaskKey } = { key, task, status, deadline, days: deadline ? daysBetween(today, deadline) : undefined };
      if (label) item.plan = label;
      out.push(item);
    }
    return out;
  }

  /** The latest workday slot in (from, to] for hh:mm (+ offset), optionally on or after an ISO weekday. */
  private slotMemo = new Map<string, Array<{ at: Date; date: string; work: boolean }>>();

  private latestSlot(time: string, name: string, from: Date, to: Date, minWeekday?: number): { at: Date; date: string } | undefined {
    const t = effectiveTime(time, name, this.config);
    // Departments share a handful of distinct times: enumerate each once per planning pass.
    const memoKey = `${t.hour}:${t.minute}`;
    let slots = this.slotMemo.get(memoKey);
    if (!slots) {
      slots = slotsBetween(dailyCron(t.hour, t.minute, this.config.timeZone), from, to).map((at) => {
        const date = this.calendar.dateKey(at);
        return { at, date, work: this.calendar.isWorkday(date) };
      });
      this.slotMemo.set(memoKey, slots);
    }
    for (let i = slots.length - 1; i >= 0; i--) {
      const s = slots[i];
      if (!s.work) continue;
      if (minWeekday !== undefined && weekdayOf(s.date) < minWeekday) continue;
      return { at: s.at, date: s.date };
    }
    return undefined;
  }

  /**
   * Escalations, once a workday: a department's overdue task without a status update for N workdays goes to
   * the coordinator (step 1), after 2N to the leaders' chats (step 2). The key holds the department, the task,
   * the step and the day the stall began (the deadline or the last update), so each step is sent once, and an
   * update starts a new count.
   */
  private planEscalations(
    from: Date,
    to: Date,
    late: (at: Date) => boolean,
    add: (dept: string | undefined, kind: ReminderKind, period: string, slot: { at: Date }, text: string, tasks?: TaskKey[], o?: { dests?: Destination[]; mention?: boolean }) => boolean,
  ): void {
    const esc = this.config.escalation;
    if (!esc.enabled) return;
    const slot = this.latestSlot(esc.time, COORDINATOR_NAME, from, to);
    if (!slot) return;
    const coordinator = this.destinations(undefined);
    const leaders = this.leaderDestinations();
    for (const dept of this.departments()) {
      for (const item of this.pending(dept, slot.date)) {
        if (!item.deadline || item.deadline >= slot.date) continue;
        const updated = this.store.status(item.key, dept)?.updatedAt;
        const updatedOn = updated ? this.calendar.dateKey(new Date(updated)) : undefined;
        const since = updatedOn && updatedOn > item.deadline ? updatedOn : item.deadline;
        const stalled = this.workdaysAfter(since, slot.date, 2 * esc.workdays);
        const liaisons = this.store.liaisons(dept);
        for (const step of [1, 2] as const) {
          if (stalled < step * esc.workdays) break;
          const dests = step === 1 ? coordinator : leaders;
          if (dests.length === 0) continue;
          const text = escalationText({ dept, item, step, workdays: step * esc.workdays, since, today: slot.date, liaisons, catchUp: late(slot.at) });
          add(dept, 'escalation', `T${escalationTask(item.key)}|L${step}|${since}`, slot, text, [item.key], { dests, mention: false });
        }
      }
    }
  }

  /**
   * The week's 督办通报, from its slot on the report day until the week ends, on workdays: unlike the digests it is
   * not dropped after the catch-up window, so a server down on Friday afternoon issues it (补发) when it is back
   * that day or on a 调休 Saturday. Its key (the ISO week) makes it once per week.
   */
  private planReport(to: Date, add: (dept: undefined, kind: ReminderKind, period: string, slot: { at: Date }, text: string, tasks: undefined, o: { report: PlannedRow['report'] }) => boolean): void {
    const rs = this.config.weeklyReport;
    if (!rs.enabled) return;
    const today = this.calendar.dateKey(to);
    const monday = mondayOf(today);
    const day = reportDay(monday, rs.weekday, this.calendar);
    if (!day || day > today || !this.calendar.isWorkday(today)) return;
    const t = effectiveTime(rs.time, COORDINATOR_NAME, this.config);
    const at = slotsBetween(dailyCron(t.hour, t.minute, this.config.timeZone), new Date(to.getTime() - 8 * 86_400_000), to).find((s) => this.calendar.dateKey(s) === day);
    if (!at) return;
    const week = isoWeek(day);
    // The caption is written by the service once the document exists (it needs the figures and the number).
    add(undefined, 'weekly-report', week, { at }, '', undefined, { report: { week, start: monday, end: day } });
  }

  /**
   * Everything due for slots in (from, to]. Keys that already exist in the outbox and
   * due-soon/overdue alerts already given are left out, so planning twice adds nothing.
   */
  plan(from: Date, to: Date, now: Date, only?: string): PlanResult {
    this.slotMemo.clear();
    this.stallMemo.clear();
    const rows: PlannedRow[] = [];
    const alerted: string[] = [];
    const late = (at: Date) => now.getTime() - at.getTime() > this.config.graceMs;
    const add = (
      dept: string | undefined,
      kind: ReminderKind,
      period: string,
      slot: { at: Date },
      text: string,
      tasks?: TaskKey[],
      o: { dests?: Destination[]; mention?: boolean; report?: PlannedRow['report'] } = {},
    ) => {
      const dests = o.dests ?? this.destinations(dept);
      for (const d of dests) {
        const key = `${dept ?? COORDINATOR_NAME}:${kind}:${period}@${d.channel}:${d.chatId}`;
        if (this.store.outboxRow(key)) continue;
        const row: PlannedRow = {
          key,
          channel: d.channel,
          chatId: d.chatId,
          department: dept ?? '',
          kind,
          period,
          text,
          slotAt: slot.at.toISOString(),
          destinationLabel: d.label,
          catchUp: late(slot.at),
        };
        if (tasks) row.tasks = rowTaskList(tasks);
        if (dept && o.mention !== false) {
          const mentions = this.mentionsFor(dept, d.channel);
          if (mentions.length) row.mentions = mentions;
        }
        if (o.report) row.report = o.report;
        rows.push(row);
      }
      return dests.length > 0;
    };

    const names = only ? (only === COORDINATOR_NAME ? [] : [only]) : this.departments();
    for (const dept of names) {
      const s = departmentSchedule(dept, this.config, this.store);
      if (s.weeklyDigest.enabled) {
        const slot = this.latestSlot(s.weeklyDigest.time, dept, from, to, s.weeklyDigest.weekday);
        if (slot) {
          const items = this.pending(dept, slot.date);
          add(dept, 'weekly-digest', isoWeek(slot.date), slot, weeklyDigestText(dept, slot.date, items, late(slot.at)));
        }
      }
      if (s.dueSoon.enabled) {
        const slot = this.latestSlot(s.dueSoon.time, dept, from, to);
        if (slot) {
          const thresholds = [...new Set(s.dueSoon.days)].sort((a, b) => a - b);
          const items: Array<PendingItem & { key: TaskKey }> = [];
          const marks: string[] = [];
          for (const i of this.pending(dept, slot.date)) {
            if (i.days === undefined || i.days < 0) continue;
            const t = thresholds.find((x) => i.days! <= x);
            if (t === undefined) continue;
            const k = `${progressKey(i.key, dept)}|d${t}|${i.deadline}`;
            if (this.store.alerted(k)) continue;
            items.push(i);
            // Crossing 3 also settles 7: never send the larger threshold afterwards.
            for (const x of thresholds) if (x >= t) marks.push(`${progressKey(i.key, dept)}|d${x}|${i.deadline}`);
          }
          if (items.length > 0) {
            if (add(dept, 'due-soon', slot.date, slot, dueSoonText(dept, slot.date, items, late(slot.at)), items.map(keyOf))) alerted.push(...marks);
          }
        }
      }
      if (s.overdue.enabled) {
        const slot = this.latestSlot(s.overdue.time, dept, from, to);
        if (slot) {
          const items = this.pending(dept, slot.date).filter(
            (i) => i.days !== undefined && i.days < 0 && !this.store.alerted(`${progressKey(i.key, dept)}|overdue|${i.deadline}`),
          );
          if (items.length > 0) {
            if (add(dept, 'overdue', slot.date, slot, overdueText(dept, slot.date, items, late(slot.at)), items.map(keyOf))) {
              alerted.push(...items.map((i) => `${progressKey(i.key, dept)}|overdue|${i.deadline}`));
            }
          }
        }
      }
    }

    if (!only || only === COORDINATOR_NAME) {
      const cs = coordinatorSchedule(this.config, this.store);
      if (cs.enabled) {
        const slot = this.latestSlot(cs.time, COORDINATOR_NAME, from, to, cs.weekday);
        if (slot) {
          const byDept = this.departments().map((dept) => ({
            dept,
            items: this.pending(dept, slot.date).filter((i) => i.days !== undefined && i.days < 0),
          }));
          let text = overdueSummaryText(slot.date, byDept, late(slot.at));
          const year = Number(slot.date.slice(0, 4));
          // The State Council publishes next year's holidays between late October and December.
          if (Number(slot.date.slice(5, 7)) >= 11 && !this.calendar.isCovered(year + 1)) {
            text += `\n提示：${year + 1} 年的节假日和调休安排尚未录入，届时将按周一至周五发送提醒。国务院通知发布后，请在 data/holidays.json 或管理页补充。`;
          }
          add(undefined, 'overdue-summary', isoWeek(slot.date), slot, text);
        }
      }
      this.planEscalations(from, to, late, add);
      this.planReport(to, add);
    }
    return { rows, alerted };
  }
}
