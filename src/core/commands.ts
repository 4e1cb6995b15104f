/**
 * The bot's commands, in one table that drives everything about them: dispatch (aliases resolve to one name the
 * handlers check), Telegram's menus (setMyCommands), which bare `/command` in a group is ours (the adapters'
 * inbound filters), and the command list in /help on every channel.
 * Commands the core parses itself (/done, /progress, /bind …) pass through as "/name args";
 * the question-style commands become the free text the QA engine already understands.
 */
import type { ChannelName } from './types.js';

/** private: one-to-one chats; group: department groups; admin: what administrators and the coordinator also see. */
export type CommandScope = 'private' | 'group' | 'admin';

export interface CommandSpec {
  name: string;
  /** Other names for the same command (/ddl = /deadline). */
  aliases?: string[];
  /** Chinese description shown in Telegram's command menu and in /help (1–256 chars). */
  description: string;
  /**
   * A complete example, shown in /help. {部门}, {任务} and {问题} stand for a department, a task number and a
   * question of the plans loaded (see exampleOf): a plan is data, the table knows none of its words.
   */
  example: string;
  /** Where the command appears in the menu and help (the server still checks authority itself). */
  scopes: CommandScope[];
  /** Only on these channels (default: every channel). */
  channels?: ChannelName[];
  /** Who may use it, for /help: a department's chat (and the coordinator), or the coordinator only; default anyone. */
  who?: 'department' | 'coordinator';
  /** Turn the arguments into the text given to bot.handle; a `usage` result is answered directly. */
  rewrite?: (args: string) => string | { usage: string };
}

const ALL: CommandScope[] = ['private', 'group', 'admin'];

export const COMMANDS: CommandSpec[] = [
  // /start and /help reach the core as commands (the ask handler answers them, with this table's list).
  { name: 'start', description: '开始使用督办助手', example: '/start', scopes: ['private'] },
  { name: 'help', description: '查看用法和示例', example: '/help', scopes: ALL },
  {
    name: 'ask',
    aliases: ['q'],
    description: '用自己的话提问：/ask 问题',
    example: '/ask {问题}',
    scopes: ALL,
    rewrite: (a) => a || { usage: '用法：/ask 问题，例如「/ask 某项工作谁负责？」；发送 /help 查看可以问的问题' },
  },
  {
    name: 'tasks',
    description: '列出某部门的任务：/tasks 部门',
    example: '/tasks {部门}',
    scopes: ALL,
    rewrite: (a) => (a ? `${a}有哪些任务` : { usage: '用法：/tasks 部门名称；也可以直接问「某部门有哪些任务」' }),
  },
  {
    name: 'task',
    description: '查看某项任务：/task 编号',
    example: '/task {任务}',
    scopes: ALL,
    rewrite: (a) => {
      // A plan's name may come first (「/task 人才集聚工程 5」, as /help shows it with several plans).
      const m = /^(?:(.*[^\d\s第])\s*)?第?\s*(\d{1,3})\s*项?$/.exec(a.trim());
      return m ? `${m[1] ?? ''}第${Number(m[2])}项` : { usage: '用法：/task 任务编号，例如「/task 5」' };
    },
  },
  { name: 'status', description: '查看某项任务的进展：/status 编号', example: '/status {任务}', scopes: ALL },
  { name: 'plan', aliases: ['plans'], description: '查看各方案，设定本群的默认方案：/plan 方案简称', example: '/plan', scopes: ALL },
  { name: 'due', description: '查看即将到期和已逾期的任务', example: '/due 14', scopes: ALL },
  { name: 'pending', aliases: ['todo'], description: '本部门（或各部门）未完成的任务', example: '/pending', scopes: ALL },
  { name: 'overdue', description: '已逾期的任务', example: '/overdue', scopes: ALL },
  { name: 'done', who: 'department', description: '报告完成：/done 编号 备注', example: '/done {任务} 已按要求完成', scopes: ALL },
  { name: 'progress', who: 'department', description: '更新进度：/progress 编号 进行中 备注', example: '/progress {任务} 进行中 已起草方案', scopes: ALL },
  { name: 'deadline', who: 'coordinator', aliases: ['ddl'], description: '设定期限（协调员）：/deadline 编号 日期 [部门]', example: '/deadline {任务} 2026-12-31', scopes: ['admin', 'private'] },
  { name: 'bind', who: 'coordinator', description: '把本群绑定到部门：/bind 部门、/bind 督办、/bind 领导（管理员）', example: '/bind {部门}', scopes: ['admin', 'private'] },
  { name: 'unbind', who: 'coordinator', description: '解除本群绑定（管理员）', example: '/unbind', scopes: ['admin', 'private'] },
  { name: 'schedule', who: 'coordinator', aliases: ['remind'], description: '查看或设置提醒时间', example: '/schedule', scopes: ['admin', 'private'] },
  { name: 'liaison', who: 'coordinator', aliases: ['liaisons'], description: '部门联络员：/liaison 部门 @某人（协调员）', example: '/liaison {部门}', scopes: ['admin', 'private'] },
  {
    name: 'hook',
    who: 'coordinator',
    description: '登记部门群机器人（协调员，单聊）：/hook 部门 webhook地址',
    example: '/hook',
    scopes: ['admin'],
    channels: ['wecom-app', 'wecom-bot'],
  },
  { name: 'unhook', who: 'coordinator', description: '删除部门群机器人（协调员）：/unhook 部门', example: '/unhook {部门}', scopes: ['admin'], channels: ['wecom-app', 'wecom-bot'] },
];

/** What fills an example's {部门}, {任务} and {问题}: taken from the plans loaded (the plan router makes it). */
export interface ExampleFacts {
  department: string;
  task: number;
  /** The task as a reader writes it: 「48」, or 「<方案简称> 48」 with several plans (so the example never asks which plan). */
  taskReference: string;
  /** A question the plans answer, without its closing question mark. */
  question: string;
}

/** The example of a command, filled with the plans' own department, task and question. */
export function exampleOf(spec: CommandSpec, facts: ExampleFacts): string {
  return spec.example.replace('{部门}', facts.department).replace('{任务}', facts.taskReference).replace('{问题}', facts.question);
}

const onChannel = (c: CommandSpec, channel?: ChannelName) => !c.channels || (channel !== undefined && c.channels.includes(channel));

const BY_NAME = new Map(COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n) => [n, c] as const)));

/** The command of this name or alias (without slash or @bot suffix), if it is ours (on that channel, if given). */
export function commandSpec(name: string, channel?: ChannelName): CommandSpec | undefined {
  const spec = BY_NAME.get(name.toLowerCase());
  return spec && (channel === undefined || onChannel(spec, channel)) ? spec : undefined;
}

/**
 * "/tasks 部门" → "部门有哪些任务"; "/ddl 48 …" → "/deadline 48 …"; unknown commands pass through
 * so the core can answer them. `name` is without slash and @bot suffix.
 */
export function commandToText(name: string, args: string): string | { usage: string } {
  const spec = commandSpec(name);
  const a = args.trim();
  if (spec?.rewrite) return spec.rewrite(a);
  const canonical = spec?.name ?? name.toLowerCase();
  return a ? `/${canonical} ${a}` : `/${canonical}`;
}

/** Menu entries for one scope, in table order (Telegram's setMyCommands). */
export function menuFor(scope: CommandScope, channel: ChannelName = 'telegram'): Array<{ command: string; description: string }> {
  return COMMANDS.filter((c) => c.scopes.includes(scope) && onChannel(c, channel)).map((c) => ({ command: c.name, description: c.description }));
}

/** Who is reading /help: a guest may ask, a department's chat also reports, the coordinator also administers. */
export type HelpRole = 'guest' | 'department' | 'coordinator';

const MAY: Record<HelpRole, Array<CommandSpec['who']>> = {
  guest: [undefined],
  department: [undefined, 'department'],
  coordinator: [undefined, 'department', 'coordinator'],
};

/** The command list of /help for whoever asks, where they ask: only what they may use. */
export function commandHelp(channel: ChannelName, scopes: CommandScope[], facts: ExampleFacts, role: HelpRole = 'coordinator'): string {
  const lines = COMMANDS.filter((c) => c.name !== 'start' && c.scopes.some((s) => scopes.includes(s)) && onChannel(c, channel) && MAY[role].includes(c.who)).map(
    (c) => `· ${exampleOf(c, facts)} — ${c.description.replace(/[：:]\s*\/\S.*$|，例如.*$/, '')}`,
  );
  return ['命令：', ...lines].join('\n');
}
