import { StoreError } from './errors.js';
import type { StoreContext } from './store-context.js';
import { STATUSES, type AuditActor, type ProgressEntry, type ProgressStatus } from './types.js';

export interface ProgressRow {
  taskId: number;
  department: string;
  status: ProgressStatus;
  note?: string;
  deadline?: string;
  updatedAt?: string;
  updatedBy?: AuditActor;
}

export interface DeadlineChange {
  taskId: number;
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

const progressKey = (taskId: number, dept: string) => `${taskId}|${dept}`;

/** Status of each (task, department) and the deadlines: the rules of each change, each one audited. */
export class ProgressStore {
  constructor(private readonly ctx: StoreContext) {}

  status(taskId: number, dept: string): ProgressEntry | undefined {
    return this.ctx.data.progress[progressKey(taskId, dept)];
  }

  /** Status or the default 未开始. */
  statusOf(taskId: number, dept: string): ProgressStatus {
    return this.status(taskId, dept)?.status ?? '未开始';
  }

  async setStatus(taskId: number, dept: string, status: ProgressStatus, note: string | undefined, by: AuditActor): Promise<ProgressEntry> {
    if (!STATUSES.includes(status)) throw new StoreError(`未知状态「${status}」`);
    this.ctx.checkDept(taskId, dept);
    return this.ctx.mutate((data) => {
      const key = progressKey(taskId, dept);
      const old = data.progress[key];
      const entry: ProgressEntry = { status, updatedAt: this.ctx.nowIso(), updatedBy: by };
      const n = note?.trim();
      if (n) entry.note = n.slice(0, 1000);
      data.progress[key] = entry;
      this.ctx.audit(data, {
        action: 'status',
        actor: by,
        taskId,
        department: dept,
        old: old ? { status: old.status, note: old.note } : { status: '未开始' },
        new: { status, note: entry.note },
      });
      return entry;
    }, ['progress', 'history']);
  }

  deadline(taskId: number, dept: string): string | undefined {
    const d = this.ctx.data.deadlines[String(taskId)];
    return d?.byDepartment?.[dept] ?? d?.date;
  }

  /** The task-wide deadline and per-department overrides. */
  deadlineEntry(taskId: number): { date?: string; byDepartment: Record<string, string> } {
    const d = this.ctx.data.deadlines[String(taskId)];
    return { date: d?.date, byDepartment: { ...(d?.byDepartment ?? {}) } };
  }

  async setDeadline(taskId: number, date: string | null, dept: string | undefined, by: AuditActor): Promise<void> {
    await this.setDeadlines([{ taskId, date, department: dept }], by);
  }

  /** Set many deadlines in one write (the dashboard sets a whole section at once). Validates all first. */
  async setDeadlines(changes: DeadlineChange[], by: AuditActor): Promise<void> {
    for (const c of changes) {
      if (c.department) this.ctx.checkDept(c.taskId, c.department);
      else this.ctx.task(c.taskId);
      if (c.date !== null && !isValidDate(c.date)) throw new StoreError(`日期「${c.date}」无效，应为 YYYY-MM-DD`);
    }
    await this.ctx.mutate((data) => {
      for (const c of changes) {
        const k = String(c.taskId);
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
        this.ctx.audit(data, { action: 'deadline', actor: by, taskId: c.taskId, department: c.department, old: old ?? null, new: c.date });
      }
    }, ['deadlines', 'history']);
  }

  /** Every (task, department) of the plan with its status and deadline. */
  rows(filter: { department?: string; taskId?: number } = {}): ProgressRow[] {
    const out: ProgressRow[] = [];
    for (const t of this.ctx.loaded.plan.tasks) {
      if (filter.taskId !== undefined && t.id !== filter.taskId) continue;
      for (const dept of t.departments) {
        if (filter.department && dept !== filter.department) continue;
        const p = this.ctx.data.progress[progressKey(t.id, dept)];
        const row: ProgressRow = { taskId: t.id, department: dept, status: p?.status ?? '未开始' };
        if (p?.note) row.note = p.note;
        const dl = this.deadline(t.id, dept);
        if (dl) row.deadline = dl;
        if (p) {
          row.updatedAt = p.updatedAt;
          row.updatedBy = p.updatedBy;
        }
        out.push(row);
      }
    }
    return out;
  }
}
