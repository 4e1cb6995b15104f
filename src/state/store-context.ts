import type { PlanSet } from '../plan/plan-set.js';
import type { TaskKey } from '../plan/task-key.js';
import type { StateBackend } from './backend.js';
import { StoreError } from './errors.js';
import type { AuditEntry, StateData } from './types.js';

/** What every store of one concern shares: the persistence core, the active plans, the clock and the audit history. */
export class StoreContext {
  constructor(
    readonly core: StateBackend,
    readonly plans: PlanSet,
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

  /**
   * Inside a change that writes keys of a plan's tasks: record which text each of its numbers means, if not yet
   * recorded (callers list 'planTexts' among its sections), so a revised version can move the keys (plan-revisions.ts).
   */
  notePlanTexts(data: StateData, plan: string): void {
    const loaded = this.plans.get(plan);
    if (data.planTexts[plan] || !loaded) return;
    data.planTexts[plan] = Object.fromEntries(loaded.plan.tasks.map((t) => [String(t.id), t.text]));
  }

  /** A department of any active plan (bindings, liaisons and schedules are per department, across plans). */
  knowsDepartment(name: string): boolean {
    return this.plans.all().some((p) => p.registry.get(name));
  }

  task(k: TaskKey) {
    if (!this.plans.get(k.plan)) throw new StoreError(`没有编号为「${k.plan}」的有效方案`);
    const t = this.plans.task(k);
    if (!t) throw new StoreError(`没有第${k.task}项任务`);
    return t;
  }

  checkDept(k: TaskKey, dept: string) {
    const t = this.task(k);
    if (!t.departments.includes(dept)) throw new StoreError(`第${k.task}项的责任部门不包括「${dept}」`);
    return t;
  }
}
