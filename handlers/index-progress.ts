import type { BotContext, Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import { bindHandler } from './bind.js';
import { liaisonHandler } from './liaison.js';
import { planCommandHandler } from './plan-command.js';
import { deadlineHandler } from './deadline.js';
import { progressQueryHandler } from './progress-query.js';
import { reportProgressHandler } from './report-progress.js';
import { scheduleHandler } from './schedule.js';
import { undoProgressHandler } from './undo-progress.js';

/**
 * A message from a group whose binding was switched off after failed sends means the bot is back
 * in the group: switch reminders on again. Never answers.
 */
export const reactivateBindingHandler: Handler<Services> = (ctx) => {
  const b = ctx.services.store.bindingFor(ctx.message.channel, ctx.message.chatId);
  // a promise only when there is something to wait for: the chain runs for every message
  if (!b || b.active) return undefined;
  return ctx.services.store.setBindingActive(b.channel, b.chatId, true, '群内收到新消息，恢复提醒').then(() => undefined);
};

/** Telegram senders with a @username are remembered, so "/liaison 法院 @username" can find them. Never answers. */
export const rememberPersonHandler: Handler<Services> = (ctx) => (ctx.message.channel === 'telegram' ? rememberTelegramPeople(ctx) : undefined);

async function rememberTelegramPeople(ctx: BotContext<Services>): Promise<undefined> {
  const m = ctx.message;
  if (m.channel === 'telegram' && m.userHandle && /^\d+$/.test(m.userId)) {
    await ctx.services.store.rememberPerson({ platform: 'telegram', id: m.userId, name: m.userName, handle: m.userHandle });
  }
  if (m.channel === 'telegram' && m.replyTo?.userHandle) {
    await ctx.services.store.rememberPerson({ platform: 'telegram', id: m.replyTo.userId, name: m.replyTo.userName, handle: m.replyTo.userHandle });
  }
  return undefined;
}

/** The progress handlers in the order they run; put them before askHandler. */
export const progressHandlers: Handler<Services>[] = [
  reactivateBindingHandler,
  rememberPersonHandler,
  bindHandler,
  planCommandHandler,
  liaisonHandler,
  deadlineHandler,
  scheduleHandler,
  undoProgressHandler,
  reportProgressHandler,
  progressQueryHandler,
];

export { bindHandler, planCommandHandler, liaisonHandler, deadlineHandler, progressQueryHandler, reportProgressHandler, scheduleHandler, undoProgressHandler };
