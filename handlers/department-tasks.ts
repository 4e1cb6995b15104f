import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import type { Task } from '../src/plan/types.js';
import { departmentLabel, idRanges, taskLine, taskRef } from './format.js';

/** Tasks every one of the departments is responsible for (one department: all its tasks). */
export function sharedTasks(loaded: LoadedPlan, departments: string[]): Task[] {
  return loaded.plan.tasks.filter((t) => departments.every((d) => t.departments.includes(d)));
}

/** Tasks grouped by section, with counts, one compact line per task. */
export function groupedTaskLines(loaded: LoadedPlan, tasks: Task[], withDepartments = false): string[] {
  const lines: string[] = [];
  for (const sec of loaded.plan.sections) {
    const inSec = tasks.filter((t) => t.section === sec.index);
    if (!inSec.length) continue;
    lines.push(`【${sec.no}、${sec.title}】${inSec.length}项`);
    for (const t of inSec) lines.push(taskLine(t, 26, withDepartments, loaded.registry.names.length));
  }
  return lines;
}

/** "总工会有哪些任务?" / "财政和工信共同负责哪些任务" / "司法行政有几项任务". */
export function answerDepartmentTasks(loaded: LoadedPlan, departments: string[]): Reply {
  const tasks = sharedTasks(loaded, departments);
  const who = departments.length === 1 ? departmentLabel(loaded, departments[0]) : departments.join('、');
  const head =
    departments.length === 1
      ? `${who}共负责${tasks.length}项任务（方案共${loaded.plan.tasks.length}项）：`
      : tasks.length
        ? `${who}共同负责的任务共${tasks.length}项：`
        : `${who}没有共同负责的任务。`;
  const lines = [head];
  if (departments.length === 1) {
    // The department printed first in a task's 责任部门 cell usually leads it.
    const first = tasks.filter((t) => t.departments[0] === departments[0]).map((t) => t.id);
    if (first.length) lines.push(`其中列在责任部门首位（通常为牵头）的${first.length}项：第${idRanges(first)}项`);
  }
  lines.push(...groupedTaskLines(loaded, tasks, departments.length > 1));
  if (departments.length > 1 && !tasks.length) {
    for (const d of departments) lines.push(`${d}：${sharedTasks(loaded, [d]).length}项（可问“${d}有哪些任务”）`);
  }
  return {
    text: lines.join('\n'),
    intent: 'department_tasks',
    tasks: tasks.map((t) => taskRef(t, 1)),
    departments: [...departments],
  };
}

/**
 * "总工会关于协商的任务有哪些": the department's tasks about one topic (ids ranked by relevance),
 * listed in plan order with the department's total for reference.
 */
export function answerDepartmentTopicTasks(loaded: LoadedPlan, departments: string[], topic: string, ids: number[]): Reply {
  const all = sharedTasks(loaded, departments);
  const tasks = all.filter((t) => ids.includes(t.id));
  const who = departments.join('、');
  const lines = [
    `${who}${departments.length > 1 ? '共同' : ''}负责的${all.length}项任务中，与「${topic}」相关的有${tasks.length}项：`,
    ...tasks.map((t) => taskLine(t, 40, departments.length > 1, loaded.registry.names.length)),
    `（看全部可问“${departments.length > 1 ? `${who}共同负责哪些任务` : `${who}有哪些任务`}”）`,
  ];
  return {
    text: lines.join('\n'),
    intent: 'department_tasks',
    tasks: ids.map((id) => taskRef(all.find((t) => t.id === id)!, 1)).filter((r) => r.departments.length),
    departments: [...departments],
  };
}
