import { matchRevision, type Revision } from '../plan/import/revision.js';
import type { Plan } from '../plan/types.js';
import type { StoreContext } from './store-context.js';
import type { AuditActor, StateData } from './types.js';

export interface FollowedRevision {
  plan: string;
  revision: Revision;
  /** Progress and deadline entries of tasks that are gone (kept in the audit history). */
  dropped: number;
}

const textsOf = (plan: Plan): Record<string, string> => Object.fromEntries(plan.tasks.map((t) => [String(t.id), t.text]));

function sameTexts(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Whether the state holds anything keyed by one of the plan's tasks. */
function hasKeys(data: StateData, plan: string): boolean {
  const mine = (k: string) => k.startsWith(`${plan}:`);
  return Object.keys(data.progress).some(mine) || Object.keys(data.deadlines).some(mine) || Object.keys(data.planner.alerted).some(mine);
}

/** `${plan}:${n}` or `${plan}:${n}|…` → n and the rest; undefined for another plan's key. */
function splitKey(plan: string, key: string): { task: number; rest: string } | undefined {
  const m = /^([^:|]+):(\d+)(.*)$/.exec(key);
  return m && m[1] === plan ? { task: Number(m[2]), rest: m[3] } : undefined;
}

/**
 * The state's keys name a task by plan + number, and a revised version of a plan may renumber its tasks. The
 * state keeps, per plan, the text of each number its keys were written for (`planTexts`); when a plan's tasks
 * differ from it, the keys follow their tasks — matched by text, as the import preview shows — to the new
 * numbers, all in one write. Entries of tasks that disappeared leave the active state: the audit history keeps
 * them in the revision's entry. A plan's texts are recorded with the first entry written for it (ProgressStore),
 * or here for entries that predate the record (a state migrated from schema 3).
 */
export class PlanRevisionStore {
  constructor(private readonly ctx: StoreContext) {}

  /** Bring the keys of every active plan up to its current version (nothing to do: no write). */
  async follow(by: AuditActor = { channel: 'cli', name: '方案更新' }): Promise<FollowedRevision[]> {
    const plans = this.ctx.plans.all().map((l) => l.plan);
    const data0 = this.ctx.data;
    const stale = plans.filter((p) => (data0.planTexts[p.id] ? !sameTexts(data0.planTexts[p.id], textsOf(p)) : hasKeys(data0, p.id)));
    if (!stale.length) return [];
    return this.ctx.mutate((data) => {
      const out: FollowedRevision[] = [];
      // Checked again on the latest state: another instance may have followed the same revision already.
      for (const plan of stale) {
        const texts = textsOf(plan);
        const recorded = data.planTexts[plan.id];
        if (recorded ? sameTexts(recorded, texts) : !hasKeys(data, plan.id)) continue;
        if (recorded) out.push(this.remap(data, plan, recorded, by));
        data.planTexts[plan.id] = texts;
      }
      return out;
    }, ['planTexts', 'progress', 'deadlines', 'planner', 'history']);
  }

  private remap(data: StateData, plan: Plan, recorded: Record<string, string>, by: AuditActor): FollowedRevision {
    const old = { tasks: Object.entries(recorded).map(([id, text]) => ({ id: Number(id), text })) };
    const revision = matchRevision(old, plan);
    const moved = new Map<number, number>([...revision.renumbered, ...revision.reworded].map((m) => [m.from, m.to]));
    const removed = new Set(revision.removed);
    const to = (n: number) => (removed.has(n) ? undefined : (moved.get(n) ?? n));
    const gone: Record<string, unknown> = {};
    const follow = <V>(map: Record<string, V>, keepGone: boolean): Record<string, V> => {
      // Other plans' keys first, then this plan's under their new numbers (a chain 5→6, 6→7 moves both).
      const next: Record<string, V> = {};
      const ours: Array<{ task: number; rest: string; key: string; value: V }> = [];
      for (const [key, value] of Object.entries(map)) {
        const s = splitKey(plan.id, key);
        if (s) ours.push({ ...s, key, value });
        else next[key] = value;
      }
      for (const { task, rest, key, value } of ours) {
        const n = to(task);
        if (n !== undefined) next[`${plan.id}:${n}${rest}`] = value;
        else if (keepGone) gone[key] = value;
      }
      return next;
    };
    const changed = moved.size > 0 || removed.size > 0;
    if (changed) {
      data.progress = follow(data.progress, true);
      data.deadlines = follow(data.deadlines, true);
      data.planner = { ...data.planner, alerted: follow(data.planner.alerted, false) };
      this.ctx.audit(data, {
        action: 'plan-revision',
        actor: by,
        plan: plan.id,
        old: Object.keys(gone).length ? gone : undefined,
        new: { moved: [...moved].map(([from, to]) => ({ from, to })), removed: [...removed] },
        note: `方案「${plan.title}」更新：${moved.size} 项任务的进展和期限随任务改到新序号，${removed.size} 项任务已删除`,
      });
    }
    return { plan: plan.id, revision, dropped: Object.keys(gone).length };
  }
}
