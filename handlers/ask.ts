import type { Handler } from '../src/core/context.js';
import type { QaEngine } from '../src/nlu/engine.js';

/**
 * The last handler in the chain: any message the progress/deadline handlers did not take
 * is a question about the plan. Commands (/done …) are left to their own handlers.
 */
export const askHandler: Handler<{ qa: QaEngine }> = (ctx) => {
  if (ctx.command && !['ask', 'q', 'help', 'start'].includes(ctx.command.name)) return undefined;
  const text = ctx.command && ['ask', 'q'].includes(ctx.command.name) ? ctx.command.args : ctx.command ? 'help' : ctx.text;
  const { question: _q, chunks: _c, ...reply } = ctx.services.qa.ask(text);
  return reply;
};
