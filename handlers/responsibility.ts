import type { Reply, TaskRef } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import type { ScoredTask } from '../src/nlu/search.js';
import type { Task } from '../src/plan/types.js';
import { BROAD_COUNT } from '../src/nlu/engine.js';
import { departmentList, excerpt, taskById, taskHeading, taskLine, taskRef, exampleOf } from './format.js';

/** How close (relative to the best) another task must score to be shown as related. */
export const RELATED_RATIO = 0.7;

/**
 * "谁负责调解员培训?" → the best task with its responsible departments, the task text quoted briefly,
 * and close runners-up as related tasks.
 */
export function answerResponsibility(
  loaded: LoadedPlan,
  ranked: ScoredTask[],
  askedDepartments: string[] = [],
  options: { vague?: boolean; asksLead?: boolean } = {},
): Reply {
  const top = ranked[0] ? taskById(loaded, ranked[0].id) : undefined;
  if (!top) return { text: '没有找到对应的任务。', intent: 'responsibility', tasks: [], departments: [] };
  const close = ranked.filter((r) => r.score >= ranked[0].score * 0.9);
  if (close.length >= BROAD_COUNT) return broadAnswer(loaded, close);
  // A vague question: the best task, and the next two offered as what may have been meant.
  const related = relatedTasks(loaded, ranked, options.vague === true);
  const lines = [
    taskHeading(loaded, top),
    `责任部门：${departmentList(loaded, top.departments)}`,
    `任务内容：${excerpt(top.text, 90)}`,
  ];
  if (options.asksLead) lines.push(leadLine(loaded, top));
  for (const dep of askedDepartments) {
    lines.push(top.departments.includes(dep) ? `${dep}是第${top.id}项的责任部门之一。` : `注：${dep}不在第${top.id}项的责任部门中。`);
  }
  if (related.length) lines.push(`${options.vague ? '也可能是' : '相关'}：${related.map((t) => taskLine(t, 26, true, loaded.registry.names.length)).join('；')}`);
  return { text: lines.join('\n'), intent: 'responsibility', tasks: answerTasks(loaded, ranked, top, related), departments: [...top.departments] };
}

/** Too many tasks fit alike: ask for something more specific, and show the closest few. */
function broadAnswer(loaded: LoadedPlan, close: ScoredTask[]): Reply {
  const shown = close.slice(0, 5).map((r) => taskById(loaded, r.id)!);
  return {
    text: [
      `这个问题涉及${close.length}项任务，请说得具体一些（例如具体事项或部门：${[exampleOf(loaded, 'responsibility'), exampleOf(loaded, 'department_tasks')].map((e) => `“${e}”`).join('')}）。最相关的几项：`,
      ...shown.map((t) => taskLine(t, 30, true, loaded.registry.names.length)),
    ].join('\n'),
    intent: 'responsibility',
    tasks: close.map((r) => taskRef(taskById(loaded, r.id)!, r.score)),
    departments: [],
  };
}

/** The runners-up shown beside the best task: close ones, or for a vague question the next two whatever their score. */
function relatedTasks(loaded: LoadedPlan, ranked: ScoredTask[], vague: boolean): Task[] {
  const out: Task[] = [];
  let taken = 0;
  for (let i = 1; i < ranked.length && taken < (vague ? 2 : 3); i++) {
    if (!vague && ranked[i].score < ranked[0].score * RELATED_RATIO) continue;
    taken++;
    const task = taskById(loaded, ranked[i].id);
    if (task) out.push(task);
  }
  return out;
}

/** The JSON's tasks: the best, the related ones, then the next few that still score well. */
function answerTasks(loaded: LoadedPlan, ranked: ScoredTask[], top: Task, related: Task[]): TaskRef[] {
  const tasks = [top, ...related].map((t) => taskRef(t, ranked.find((r) => r.id === t.id)?.score ?? 0));
  const floor = Math.max(0.15, ranked[0].score * 0.4);
  for (const r of ranked.slice(1, 5)) if (r.score >= floor) if (!tasks.some((t) => t.id === r.id)) tasks.push(taskRef(taskById(loaded, r.id)!, r.score));
  return tasks;
}

/**
 * 「…谁牵头?」: the lead as the plan marks it — a 牵头单位 column, or the task text saying 「X牵头」 — and
 * honestly that it does not when it does not.
 */
export function leadLine(loaded: LoadedPlan, task: Task): string {
  if (task.lead.length) return `牵头单位：${task.lead.join('、')}${task.support.length ? `；配合单位：${task.support.join('、')}` : ''}。`;
  const said = [...task.text.matchAll(/([^，。；、（）]{1,30}?)牵头/g)].flatMap((m) => loaded.registry.mentionedIn(m[1]));
  const named = [...new Set(said)].filter((d) => task.departments.includes(d));
  if (named.length) return `牵头：任务原文写明由${named.join('、')}牵头。`;
  if (task.departments.length === 1) return `第${task.id}项只有一个责任部门：${task.departments[0]}（方案未单列牵头单位）。`;
  return `方案未写明第${task.id}项的牵头单位；责任部门依次为${task.departments.join('、')}（列在首位的是${task.departments[0]}）。`;
}
