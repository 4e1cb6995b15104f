import type { StoreContext } from './store-context.js';
import type { AuditActor, AuditEntry, ReportRecord } from './types.js';

export interface HistoryFilter {
  /** A plan's entries (with `taskId`: that plan's task). */
  plan?: string;
  taskId?: number;
  department?: string;
  action?: AuditEntry['action'] | AuditEntry['action'][];
  since?: string;
  limit?: number;
}

/** The audit history and the issued weekly reports. */
export class HistoryStore {
  constructor(private readonly ctx: StoreContext) {}

  history(filter: HistoryFilter = {}): AuditEntry[] {
    const actions = filter.action === undefined ? undefined : ([] as string[]).concat(filter.action);
    let out = this.ctx.data.history.filter(
      (h) =>
        (filter.plan === undefined || h.plan === filter.plan) &&
        (filter.taskId === undefined || h.taskId === filter.taskId) &&
        (filter.department === undefined || h.department === filter.department) &&
        (actions === undefined || actions.includes(h.action)) &&
        (filter.since === undefined || h.at >= filter.since),
    );
    if (filter.limit !== undefined) out = out.slice(-filter.limit);
    return out;
  }

  reports(): ReportRecord[] {
    return Object.values(this.ctx.data.reports).sort((a, b) => a.number - b.number);
  }

  report(week: string): ReportRecord | undefined {
    return this.ctx.data.reports[week];
  }

  /** The number the next issue will get. */
  get nextReportNumber(): number {
    return this.ctx.data.reportSeq + 1;
  }

  /** Record an issued report; the week keeps its first number (idempotent). */
  async recordReport(r: Omit<ReportRecord, 'createdAt'>, by: AuditActor): Promise<ReportRecord> {
    return this.ctx.mutate((data) => {
      const existing = data.reports[r.week];
      if (existing) return existing;
      const rec: ReportRecord = { ...r, createdAt: this.ctx.nowIso() };
      data.reports[r.week] = rec;
      data.reportSeq = Math.max(data.reportSeq, r.number);
      this.ctx.audit(data, { action: 'report', actor: by, new: { week: r.week, number: r.number, file: r.file } });
      return rec;
    }, ['reports', 'reportSeq', 'history']);
  }
}
