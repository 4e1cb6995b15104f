import { commandHelp, type CommandScope } from '../src/core/commands.js';
import type { BotContext, Handler } from '../src/core/context.js';
import type { QaEngine } from '../src/nlu/engine.js';

/** The registry's commands this chat may use: its own kind of chat, plus the administrators' ones for them. */
function scopesOf(ctx: BotContext): CommandScope[] {
  const scopes: CommandScope[] = [ctx.message.chatType];
  if (ctx.actor.admin || ctx.actor.coordinator) scopes.push('admin');
  return scopes;
}

/**
 * The last handler in the chain: any message the progress/deadline handlers did not take
 * is a question about the plan. Commands (/done …) are left to their own handlers; /help and /start
 * answer with the examples and the command list of this channel.
 */
export const askHandler: Handler<{ qa: QaEngine }> = (ctx) => {
  if (ctx.command && !['ask', 'help', 'start'].includes(ctx.command.name)) return undefined;
  const text = ctx.command?.name === 'ask' ? ctx.command.args : ctx.command ? 'help' : ctx.text;
  const { question: _q, chunks: _c, ...reply } = ctx.services.qa.ask(text);
  if (ctx.command && ctx.command.name !== 'ask') reply.text += `\n\n${commandHelp(ctx.message.channel, scopesOf(ctx))}`;
  return reply;
};
