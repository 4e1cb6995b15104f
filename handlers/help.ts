import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import { exampleOf, examplesOf, RANGE_HINT, taskById, taskLine } from './format.js';
import { numberedParts, partLabel } from '../src/plan/sections.js';

function examples(loaded: LoadedPlan): string {
  return examplesOf(loaded).map((e) => `· ${e}`).join('\n');
}

/** Greetings, 帮助, 你能做什么, and bad input (empty, markup only, emoji only). */
export function answerHelp(loaded: LoadedPlan): Reply {
  return {
    text: [
      `我是督办助手，可以回答${loaded.plan.title || '重点任务分工方案'}中${loaded.plan.tasks.length}项任务（编号${RANGE_HINT(loaded)}）的分工问题：`,
      '某件事由哪些部门负责、某个部门有哪些任务（或几个部门共同的任务）、第几项任务的内容、某一部分或小节包括哪些任务。',
      '例如：',
      examples(loaded),
    ].join('\n'),
    intent: 'help',
    tasks: [],
    departments: [],
  };
}

/** The plan's units, for a reply that names them all (the first `max`, then how many more). */
function unitList(loaded: LoadedPlan, max = 15): string {
  const names = loaded.registry.names;
  return names.length > max ? `${names.slice(0, max).join('、')}等${names.length}个` : names.join('、');
}

/**
 * Outside the plan: say so plainly, name no department, suggest what can be asked — or, when the question came near
 * to being answered (`nearby`: the closest tasks), those tasks as what it may have been about. A unit the plan lacks,
 * or what was asked of elsewhere (another document, another place), is said as such. Still no answer: the reply's
 * tasks stay empty.
 */
export function answerUnknown(
  loaded: LoadedPlan,
  question: string,
  { unknownUnit, elsewhere, nearby = [] }: { unknownUnit?: string; elsewhere?: { document?: string; place?: string }; nearby?: number[] } = {},
): Reply {
  const shown = [...question.replace(/\s+/g, ' ').trim()].slice(0, 30).join('');
  const scope = `我只能回答分工方案中${loaded.plan.tasks.length}项任务及其责任部门的问题。`;
  const head = unknownUnit
    ? `本方案的责任单位里没有「${unknownUnit}」。责任单位是：${unitList(loaded)}。`
    : elsewhere?.document
      ? `「${elsewhere.document}」不是这份分工方案，它的内容我查不到。${scope}`
      : elsewhere?.place
        ? `这份分工方案没有讲「${elsewhere.place}」那边的做法。${scope}`
        : `没有找到与「${shown}」直接对应的任务。${scope}`;
  const near = unknownUnit ? [] : nearby.map((id) => taskById(loaded, id)).filter((t) => t !== undefined);
  return {
    text: [
      head,
      ...(near.length
        ? [`可能相关的任务（回复“第${near[0].id}项”可看详情）：`, ...near.map((t) => `· ${taskLine(t, 30, true, loaded.registry.names.length)}`)]
        : ['可以这样问：', examples(loaded)]),
    ].join('\n'),
    intent: 'unknown',
    tasks: [],
    departments: [],
  };
}

/**
 * Thanks, an acknowledgement or asking whether the bot is there (收到，谢谢; 好的 辛苦了; 在吗): a word back, never
 * "not found" and never the whole help.
 */
export function answerCourtesy(said: string): Reply {
  const text = /谢|辛苦|thank|thx/i.test(said) ? '不客气，有问题随时问我。' : /在|有人/.test(said) ? '在的，有问题请直接问我（发「帮助」看看能问什么）。' : '好的，有问题随时问我。';
  return { text, intent: 'unknown', tasks: [], departments: [] };
}

/** "各部门分别负责几项" / "一共多少项任务" / "方案有几个部分": the plan at a glance. */
export function answerOverview(loaded: LoadedPlan): Reply {
  const { plan, registry } = loaded;
  // (a flat list of measures: its count alone)
  const parts = numberedParts(plan);
  const shape = [parts.length ? `${parts.length}个部分` : '', plan.subsections.length ? `${plan.subsections.length}个小节` : ''].filter(Boolean).join('、');
  const lines = [`方案共${plan.tasks.length}项任务${shape ? `，分${shape}：` : '，不分部分。'}`];
  for (const sec of parts) {
    const n = plan.tasks.filter((t) => t.section === sec.index).length;
    lines.push(`${partLabel(sec)}（${n}项）`);
  }
  const counts = registry.names
    .map((name) => ({ name, n: plan.tasks.filter((t) => t.departments.includes(name)).length }))
    .sort((a, b) => b.n - a.n);
  lines.push(`各部门负责的任务数：${counts.map((c) => `${c.name}${c.n}项`).join('、')}`);
  const next = (['department_tasks', 'section_tasks', 'task_detail'] as const).map((k) => exampleOf(loaded, k)).filter(Boolean);
  if (next.length) lines.push(`可以继续问：${next.map((e) => `“${e}”`).join('')}。`);
  return { text: lines.join('\n'), intent: 'help', tasks: [], departments: [] };
}
