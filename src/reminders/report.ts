/**
 * The weekly 督办通报: which day it is issued, and the figures it carries (pure data; report-docx.ts lays it out).
 */
import { planShortName } from '../plan/names.js';
import type { StateStore } from '../state/store.js';
import type { Liaison, ProgressStatus } from '../state/types.js';
import type { WorkdayCalendar } from './calendar.js';
import type { WeeklyReportConfig } from './config.js';
import { snippet } from './compose.js';
import { addDays, daysBetween, isoWeek, shortDate, weekdayOf } from './time.js';

export interface StatusCounts {
  total: number;
  done: number;
  doing: number;
  notStarted: number;
  /** Not done and past the deadline (a subset of doing + notStarted). */
  overdue: number;
}

export interface OverdueItem {
  /** The plan's short name, when several plans are active. */
  plan?: string;
  department: string;
  taskId: number;
  task: string;
  status: ProgressStatus;
  deadline: string;
  daysOverdue: number;
  liaisons: string[];
}

export interface ChangeItem {
  /** The plan's short name, when several plans are active. */
  plan?: string;
  at: string;
  date: string;
  department: string;
  taskId: number;
  from: string;
  to: string;
  note?: string;
}

export interface ReportData {
  title: string;
  issuer: string;
  planTitle: string;
  number: number;
  /** ISO week (2026-W50). */
  week: string;
  periodStart: string;
  periodEnd: string;
  totals: StatusCounts;
  departments: Array<{ department: string } & StatusCounts>;
  /** With several active plans: each plan's figures and its departments' (the document has a table per plan). */
  plans: Array<{ id: string; label: string; title: string; totals: StatusCounts; departments: Array<{ department: string } & StatusCounts> }>;
  /** The longest overdue first, capped at MAX_OVERDUE. */
  overdue: OverdueItem[];
  /** Overdue items left out of the document (counted in the figures). */
  overdueOmitted: number;
  changes: ChangeItem[];
  /** Status changes left out of the document (the list is capped). */
  changesOmitted: number;
}

/** Status changes and overdue items listed in one issue at most (the document stays a few dozen pages); the rest are counted. */
export const MAX_CHANGES = 300;
export const MAX_OVERDUE = 200;

/** Monday of the week a date is in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/**
 * The day a week's report is issued: its configured weekday, or the nearest workday before it in the
 * same week when that day is off (a holiday Friday moves the report to Thursday). None in a week off.
 */
export function reportDay(monday: string, weekday: number, calendar: WorkdayCalendar): string | undefined {
  for (let d = weekday; d >= 1; d--) {
    const date = addDays(monday, d - 1);
    if (calendar.isWorkday(date)) return date;
  }
  return undefined;
}

export function reportFileName(number: number, week: string): string {
  return `督办通报-第${number}期-${week}.docx`;
}

export function liaisonLabel(l: Liaison): string {
  const where = l.platform === 'telegram' ? 'Telegram' : `企业微信 ${l.id}`;
  return l.name ? `${l.name}（${where}）` : where;
}

/**
 * The figures of one issue from the state as it is now: every (task, department) row of the plan,
 * its status and deadline on `periodEnd`, and the status changes of the week up to `asOf`.
 */
export function buildReportData(o: {
  store: StateStore;
  config: WeeklyReportConfig;
  timeZone: string;
  week: { start: string; end: string };
  number: number;
  asOf: Date;
  calendar: WorkdayCalendar;
}): ReportData {
  const { store, week } = o;
  const active = store.plans.all();
  const loaded = store.plans.first;
  const several = active.length > 1;
  const labelOf = new Map(active.map((l) => [l.plan.id, planShortName(l.plan.title) || l.plan.title || l.plan.id]));
  const names = store.plans.departmentNames();
  const blank = (): StatusCounts => ({ total: 0, done: 0, doing: 0, notStarted: 0, overdue: 0 });
  const byDept = new Map(names.map((d) => [d, blank()]));
  const totals = blank();
  const perPlan = new Map(active.map((l) => [l.plan.id, { totals: blank(), byDept: new Map(l.registry.names.map((d) => [d, blank()])) }]));
  const overdue: OverdueItem[] = [];
  const text = new Map(active.flatMap((l) => l.plan.tasks.map((t) => [`${l.plan.id}:${t.id}`, t.text] as const)));
  for (const row of store.rows()) {
    const c = byDept.get(row.department);
    if (!c) continue;
    const p = perPlan.get(row.plan)!;
    const pc = p.byDept.get(row.department) ?? blank();
    p.byDept.set(row.department, pc);
    for (const x of [c, totals, p.totals, pc]) {
      x.total++;
      if (row.status === '已完成') x.done++;
      else if (row.status === '进行中') x.doing++;
      else x.notStarted++;
    }
    if (row.status !== '已完成' && row.deadline && row.deadline < week.end) {
      for (const x of [c, totals, p.totals, pc]) x.overdue++;
      overdue.push({
        ...(several ? { plan: labelOf.get(row.plan) } : {}),
        department: row.department,
        taskId: row.taskId,
        task: snippet(text.get(`${row.plan}:${row.taskId}`) ?? '', 30),
        status: row.status,
        deadline: row.deadline,
        daysOverdue: daysBetween(row.deadline, week.end),
        liaisons: store.liaisons(row.department).map(liaisonLabel),
      });
    }
  }
  overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || names.indexOf(a.department) - names.indexOf(b.department) || a.taskId - b.taskId);

  const zoneDate = new Intl.DateTimeFormat('en-CA', { timeZone: o.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const asOf = o.asOf.toISOString();
  const changes: ChangeItem[] = [];
  for (const h of store.history({ action: 'status' })) {
    if (h.at > asOf || h.taskId === undefined || !h.department) continue;
    const date = zoneDate.format(new Date(h.at));
    if (date < week.start || date > week.end) continue;
    const from = (h.old as { status?: string } | undefined)?.status ?? '未开始';
    const to = (h.new as { status?: string; note?: string } | undefined) ?? {};
    const plan = h.plan ?? loaded.plan.id;
    if (!labelOf.has(plan)) continue;
    const item: ChangeItem = { ...(several ? { plan: labelOf.get(plan) } : {}), at: h.at, date, department: h.department, taskId: h.taskId, from, to: to.status ?? '' };
    if (to.note) item.note = to.note;
    changes.push(item);
  }
  const issuer = o.config.issuer || loaded.registry.get(loaded.registry.coordinator)?.fullName || loaded.registry.coordinator;
  return {
    title: o.config.title,
    issuer,
    planTitle: active.map((l) => l.plan.title).join('；'),
    number: o.number,
    week: isoWeek(week.start),
    periodStart: week.start,
    periodEnd: week.end,
    totals,
    departments: names.map((d) => ({ department: d, ...byDept.get(d)! })).filter((d) => d.total > 0),
    plans: several
      ? active.map((l) => {
          const p = perPlan.get(l.plan.id)!;
          const departments = [...p.byDept].map(([department, c]) => ({ department, ...c })).filter((d) => d.total > 0);
          return { id: l.plan.id, label: labelOf.get(l.plan.id)!, title: l.plan.title, totals: p.totals, departments };
        })
      : [],
    overdue: overdue.slice(0, MAX_OVERDUE),
    overdueOmitted: Math.max(0, overdue.length - MAX_OVERDUE),
    changes: changes.slice(-MAX_CHANGES),
    changesOmitted: Math.max(0, changes.length - MAX_CHANGES),
  };
}

export function percent(done: number, total: number): string {
  return total ? `${Math.round((done / total) * 1000) / 10}%` : '—';
}

/** The chat text that goes with the document. */
export function reportCaption(d: ReportData, catchUp: boolean): string {
  const t = d.totals;
  const lines = [
    `${catchUp ? '（补发）' : ''}【${d.title}】${d.periodStart.slice(0, 4)}年第${d.number}期（${shortDate(d.periodStart)}—${shortDate(d.periodEnd)}）`,
    `共 ${t.total} 项（按部门计）：已完成 ${t.done}，进行中 ${t.doing}，未开始 ${t.notStarted}；逾期 ${t.overdue}。完成率 ${percent(t.done, t.total)}。`,
  ];
  if (d.overdue.length) {
    const worst = d.overdue.slice(0, 5).map((i) => `${i.department}${i.plan ? `【${i.plan}】` : ''}第${i.taskId}项（逾期${i.daysOverdue}天）`);
    lines.push(`逾期较久：${worst.join('、')}${t.overdue > 5 ? ` 等 ${t.overdue} 项` : ''}。`);
  }
  lines.push(`本周进展更新 ${d.changes.length + d.changesOmitted} 条。全文见附件《${reportFileName(d.number, d.week)}》。`);
  return lines.join('\n');
}
