import type { ProgressRow, AuditEntry } from '../state/store.js';
import { addDays, dateKey, weekStart } from './dates.js';
import type { DeptBar } from './svg.js';

export interface Counts {
  tasks: number;
  done: number;
  doing: number;
  todo: number;
  overdue: number;
}

export interface Overview {
  today: string;
  total: Counts;
  /** Tasks (not rows) fully completed by every department. */
  tasksDone: number;
  taskCount: number;
  percent: number;
  departments: Array<DeptBar & { tasks: number }>;
  dueSoon: ProgressRow[];
  weekly: Array<{ label: string; week: string; count: number }>;
}

export function isOverdue(r: ProgressRow, today: string): boolean {
  return !!r.deadline && r.deadline < today && r.status !== '已完成';
}

/** Everything the overview shows, from the store's rows and the status history. One pass over the rows. */
export function computeOverview(opts: {
  rows: ProgressRow[];
  departments: string[];
  history: AuditEntry[];
  now: Date;
  timeZone: string;
  weeks?: number;
  dueWithinDays?: number;
}): Overview {
  const today = dateKey(opts.now, opts.timeZone);
  const horizon = addDays(today, opts.dueWithinDays ?? 14);
  const per = new Map<string, DeptBar & { tasks: number }>();
  for (const d of opts.departments) per.set(d, { name: d, tasks: 0, done: 0, doing: 0, todo: 0, overdue: 0 });
  const total: Counts = { tasks: 0, done: 0, doing: 0, todo: 0, overdue: 0 };
  const taskOpen = new Map<number, boolean>();
  const dueSoon: ProgressRow[] = [];
  for (const r of opts.rows) {
    let d = per.get(r.department);
    if (!d) {
      d = { name: r.department, tasks: 0, done: 0, doing: 0, todo: 0, overdue: 0 };
      per.set(r.department, d);
    }
    d.tasks++;
    total.tasks++;
    if (r.status === '已完成') {
      d.done++;
      total.done++;
    } else {
      taskOpen.set(r.taskId, true);
      if (r.status === '进行中') {
        d.doing++;
        total.doing++;
      } else {
        d.todo++;
        total.todo++;
      }
      if (r.deadline) {
        if (r.deadline < today) {
          d.overdue++;
          total.overdue++;
        } else if (r.deadline <= horizon) dueSoon.push(r);
      }
    }
    if (!taskOpen.has(r.taskId)) taskOpen.set(r.taskId, false);
  }
  dueSoon.sort((a, b) => (a.deadline! < b.deadline! ? -1 : a.deadline! > b.deadline! ? 1 : a.taskId - b.taskId));
  let tasksDone = 0;
  for (const open of taskOpen.values()) if (!open) tasksDone++;

  const nWeeks = opts.weeks ?? 12;
  const thisWeek = weekStart(today);
  const weeks: string[] = [];
  for (let i = nWeeks - 1; i >= 0; i--) weeks.push(addDays(thisWeek, -7 * i));
  const counts = new Map(weeks.map((w) => [w, 0]));
  for (const h of opts.history) {
    if (h.action !== 'status') continue;
    const n = h.new as { status?: string } | undefined;
    const o = h.old as { status?: string } | undefined;
    if (n?.status !== '已完成' || o?.status === '已完成') continue;
    const w = weekStart(dateKey(new Date(h.at), opts.timeZone));
    if (counts.has(w)) counts.set(w, counts.get(w)! + 1);
  }
  return {
    today,
    total,
    tasksDone,
    taskCount: taskOpen.size,
    percent: total.tasks ? (100 * total.done) / total.tasks : 0,
    departments: [...per.values()],
    dueSoon,
    weekly: weeks.map((w) => ({ week: w, label: w.slice(5), count: counts.get(w)! })),
  };
}
