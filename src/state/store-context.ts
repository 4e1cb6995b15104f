import type { LoadedPlan } from '../plan/load.js';
import type { StateBackend } from './backend.js';
import { StoreError } from './errors.js';
import type { AuditEntry, StateData } from './types.js';

/** What every store of one concern shares: the persistence core, the plan, the clock and the audit history. */
export class StoreContext {
  constructor(
    readonly core: StateBackend,
    readonly loaded: LoadedPlan,
    readonly clock: () => Date,
    private readonly maxHistory: number,
  ) {}

  get data(): StateData {
    return this.core.data;
  }

  get readOnly(): boolean {
    return this.core.readOnly;
  }

  nowIso(): string {
    return this.clock().toISOString();
  }

  /**
   * A durable change: `sections` lists the top-level parts it touches. Entries of maps must be replaced,
   * not changed in place, so a failed write can be undone.
   */
  mutate<R>(fn: (data: StateData) => R, sections: Array<keyof StateData>): Promise<R> {
    return this.core.mutate(fn, sections);
  }

  /** Record who changed what, inside the change (callers list 'history' among its sections). */
  audit(data: StateData, entry: Omit<AuditEntry, 'at'>): void {
    data.history.push({ at: this.nowIso(), ...entry });
    if (data.history.length > this.maxHistory) data.history.splice(0, data.history.length - this.maxHistory);
  }

  task(taskId: number) {
    const t = this.loaded.plan.tasks.find((x) => x.id === taskId);
    if (!t) throw new StoreError(`没有第${taskId}项任务`);
    return t;
  }

  checkDept(taskId: number, dept: string) {
    const t = this.task(taskId);
    if (!t.departments.includes(dept)) throw new StoreError(`第${taskId}项的责任部门不包括「${dept}」`);
    return t;
  }
}
