import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import { toChineseNumber } from '../src/core/chinese-numerals.js';
import { taskLine, taskRef } from './format.js';
import { numberedParts } from '../src/plan/sections.js';

export interface SectionTarget {
  kind: 'section' | 'subsection';
  index: number;
  /** Set when the subsection was named in a part that has no such subsection (index is then the number asked). */
  part?: number;
}

/**
 * A part or subsection the plan lacks (`asked`: how the question named it): what the plan has instead, and questions
 * that work on this plan (a flat list of measures has neither parts nor subsections).
 */
function lacking(loaded: LoadedPlan, kind: SectionTarget['kind'], asked: string): string {
  const { plan } = loaded;
  const sections = numberedParts(plan);
  const { subsections } = plan;
  const examples = [
    subsections.length ? `“(${subsections.at(-1)!.no})有哪些任务”` : undefined,
    sections.length ? `“第${sections.at(-1)!.no}部分有哪些任务”` : undefined,
    !sections.length && plan.tasks.length ? `“第${plan.tasks.at(-1)!.id}项是什么”` : undefined,
  ].filter((e) => e !== undefined);
  const ask = examples.length ? `可以问：${examples.join('或')}。` : '';
  const count = kind === 'section' ? sections.length : subsections.length;
  if (!count) return `方案不分${kind === 'section' ? '部分' : '小节'}。${ask}`;
  const range = kind === 'section' ? `一至${toChineseNumber(count)}部分` : `(一)至(${toChineseNumber(count)})小节`;
  return `方案没有${asked}，共有${range}。${ask}`;
}

/** "第四部分第五小节" when the part has fewer: what the part has instead. */
function missingInPart(loaded: LoadedPlan, part: number, asked: number): Reply {
  const { plan } = loaded;
  const sec = plan.sections.find((s) => s.index === part);
  const subs = plan.subsections.filter((s) => s.section === part);
  const text = !sec
    ? lacking(loaded, 'section', `第${toChineseNumber(part)}部分`)
    : subs.length
      ? `第${sec.no}部分「${sec.title}」没有第${toChineseNumber(asked)}小节，它有：${subs.map((s) => `(${s.no})${s.title}`).join('；')}。`
      : `第${sec.no}部分「${sec.title}」不分小节，可以问“第${sec.no}部分有哪些任务”。`;
  return { text, intent: 'section_tasks', tasks: [], departments: [] };
}

/** "(十七)有哪些任务" / "加强源头治理包括哪些任务" / "第六部分"; `others`: subsections printed with the same number elsewhere. */
export function answerSectionTasks(loaded: LoadedPlan, target: SectionTarget, others: SectionTarget[] = []): Reply {
  const { plan, registry } = loaded;
  if (target.part !== undefined) return missingInPart(loaded, target.part, target.index);
  const isSection = target.kind === 'section';
  const section = isSection ? plan.sections.find((s) => s.index === target.index) : undefined;
  const subsection = isSection ? undefined : plan.subsections.find((s) => s.index === target.index);
  if (!section && !subsection) {
    return {
      text: lacking(loaded, target.kind, isSection ? `第${toChineseNumber(target.index)}部分` : `(${toChineseNumber(target.index)})小节`),
      intent: 'section_tasks',
      tasks: [],
      departments: [],
    };
  }
  const tasks = plan.tasks.filter((t) => (section ? t.section === section.index : t.subsection === subsection!.index));
  const lines: string[] = [];
  if (section) {
    const subs = plan.subsections.filter((s) => s.section === section.index);
    // (how many subsections it has is said too: 第二部分分了几个小节 is answered by the part itself)
    lines.push(`${section.no}、${section.title}：共${tasks.length}项任务${subs.length ? `，分${subs.length}个小节` : ''}`);
    // (tasks outside any subsection first: a plan, or a part, without subsections lists them all here)
    for (const t of tasks.filter((t) => !plan.subsections.some((sub) => sub.index === t.subsection))) lines.push(taskLine(t, 26, true, registry.names.length));
    for (const sub of subs) {
      const inSub = tasks.filter((t) => t.subsection === sub.index);
      lines.push(`(${sub.no})${sub.title}（${inSub.length}项）`);
      for (const t of inSub) lines.push(taskLine(t, 26, true, registry.names.length));
    }
  } else {
    const sec = plan.sections.find((s) => s.index === subsection!.section);
    lines.push(`(${subsection!.no})${subsection!.title}（属于${sec ? `${sec.no}、${sec.title}` : ''}）：共${tasks.length}项任务`);
    for (const t of tasks) lines.push(taskLine(t, 40, true, registry.names.length));
    // (二) printed in several parts: this is the first part's; say where the others are and how to ask for them
    for (const o of others) {
      const sub = plan.subsections.find((s) => s.index === o.index);
      const sec = sub && plan.sections.find((s) => s.index === sub.section);
      if (sub && sec) lines.push(`另：第${sec.no}部分也有(${sub.no})${sub.title}（${plan.tasks.filter((t) => t.subsection === sub.index).length}项），可问“第${sec.no}部分第${sub.no}小节”。`);
    }
  }
  const departments = [...new Set(tasks.flatMap((t) => t.departments))].sort(
    (a, b) => loaded.registry.names.indexOf(a) - loaded.registry.names.indexOf(b),
  );
  return { text: lines.join('\n'), intent: 'section_tasks', tasks: tasks.map((t) => taskRef(t, 1)), departments };
}

/** Every task of the plan (激励支持那份方案，从头到尾的任务都有哪些), part by part as printed. */
export function answerWholePlan(loaded: LoadedPlan): Reply {
  const { plan, registry } = loaded;
  const parts = numberedParts(plan);
  const lines = [`《${plan.title}》：共${plan.tasks.length}项任务${parts.length ? `，分${parts.length}个部分` : ''}`];
  const line = (t: (typeof plan.tasks)[number]) => lines.push(taskLine(t, 26, true, registry.names.length));
  // (tasks outside the numbered parts first: a flat list of measures has only these)
  for (const t of plan.tasks.filter((t) => !parts.some((p) => p.index === t.section))) line(t);
  for (const part of parts) {
    const inPart = plan.tasks.filter((t) => t.section === part.index);
    if (!inPart.length) continue;
    lines.push(`${part.no}、${part.title}（${inPart.length}项）`);
    inPart.forEach(line);
  }
  const departments = registry.names.filter((d) => plan.tasks.some((t) => t.departments.includes(d)));
  return { text: lines.join('\n'), intent: 'section_tasks', tasks: plan.tasks.map((t) => taskRef(t, 1)), departments };
}

/** The tasks about a topic said as such, no unit named (扶贫那一块有哪些任务): best first, each with its units. */
export function answerTopicTasks(loaded: LoadedPlan, topic: string, ids: number[]): Reply {
  const { plan, registry } = loaded;
  const tasks = ids.map((id) => plan.tasks.find((t) => t.id === id)).filter((t) => t !== undefined);
  const lines = [`与「${topic}」相关的任务有${tasks.length}项：`, ...tasks.map((t) => taskLine(t, 40, true, registry.names.length))];
  if (tasks.length) lines.push(`（看一项的全文和分工可问“第${tasks[0].id}项是什么”）`);
  const departments = registry.names.filter((d) => tasks.some((t) => t.departments.includes(d)));
  return { text: lines.join('\n'), intent: 'section_tasks', tasks: tasks.map((t) => taskRef(t, 1)), departments };
}
