import type { Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import { bindHandler } from './bind.js';
import { deadlineHandler } from './deadline.js';
import { progressQueryHandler } from './progress-query.js';
import { reportProgressHandler } from './report-progress.js';
import { scheduleHandler } from './schedule.js';

/**
 * A message from a group whose binding was switched off after failed sends means the bot is back
 * in the group: switch reminders on again. Never answers.
 */
export const reactivateBindingHandler: Handler<Services> = async (ctx) => {
  const b = ctx.services.store.bindingFor(ctx.message.channel, ctx.message.chatId);
  if (b && !b.active) await ctx.services.store.setBindingActive(b.channel, b.chatId, true, '群内收到新消息，恢复提醒');
  return undefined;
};

/** The progress handlers in the order they run; put them before askHandler. */
export const progressHandlers: Handler<Services>[] = [
  reactivateBindingHandler,
  bindHandler,
  deadlineHandler,
  scheduleHandler,
  reportProgressHandler,
  progressQueryHandler,
];

export { bindHandler, deadlineHandler, progressQueryHandler, reportProgressHandler, scheduleHandler };
