import { commandHelp, type CommandScope, type ExampleFacts, type HelpRole } from '../src/core/commands.js';
import type { BotContext, Handler } from '../src/core/context.js';
import { conversationKey } from '../src/core/conversation.js';
import type { AskOptions } from '../src/core/plans.js';
import type { Reply } from '../src/core/types.js';

/** The plan router (or one plan's engine): answers a question, routed by the chat asking. */
interface Asker {
  ask(text: string, opts?: AskOptions): Reply;
  /** What fills the command examples: the plans' own department, task and question. */
  exampleFacts(): ExampleFacts;
}

/** The registry's commands this chat may use: its own kind of chat, plus the administrators' ones for them. */
function scopesOf(ctx: BotContext): CommandScope[] {
  const scopes: CommandScope[] = [ctx.message.chatType];
  if (ctx.actor.admin || ctx.actor.coordinator) scopes.push('admin');
  return scopes;
}

function roleOf(ctx: BotContext): HelpRole {
  if (ctx.actor.admin || ctx.actor.coordinator) return 'coordinator';
  return ctx.actor.department ? 'department' : 'guest';
}

/** One line on what this chat is and may do, above its command list. */
function roleLine(ctx: BotContext, role: HelpRole): string {
  if (role === 'coordinator') return '本聊天为协调员（督办）：可以查询、代部门登记进展、设定期限、绑定群和调整提醒。';
  if (role === 'department') return `本聊天代表${ctx.actor.department}：可以查询，并登记${ctx.actor.department}的进展。`;
  return ctx.message.channel === 'web'
    ? '当前是访客身份，只能查询。要登记进展，请在页面顶部的「身份」菜单中选择您的部门（仅限本机或持管理令牌访问）。'
    : '本聊天尚未绑定部门，只能查询。协调员在群里发送「/bind 部门名称」绑定后，即可登记该部门的进展。';
}

/**
 * The last handler in the chain: any message the progress/deadline handlers did not take
 * is a question about the plan. Commands (/done …) are left to their own handlers; /help and /start
 * answer with the examples and the command list of this channel.
 */
export const askHandler: Handler<{ qa: Asker; store?: { chatPlan(channel: BotContext['message']['channel'], chatId: string): string | undefined } }> = (ctx) => {
  if (ctx.command && !['ask', 'help', 'start'].includes(ctx.command.name)) return undefined;
  const text = ctx.command?.name === 'ask' ? ctx.command.args : ctx.command ? 'help' : ctx.text;
  const { text: answer, intent, tasks, departments, topic } = ctx.services.qa.ask(text, {
    chat: conversationKey(ctx.message),
    defaultPlan: ctx.services.store?.chatPlan(ctx.message.channel, ctx.message.chatId),
  });
  const reply: Reply = { text: answer, intent, tasks, departments };
  if (topic) reply.topic = topic;
  if (ctx.command && ctx.command.name !== 'ask') {
    const role = roleOf(ctx);
    reply.text += `\n\n${roleLine(ctx, role)}\n${commandHelp(ctx.message.channel, scopesOf(ctx), ctx.services.qa.exampleFacts(), role)}`;
  }
  return reply;
};
