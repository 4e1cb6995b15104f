import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import { EXAMPLES, RANGE_HINT } from './format.js';

function examples(): string {
  return EXAMPLES.map((e) => `· ${e}`).join('\n');
}

/** Greetings, 帮助, 你能做什么, and bad input (empty, markup only, emoji only). */
export function answerHelp(loaded: LoadedPlan): Reply {
  return {
    text: [
      `我是督办助手，可以回答${loaded.plan.title || '重点任务分工方案'}中${loaded.plan.tasks.length}项任务（编号${RANGE_HINT(loaded)}）的分工问题：`,
      '某件事由哪些部门负责、某个部门有哪些任务（或几个部门共同的任务）、第几项任务的内容、某一部分或小节包括哪些任务。',
      '例如：',
      examples(),
    ].join('\n'),
    intent: 'help',
    tasks: [],
    departments: [],
  };
}

/** Outside the plan: say so plainly, name no department, suggest what can be asked. */
export function answerUnknown(loaded: LoadedPlan, question: string): Reply {
  const shown = [...question.replace(/\s+/g, ' ').trim()].slice(0, 30).join('');
  return {
    text: [
      `没有找到与「${shown}」直接对应的任务。我只能回答分工方案中${loaded.plan.tasks.length}项任务及其责任部门的问题。`,
      '可以这样问：',
      examples(),
    ].join('\n'),
    intent: 'unknown',
    tasks: [],
    departments: [],
  };
}
