import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import type { Task } from '../src/plan/types.js';
import type { Role } from '../src/nlu/list-requests.js';
import { departmentLabel, idRanges, taskLine, taskRef } from './format.js';
import { answerTaskDetail } from './task-detail.js';
import { partLabel } from '../src/plan/sections.js';

/** The department is among the task's units — as its lead or as a supporting unit when a role is asked. */
function holds(t: Task, d: string, role?: Role): boolean {
  if (!t.departments.includes(d)) return false;
  return role === 'lead' ? t.lead.includes(d) : role === 'support' ? !t.lead.includes(d) : true;
}

/** Tasks every one of the departments is responsible for (one department: all its tasks), in the role asked. */
export function sharedTasks(loaded: LoadedPlan, departments: string[], role?: Role): Task[] {
  return loaded.plan.tasks.filter((t) => departments.every((d) => holds(t, d, role)));
}

const ROLE_WORD: Record<Role, string> = { lead: '牵头', support: '配合' };

export interface ListOptions {
  /** Only what the departments lead, or only what they support. */
  role?: Role;
  /** Several departments not asked about together: each one's list rather than the tasks they share. */
  separately?: boolean;
  /** Each unit in its own role (教育局牵头、人社局配合): the tasks where each holds it. */
  roles?: Array<{ department: string; role: Role }>;
  /** 牵头 was asked but the plan does not print lead and supporting units apart. */
  leadAskedWithoutRoles?: boolean;
  /** Who holds each item was asked too (…的任务有哪些，谁负责): every line names its units. */
  withUnits?: boolean;
}

/** Tasks grouped by section, with counts, one compact line per task. */
export function groupedTaskLines(loaded: LoadedPlan, tasks: Task[], withDepartments = false): string[] {
  const lines: string[] = [];
  for (const sec of loaded.plan.sections) {
    const inSec = tasks.filter((t) => t.section === sec.index);
    if (!inSec.length) continue;
    // (a flat list of measures: no heading)
    if (sec.no) lines.push(`【${partLabel(sec)}】${inSec.length}项`);
    for (const t of inSec) lines.push(taskLine(t, 26, withDepartments, loaded.registry.names.length));
  }
  return lines;
}

/** "总工会有哪些任务?" / "财政和工信共同负责哪些任务" / "人社局牵头的有哪些" / "人社和财政各有哪些任务". */
export function answerDepartmentTasks(loaded: LoadedPlan, departments: string[], options: ListOptions = {}): Reply {
  if (options.roles) return answerInRoles(loaded, options.roles);
  if (departments.length > 1 && options.separately) return answerEachDepartment(loaded, departments, options.role);
  const { role } = options;
  const tasks = sharedTasks(loaded, departments, role);
  const who = departments.length === 1 ? departmentLabel(loaded, departments[0]) : departments.join('、');
  const lines: string[] = [];
  if (role) {
    const all = sharedTasks(loaded, departments);
    const other = all.length - tasks.length;
    const together = departments.length > 1 ? '共同' : '';
    lines.push(
      tasks.length
        ? `${who}${together}${ROLE_WORD[role]}的任务共${tasks.length}项（${other ? `另${role === 'lead' ? '配合' : '牵头'}${other}项，共涉及${all.length}项` : `涉及的${all.length}项都是${ROLE_WORD[role]}`}）：`
        : departments.length > 1
          ? `${who}没有${together}${ROLE_WORD[role]}的任务（${together}涉及${all.length}项）。`
          : `${who}没有${ROLE_WORD[role]}的任务（共涉及${all.length}项，都是${role === 'lead' ? '配合' : '牵头'}）。`,
    );
  } else {
    lines.push(
      departments.length === 1
        ? `${who}共负责${tasks.length}项任务（方案共${loaded.plan.tasks.length}项）：`
        : tasks.length
          ? `${who}共同负责的任务共${tasks.length}项：`
          : `${who}没有共同负责的任务。`,
    );
    if (options.leadAskedWithoutRoles) lines.push('（方案没有分列牵头和配合单位，以下是列有它的全部任务）');
    if (departments.length === 1) {
      const printed = loaded.plan.tasks.some((t) => t.lead.length);
      if (printed) {
        const lead = tasks.filter((t) => t.lead.includes(departments[0])).map((t) => t.id);
        if (lead.length) lines.push(`其中牵头的${lead.length}项：第${idRanges(lead)}项`);
      } else {
        // The department printed first in a task's 责任部门 cell usually leads it.
        const first = tasks.filter((t) => t.departments[0] === departments[0]).map((t) => t.id);
        if (first.length) lines.push(`其中列在责任部门首位（通常为牵头）的${first.length}项：第${idRanges(first)}项`);
      }
    }
  }
  lines.push(...groupedTaskLines(loaded, tasks, options.withUnits || departments.length > 1));
  if (departments.length > 1 && !tasks.length) {
    for (const d of departments) lines.push(`${d}：${role ? ROLE_WORD[role] : ''}${sharedTasks(loaded, [d], role).length}项（可问“${d}${role ? `${ROLE_WORD[role]}的有哪些` : '有哪些任务'}”）`);
  }
  return {
    text: lines.join('\n'),
    intent: 'department_tasks',
    tasks: tasks.map((t) => taskRef(t, 1)),
    departments: [...departments],
  };
}

/** "教育局牵头、人社局配合的任务": the tasks where each unit holds the role the question gives it. */
function answerInRoles(loaded: LoadedPlan, roles: Array<{ department: string; role: Role }>): Reply {
  const tasks = loaded.plan.tasks.filter((t) => roles.every((r) => holds(t, r.department, r.role)));
  const said = roles.map((r) => `${r.department}${ROLE_WORD[r.role]}`).join('、');
  const lines = [tasks.length ? `${said}的任务共${tasks.length}项：` : `没有${said}的任务。`, ...groupedTaskLines(loaded, tasks, true)];
  const departments = roles.map((r) => r.department);
  if (!tasks.length) lines.push(`（两家共同涉及的任务可问“${departments.join('和')}共同负责哪些任务”）`);
  return { text: lines.join('\n'), intent: 'department_tasks', tasks: tasks.map((t) => taskRef(t, 1)), departments };
}

/** "人社和财政各有哪些任务": each department's count and numbers, then every task of any of them, in plan order. */
function answerEachDepartment(loaded: LoadedPlan, departments: string[], role?: Role): Reply {
  const word = role ? ROLE_WORD[role] : '负责';
  const lines = [`分别来看（${departments.join('、')}）：`];
  for (const d of departments) {
    const own = sharedTasks(loaded, [d], role).map((t) => t.id);
    lines.push(own.length ? `${departmentLabel(loaded, d)}${word}${own.length}项：第${idRanges(own)}项` : `${departmentLabel(loaded, d)}没有${word}的任务`);
  }
  const shared = sharedTasks(loaded, departments, role);
  if (shared.length) lines.push(`其中共同${word}的${shared.length}项：第${idRanges(shared.map((t) => t.id))}项`);
  const tasks = loaded.plan.tasks.filter((t) => departments.some((d) => holds(t, d, role)));
  lines.push(...groupedTaskLines(loaded, tasks, true));
  return { text: lines.join('\n'), intent: 'department_tasks', tasks: tasks.map((t) => taskRef(t, 1)), departments: [...departments] };
}

/**
 * "总工会关于协商的任务有哪些": the department's tasks about one topic, most relevant first (ids ranked), with the
 * department's total for reference; when it holds none, the plan's task nearest the topic (`nearest`) and its units.
 */
export function answerDepartmentTopicTasks(
  loaded: LoadedPlan,
  departments: string[],
  topic: string,
  ids: number[],
  { role, nearest, withUnits = false }: { role?: Role; nearest?: number; withUnits?: boolean } = {},
): Reply {
  const all = sharedTasks(loaded, departments, role);
  // most relevant first, as the topic's tasks of the whole plan are: 「第二个」 after the list is its second line
  const tasks = ids.map((id) => all.find((t) => t.id === id)).filter((t) => t !== undefined);
  const who = departments.join('、');
  const [only] = tasks.length === 1 ? tasks : [];
  const lines = [
    `${who}${departments.length > 1 ? '共同' : ''}${role ? ROLE_WORD[role] : '负责'}的${all.length}项任务中，` +
      (only ? `与「${topic}」相关的是这一项：` : tasks.length ? `与「${topic}」相关的有${tasks.length}项：` : `没有与「${topic}」相关的。`),
    // (one item, as asked for one — 是哪一条: in full, with its units, as its number would be answered)
    ...(only
      ? [answerTaskDetail(loaded, only.id).text]
      : tasks.map((t) => taskLine(t, 40, withUnits || departments.length > 1, loaded.registry.names.length))),
    ...nearestLine(loaded, tasks.length ? undefined : nearest, topic),
    `（看全部可问“${departments.length > 1 ? `${who}共同负责哪些任务` : `${who}有哪些任务`}”）`,
  ];
  return {
    text: lines.join('\n'),
    intent: 'department_tasks',
    tasks: tasks.map((t) => taskRef(t, 1)).filter((r) => r.departments.length),
    departments: [...departments],
    topic,
  };
}

/** The plan's task nearest a topic none of the unit's tasks is about, with its own units. */
function nearestLine(loaded: LoadedPlan, id: number | undefined, topic: string): string[] {
  const task = id === undefined ? undefined : loaded.plan.tasks.find((t) => t.id === id);
  return task ? [`方案中与「${topic}」最相关的是：`, taskLine(task, 40, true, loaded.registry.names.length)] : [];
}
