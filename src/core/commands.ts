/**
 * The bot's commands: the menu a platform shows (Telegram's setMyCommands) and how each reaches the core.
 * Commands the core parses itself (/done, /progress, /bind …) pass through as "/name args";
 * the question-style commands become the free text the QA engine already understands.
 */

export type CommandScope = 'private' | 'group' | 'admin';

export interface CommandSpec {
  name: string;
  /** Chinese description shown in Telegram's command menu (1–256 chars). */
  description: string;
  /** Where the command appears in the menu (the server still checks authority itself). */
  scopes: CommandScope[];
  /** Turn the arguments into the text given to bot.handle; a `usage` result is answered directly. */
  rewrite?: (args: string) => string | { usage: string };
}

const ALL: CommandScope[] = ['private', 'group', 'admin'];

export const COMMANDS: CommandSpec[] = [
  // /start and /help reach the core as commands (its help handler answers them).
  { name: 'start', description: '开始使用督办助手', scopes: ['private'] },
  { name: 'help', description: '查看用法和示例', scopes: ALL },
  {
    name: 'ask',
    description: '提问，例如 /ask 谁负责调解员培训',
    scopes: ALL,
    rewrite: (a) => a || { usage: '用法：/ask 问题，例如 /ask 谁负责调解员培训？' },
  },
  {
    name: 'tasks',
    description: '列出任务，可加部门：/tasks 财政',
    scopes: ALL,
    rewrite: (a) => (a ? `${a}有哪些任务` : { usage: '用法：/tasks 部门，例如 /tasks 财政；也可以直接问「财政有哪些任务」' }),
  },
  {
    name: 'task',
    description: '查看某项任务：/task 48',
    scopes: ALL,
    rewrite: (a) => {
      const m = /^第?\s*(\d{1,3})\s*项?$/.exec(a);
      return m ? `第${Number(m[1])}项` : { usage: '用法：/task 任务编号，例如 /task 48' };
    },
  },
  { name: 'due', description: '查看即将到期和已逾期的任务', scopes: ALL },
  { name: 'done', description: '报告完成：/done 48 备注', scopes: ['group', 'admin', 'private'] },
  { name: 'progress', description: '更新进度：/progress 48 进行中 备注', scopes: ['group', 'admin', 'private'] },
  { name: 'bind', description: '把本群绑定到部门：/bind 法院、/bind 督办、/bind 领导（管理员）', scopes: ['admin', 'private'] },
  { name: 'unbind', description: '解除本群绑定（管理员）', scopes: ['admin', 'private'] },
  { name: 'schedule', description: '查看或设置提醒时间', scopes: ['admin', 'private'] },
  { name: 'liaison', description: '部门联络员：/liaison 法院 @某人（协调员）', scopes: ['admin', 'private'] },
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

export function commandSpec(name: string): CommandSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * "/tasks 财政" → "财政有哪些任务"; "/done 48 备注" → "/done 48 备注"; unknown commands pass through
 * so the core can answer them. `name` is without slash and @bot suffix.
 */
export function commandToText(name: string, args: string): string | { usage: string } {
  const spec = commandSpec(name);
  const a = args.trim();
  if (spec?.rewrite) return spec.rewrite(a);
  return a ? `/${name.toLowerCase()} ${a}` : `/${name.toLowerCase()}`;
}

/** Menu entries for one scope, in table order. */
export function menuFor(scope: CommandScope): Array<{ command: string; description: string }> {
  return COMMANDS.filter((c) => c.scopes.includes(scope)).map((c) => ({ command: c.name, description: c.description }));
}
