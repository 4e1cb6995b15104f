/** Small shared formatting helpers for the QA answers (plain text, no markup). */
import type { LoadedPlan } from '../src/plan/load.js';
import type { Task } from '../src/plan/types.js';
import type { TaskRef } from '../src/core/types.js';
import { exampleQuestions, planExamples, type PlanExample } from '../src/plan/examples.js';
import { numberedParts, partLabel } from '../src/plan/sections.js';

const labelCache = new WeakMap<LoadedPlan['registry'], Map<string, string>>();

/** 人社（人力资源社会保障部门）; 总工会（工会组织） rather than 总工会（总工会（工会组织））. */
export function departmentLabel(loaded: LoadedPlan, name: string): string {
  // Every answer names departments: each label is made once per registry (a loaded registry does not change).
  let cache = labelCache.get(loaded.registry);
  if (!cache) labelCache.set(loaded.registry, (cache = new Map()));
  let label = cache.get(name);
  if (label === undefined) cache.set(name, (label = makeLabel(loaded, name)));
  return label;
}

function makeLabel(loaded: LoadedPlan, name: string): string {
  const d = loaded.registry.get(name);
  if (!d || d.fullName === name) return name;
  if (d.fullName.startsWith(name)) return d.fullName;
  // 工业和信息化部门（中小企业主管部门） → 工信（工业和信息化部门/中小企业主管部门）, no nested brackets
  return `${name}（${d.fullName.replace(/（(.+)）$/, '/$1')}）`;
}

export function departmentList(loaded: LoadedPlan, names: string[], full = true): string {
  return names.map((n) => (full ? departmentLabel(loaded, n) : n)).join('、');
}

export function excerpt(text: string, max: number): string {
  const t = text.replace(/\s+/g, '');
  if (/[\uD800-\uDFFF]/.test(t)) {
    const chars = [...t];
    return chars.length <= max ? t : `${chars.slice(0, max).join('')}…`;
  }
  return t.length <= max ? t : `${t.slice(0, max)}…`;
}

const lineCache = new WeakMap<Task, Map<string, string>>();

/** 六、提升服务能力 › (十七)加强调解员队伍建设 (empty in a flat list of measures). */
function taskPlace(loaded: LoadedPlan, task: Task): string {
  const sec = numberedParts(loaded.plan).find((s) => s.index === task.section);
  const sub = loaded.plan.subsections.find((s) => s.index === task.subsection);
  return [sec ? partLabel(sec) : '', sub ? `(${sub.no})${sub.title}` : ''].filter(Boolean).join(' › ');
}

/** 第48项（六、提升服务能力 › …）, or 第10项 alone where the plan has no parts. */
export function taskHeading(loaded: LoadedPlan, task: Task): string {
  const place = taskPlace(loaded, task);
  return place ? `第${task.id}项（${place}）` : `第${task.id}项`;
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
  // Lists repeat the same lines on every question: build each once.
  let cache = lineCache.get(task);
  if (!cache) lineCache.set(task, (cache = new Map()));
  const key = `${max}|${withDepartments ? 1 : 0}|${allCount ?? 0}`;
  let line = cache.get(key);
  if (line === undefined) {
    line = `第${task.id}项 ${excerpt(task.text, max)}`;
    if (withDepartments) line += `（${shortDepartments(task, allCount)}）`;
    cache.set(key, line);
  }
  return line;
}

export const RANGE_HINT = (loaded: LoadedPlan) => `1–${loaded.plan.tasks.length}`;

/** Example questions of this plan, made from it (src/plan/examples.ts): one of each kind first. */
export const examplesOf = (loaded: LoadedPlan, n = 4) => exampleQuestions(loaded, n);
/** The example of one kind, e.g. 「第N项是什么？」 for a missing task number. */
export const exampleOf = (loaded: LoadedPlan, intent: PlanExample['intent']) => planExamples(loaded).find((e) => e.intent === intent)?.question ?? '';

/** [1,2,3,5,7,8] → 1–3、5、7–8 */
export function idRanges(ids: number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j;
  }
  return parts.join('、');
}
