/**
 * Which plan a chat command's bare task number means (「48 已完成」「第48项进展如何」「/deadline 48 …」):
 *   1. the plan named in the message (its title, short name or id: 「人才集聚工程 5 已完成」「p2 5 已完成」);
 *   2. the chat's default plan (/plan);
 *   3. the only active plan that has the task (with the chat's department among its units, when it has one).
 * Still ambiguous: the caller asks which plan, changing nothing.
 */
import type { LoadedPlan } from '../src/plan/load.js';
import { mentionedPlans, planLabelOf, withoutPlanName } from '../src/plan/names.js';
import type { Task } from '../src/plan/types.js';
import { refuse, type Ctx } from './progress-common.js';

/** A plan's name for a chat reader: its short name, else its title, else its id. */
export const planLabel = (l: LoadedPlan) => planLabelOf(l.plan);

/** The plan a message names, and the message without the name; with one plan loaded only its id names it. */
export function namedPlan(ctx: Ctx, text: string): { plan?: LoadedPlan; text: string } {
  const plans = ctx.services.plans.all();
  const t = text.trim();
  // The plan's id in front (a follow-up names the plan of the task it refers to so: 「p2 第5项进展如何」).
  const lead = /^([a-z0-9][a-z0-9-]{0,31})[\s:：]+/i.exec(t);
  const byId = lead && plans.find((p) => p.plan.id === lead[1].toLowerCase());
  if (byId) return { plan: byId, text: t.slice(lead[0].length) };
  if (plans.length < 2) return { text };
  const byLabel = plans.find((p) => t.startsWith(planLabel(p)));
  if (byLabel) return { plan: byLabel, text: t.slice(planLabel(byLabel).length).replace(/^[\s:：,，的]+/, '') };
  const named = mentionedPlans(t, plans.map((p) => ({ id: p.plan.id, title: p.plan.title, loaded: p })));
  if (named.length === 1) return { plan: named[0].plan.loaded, text: withoutPlanName(t, named[0].words).trim() };
  return { text };
}

export interface PlanTasks {
  loaded: LoadedPlan;
  tasks: Task[];
}

/**
 * The plans a command's task numbers may mean, best first: the named plan, else the chat's default plan, else
 * every active plan that has all the numbers — narrowed to those where `department` takes part, when some do.
 */
export function plansForTasks(ctx: Ctx, ids: number[], o: { named?: LoadedPlan; department?: string } = {}): PlanTasks[] {
  const { plans, store } = ctx.services;
  const withTasks = (l: LoadedPlan): PlanTasks | undefined => {
    const tasks = ids.map((id) => l.plan.tasks.find((t) => t.id === id));
    return tasks.every(Boolean) ? { loaded: l, tasks: tasks as Task[] } : undefined;
  };
  const fixed = o.named ?? plans.get(store.chatPlan(ctx.message.channel, ctx.message.chatId) ?? '');
  if (fixed) {
    const own = withTasks(fixed);
    return own ? [own] : [];
  }
  const having = plans.all().flatMap((l) => withTasks(l) ?? []);
  if (having.length < 2 || !o.department) return having;
  const theirs = having.filter((p) => p.tasks.every((t) => t.departments.includes(o.department!)));
  return theirs.length ? theirs : having;
}

/** The plan the numbers belong to: 「<方案简称> 48 …」 when the chat has no default plan and several fit. */
export function askWhichPlan(candidates: PlanTasks[], ids: number[], example: (label: string) => string, change = true) {
  const which = ids.length === 1 ? `第${ids[0]}项` : `第${ids.join('、')}项`;
  const lines = candidates.map((c) => `· 【${planLabel(c.loaded)}】${c.tasks.map((t) => t.text.replace(/\s+/g, '').slice(0, 20)).join('；')}…`);
  return refuse(
    [
      `${which}在${candidates.length}个方案里都有：`,
      ...lines,
      `请写明方案，例如「${example(planLabel(candidates[0].loaded))}」，或发送「/plan ${planLabel(candidates[0].loaded)}」把它设为本群的默认方案。${change ? '这次没有做任何修改。' : ''}`,
    ].join('\n'),
    'plan_ambiguous',
  );
}

/** No active plan has the number(s) (or not the chat's default / the named plan). */
export function noSuchTaskIn(ctx: Ctx, ids: number[], named?: LoadedPlan) {
  const { plans, store } = ctx.services;
  const fixed = named ?? plans.get(store.chatPlan(ctx.message.channel, ctx.message.chatId) ?? '');
  const list = fixed ? [fixed] : plans.all();
  const counts = list.map((l) => (list.length > 1 || plans.size > 1 ? `【${planLabel(l)}】共${l.plan.tasks.length}项` : `共${l.plan.tasks.length}项`)).join('，');
  return refuse(`没有第${ids.join('、')}项任务（${counts}）。`, 'unknown_task');
}
