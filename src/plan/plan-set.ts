import type { LoadedPlan } from './load.js';
import type { TaskKey } from './task-key.js';
import type { Task } from './types.js';

/**
 * The active plans, the default first, as one replaceable set: the state, the reminders and the handlers
 * look tasks up here, and an import or archive while running (src/plan/watch.ts) replaces the set in place.
 */
export class PlanSet {
  private list: LoadedPlan[];
  private byId = new Map<string, LoadedPlan>();

  constructor(plans: readonly LoadedPlan[]) {
    this.list = [];
    this.replace(plans);
  }

  replace(plans: readonly LoadedPlan[]): void {
    this.list = [...plans];
    this.byId = new Map(this.list.map((p) => [p.plan.id, p]));
  }

  all(): readonly LoadedPlan[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /** The first active plan (the default one, unless it is archived). */
  get first(): LoadedPlan {
    return this.list[0];
  }

  get(id: string): LoadedPlan | undefined {
    return this.byId.get(id);
  }

  task(k: TaskKey): Task | undefined {
    return this.byId.get(k.plan)?.plan.tasks.find((t) => t.id === k.task);
  }

  /** Every department name of every active plan, each once, in plan order. */
  departmentNames(): string[] {
    return [...new Set(this.list.flatMap((p) => p.registry.names))];
  }
}
