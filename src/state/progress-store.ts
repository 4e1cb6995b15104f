import { progressKey, taskKeyString, type TaskKey } from '../plan/task-key.js';
import { StoreError } from './errors.js';
import type { StoreContext } from './store-context.js';
import { STATUSES, type AuditActor, type ProgressEntry, type ProgressStatus } from './types.js';

export interface ProgressRow {
  /** The plan's id; `taskId` is the task's number within it. */
  plan: string;
  taskId: number;
  department: string;
  status: ProgressStatus;
  note?: string;
  deadline?: string;
  updatedAt?: string;
  updatedBy?: AuditActor;
}

export interface DeadlineChange {
  task: TaskKey;
  /** YYYY-MM-DD, or null to clear. */
  date: string | null;
  department?: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** Status of each (task, department) and the deadlines: the rules of each change, each one audited. */
export class ProgressStore {
  constructor(private readonly ctx: StoreContext) {}

  status(k: TaskKey, dept: string): ProgressEntry | undefined {
    return this.ctx.data.progress[progressKey(k, dept)];
  }

  /** Status or the default 未开始. */
  statusOf(k: TaskKey, dept: string): ProgressStatus {
    return this.status(k, dept)?.status ?? '未开始';
  }

  async setStatus(k: TaskKey, dept: string, status: ProgressStatus, note: string | undefined, by: AuditActor): Promise<ProgressEntry> {
    if (!STATUSES.includes(status)) throw new StoreError(`未知状态「${status}」`);
    this.ctx.checkDept(k, dept);
    return this.ctx.mutate((data) => {
      const key = progressKey(k, dept);
      const old = data.progress[key];
      const entry: ProgressEntry = { status, updatedAt: this.ctx.nowIso(), updatedBy: by };
      const n = note?.trim();
      if (n) entry.note = n.slice(0, 1000);
      data.progress[key] = entry;
      this.ctx.notePlanTexts(data, k.plan);
      this.ctx.audit(data, {
        action: 'status',
        actor: by,
        plan: k.plan,
        taskId: k.task,
        department: dept,
        old: old ? { status: old.status, note: old.note } : { status: '未开始' },
        new: { status, note: entry.note },
      });
      return entry;
    }, ['progress', 'planTexts', 'history']);
  }

  deadline(k: TaskKey, dept: string): string | undefined {
    const d = this.ctx.data.deadlines[taskKeyString(k)];
    return d?.byDepartment?.[dept] ?? d?.date;
  }

  /** The task-wide deadline and per-department overrides. */
  deadlineEntry(k: TaskKey): { date?: string; byDepartment: Record<string, string> } {
    const d = this.ctx.data.deadlines[taskKeyString(k)];
    return { date: d?.date, byDepartment: { ...(d?.byDepartment ?? {}) } };
  }

  async setDeadline(k: TaskKey, date: string | null, dept: string | undefined, by: AuditActor): Promise<void> {
    await this.setDeadlines([{ task: k, date, department: dept }], by);
  }

  /** Set many deadlines in one write (the dashboard sets a whole section at once). Validates all first. */
  async setDeadlines(changes: DeadlineChange[], by: AuditActor): Promise<void> {
    for (const c of changes) {
      if (c.department) this.ctx.checkDept(c.task, c.department);
      else this.ctx.task(c.task);
      if (c.date !== null && !isValidDate(c.date)) throw new StoreError(`日期「${c.date}」无效，应为 YYYY-MM-DD`);
    }
    await this.ctx.mutate((data) => {
      for (const c of changes) {
        const k = taskKeyString(c.task);
        const entry = { ...(data.deadlines[k] ?? {}) };
        const old = c.department ? entry.byDepartment?.[c.department] : entry.date;
        if (c.department) {
          const by = { ...(entry.byDepartment ?? {}) };
          if (c.date === null) delete by[c.department];
          else by[c.department] = c.date;
          entry.byDepartment = by;
          if (Object.keys(by).length === 0) delete entry.byDepartment;
        } else if (c.date === null) delete entry.date;
        else entry.date = c.date;
        if (entry.date === undefined && entry.byDepartment === undefined) delete data.deadlines[k];
        else data.deadlines[k] = entry;
        this.ctx.notePlanTexts(data, c.task.plan);
        this.ctx.audit(data, { action: 'deadline', actor: by, plan: c.task.plan, taskId: c.task.task, department: c.department, old: old ?? null, new: c.date });
      }
    }, ['deadlines', 'planTexts', 'history']);
  }

  /** Every (task, department) of the active plans (or of one plan, one task) with its status and deadline, plan by plan. */
  rows(filter: { department?: string; plan?: string; task?: TaskKey } = {}): ProgressRow[] {
    const out: ProgressRow[] = [];
    const plan = filter.task?.plan ?? filter.plan;
    for (const loaded of this.ctx.plans.all()) {
      if (plan !== undefined && loaded.plan.id !== plan) continue;
      for (const t of loaded.plan.tasks) {
        if (filter.task && t.id !== filter.task.task) continue;
        const k = { plan: loaded.plan.id, task: t.id };
        for (const dept of t.departments) {
          if (filter.department && dept !== filter.department) continue;
          out.push(this.row(k, dept));
        }
      }
    }
    return out;
  }

  private row(k: TaskKey, dept: string): ProgressRow {
    const p = this.ctx.data.progress[progressKey(k, dept)];
    const row: ProgressRow = { plan: k.plan, taskId: k.task, department: dept, status: p?.status ?? '未开始' };
    if (p?.note) row.note = p.note;
    const dl = this.deadline(k, dept);
    if (dl) row.deadline = dl;
    if (p) {
      row.updatedAt = p.updatedAt;
      row.updatedBy = p.updatedBy;
    }
    return row;
  }
}
