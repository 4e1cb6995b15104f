/** Small shared formatting helpers for the QA answers (plain text, no markup). */
import type { LoadedPlan } from '../src/plan/load.js';
import type { Task } from '../src/plan/types.js';
import type { TaskRef } from '../src/core/types.js';

/** 人社（人力资源社会保障部门）; 总工会（工会组织） rather than 总工会（总工会（工会组织））. */
export function departmentLabel(loaded: LoadedPlan, name: string): string {
  const d = loaded.registry.get(name);
  if (!d || d.fullName === name) return name;
  if (d.fullName.startsWith(name)) return d.fullName;
  return loaded.registry.display(name);
}

export function departmentList(loaded: LoadedPlan, names: string[], full = true): string {
  return names.map((n) => (full ? departmentLabel(loaded, n) : n)).join('、');
}

export function excerpt(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, '')];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}

/** 六、提升服务能力 › (十七)加强调解员队伍建设 */
export function taskPlace(loaded: LoadedPlan, task: Task): string {
  const sec = loaded.plan.sections.find((s) => s.index === task.section);
  const sub = loaded.plan.subsections.find((s) => s.index === task.subsection);
  return [sec ? `${sec.no}、${sec.title}` : '', sub ? `(${sub.no})${sub.title}` : ''].filter(Boolean).join(' › ');
}

export function taskById(loaded: LoadedPlan, id: number): Task | undefined {
  return loaded.plan.tasks.find((t) => t.id === id);
}

export function taskRef(task: Task, score = 1): TaskRef {
  return { id: task.id, departments: [...task.departments], score: Math.round(score * 1000) / 1000 };
}

/** Departments of a task in short form; all of them → 全部门. */
export function shortDepartments(task: Task, allCount?: number): string {
  return allCount && task.departments.length >= allCount ? `全部${allCount}个部门` : task.departments.join('、');
}

/** One compact line: 第48项 加强对调解员的培训指导…（人社、法院…） */
export function taskLine(task: Task, max = 28, withDepartments = false, allCount?: number): string {
  const line = `第${task.id}项 ${excerpt(task.text, max)}`;
  return withDepartments ? `${line}（${shortDepartments(task, allCount)}）` : line;
}

export const RANGE_HINT = (loaded: LoadedPlan) => `1–${loaded.plan.tasks.length}`;

export const EXAMPLES = ['谁负责调解员培训？', '支付令归哪个部门管？', '总工会有哪些任务？', '第46项是什么？', '(十七)有哪些任务？'];
