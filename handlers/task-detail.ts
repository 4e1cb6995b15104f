import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import { departmentList, exampleOf, RANGE_HINT, taskById, taskHeading, taskRef } from './format.js';
import { leadLine } from './responsibility.js';

/**
 * "第46项是什么?" → the full task with its place in the plan and responsible departments; asked who leads it (第46项谁牵头),
 * the lead as the plan prints or says it, or that it does not.
 */
export function answerTaskDetail(loaded: LoadedPlan, id: number, options: { asksLead?: boolean } = {}): Reply {
  const task = taskById(loaded, id);
  if (!task) {
    return {
      text: `方案共有${loaded.plan.tasks.length}项任务（编号${RANGE_HINT(loaded)}），没有第${id}项。可以问：${exampleOf(loaded, 'task_detail')}`,
      intent: 'task_detail',
      tasks: [],
      departments: [],
    };
  }
  return {
    text: [
      taskHeading(loaded, task),
      `任务内容：${task.text}`,
      `责任部门：${departmentList(loaded, task.departments)}`,
      ...(options.asksLead ? [leadLine(loaded, task)] : []),
    ].join('\n'),
    intent: 'task_detail',
    tasks: [taskRef(task, 1)],
    departments: [...task.departments],
  };
}

/** "第46项是什么?", "46、47是什么", "46到48项" → each task in full, one after another. */
export function answerTaskDetails(loaded: LoadedPlan, ids: number[], options: { asksLead?: boolean } = {}): Reply {
  const replies = ids.map((id) => answerTaskDetail(loaded, id, options));
  return {
    text: replies.map((r) => r.text).join('\n\n'),
    intent: 'task_detail',
    tasks: replies.flatMap((r) => r.tasks),
    departments: [...new Set(replies.flatMap((r) => r.departments))],
  };
}
