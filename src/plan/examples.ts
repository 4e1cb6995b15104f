/**
 * Example questions for help texts, hints and the chat page's buttons, made from a plan by general rules
 * (no plan's words are written here): a short term of a task → 「谁负责X？」, the unit with most tasks →
 * 「X有哪些任务？」, a task number in the middle → 「第N项是什么？」, a part → 「第N部分有哪些任务？」.
 */
import type { LoadedPlan } from './load.js';
import type { Task } from './types.js';
import { numberedParts } from './sections.js';

export interface PlanExample {
  question: string;
  /** The intent the question is meant to get (callers with an engine keep only examples answered so). */
  intent: 'responsibility' | 'department_tasks' | 'task_detail' | 'section_tasks';
  /** The task the answer should lead with, when there is one. */
  task?: number;
}

/** Words opening a task that say what to do, not what it is about. */
const VERB = /^(?:进一步|全面|积极|大力|持续|切实|认真|深入|不断|加快|着力|继续|推动|推进|加强|健全|完善|建立|建立健全|开展|做好|实施|落实|强化|提升|提高|优化|深化|创新|规范|探索|鼓励|支持|发挥|引导|坚持|组织|制定|研究制定|指导|构建|打造|培育|扩大|畅通|用好|抓好|对|加大|的)+/;
/**
 * A clause that only says how well something is done (产业特色优势明显, 技术改造成效明显的市): who qualifies for a
 * measure, not what a task is about.
 */
const APPRAISAL = /(?:明显|显著|突出|较强|较好|良好|雄厚|较快|较高|反映好|评价好)(?:的\p{Script=Han}{1,3})?$/u;
const TERM_MIN = 4;
const TERM_MAX = 10;

/** Short terms a task is known by: its heading (「羊城企业家培养项目。…」), else its first clause without the verbs. */
export function taskTerms(task: Task): string[] {
  const out: string[] = [];
  const heading = /^([^。：:，,；;]{4,14})[。：:]/.exec(task.text)?.[1];
  if (heading) out.push(heading.replace(/[“”"]/g, ''));
  // whole clauses first: a clause cut at TERM_MAX may end inside a word (履约能 of 履约能力), so it is the last resort
  const cut: string[] = [];
  for (const clause of task.text.split(/[。：:，,；;、（）()]/).slice(0, 2)) {
    const chars = [...clause.trim().replace(/[“”"《》]/g, '').replace(VERB, '')];
    if (chars.length < TERM_MIN || APPRAISAL.test(chars.join(''))) continue;
    if (chars.length <= TERM_MAX) out.push(chars.join(''));
    else cut.push(chars.slice(0, TERM_MAX).join(''));
  }
  return [...new Set(out.length ? out : cut)];
}

/** Tasks ordered from the middle of the plan outwards (the first and last tasks are often goals and safeguards). */
function fromMiddle(tasks: Task[]): Task[] {
  const mid = Math.floor(tasks.length / 2);
  return [...tasks].sort((a, b) => Math.abs(tasks.indexOf(a) - mid) - Math.abs(tasks.indexOf(b) - mid));
}

/**
 * Candidate examples of one plan, best first within each kind. `planName` (with several plans loaded)
 * is put in front of the questions that point into a plan by number.
 */
export function planExamples(loaded: LoadedPlan, options: { planName?: string } = {}): PlanExample[] {
  // Every refusal and vague answer shows examples: those of a plan are made once (a loaded plan does not change).
  if (options.planName === undefined) {
    let list = plain.get(loaded);
    if (!list) plain.set(loaded, (list = makeExamples(loaded, '')));
    return list;
  }
  return makeExamples(loaded, options.planName);
}

/** Examples without a plan name in front, per plan (shared: callers never mutate them). */
const plain = new WeakMap<LoadedPlan, PlanExample[]>();

function makeExamples(loaded: LoadedPlan, prefix: string): PlanExample[] {
  const { plan, registry } = loaded;
  const out: PlanExample[] = [];
  for (const task of fromMiddle(plan.tasks).slice(0, 12)) {
    for (const term of taskTerms(task)) out.push({ question: `谁负责${term}？`, intent: 'responsibility', task: task.id });
  }
  const counts = registry.names
    .map((name) => ({ name, n: plan.tasks.filter((t) => t.departments.includes(name)).length }))
    .filter((c) => c.n > 0)
    .sort((a, b) => b.n - a.n);
  // A single unit reads better than a collective one (各区、县级市, 各有关单位).
  const single = counts.filter((c) => !/^各|、/.test(c.name));
  for (const c of (single.length ? single : counts).slice(0, 3)) out.push({ question: `${c.name}有哪些任务？`, intent: 'department_tasks' });
  if (plan.tasks.length) {
    const mid = plan.tasks[Math.floor((plan.tasks.length - 1) * 0.75)].id;
    out.push({ question: `${prefix}第${mid}项是什么？`, intent: 'task_detail', task: mid });
  }
  // (a flat list of measures has no part to ask for)
  const parts = numberedParts(plan);
  const section = parts[Math.floor(parts.length / 2)];
  if (section) out.push({ question: `${prefix}第${section.no}部分有哪些任务？`, intent: 'section_tasks' });
  return interleave(out);
}

/** One example of each kind first, then the rest: a short list still shows every kind of question. */
function interleave(list: PlanExample[]): PlanExample[] {
  const kinds = [...new Set(list.map((e) => e.intent))];
  const queues = kinds.map((k) => list.filter((e) => e.intent === k));
  const out: PlanExample[] = [];
  while (queues.some((q) => q.length)) for (const q of queues) if (q.length) out.push(q.shift()!);
  return out;
}

/** The first example of each kind, without an engine to check them (help of a single plan, hints). */
export function exampleQuestions(loaded: LoadedPlan, n = 4): string[] {
  return planExamples(loaded).slice(0, n).map((e) => e.question);
}
