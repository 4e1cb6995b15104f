import { commandToText } from './commands.js';
import { compose, parseCommand, type Actor, type BotContext, type Handler, type Middleware } from './context.js';
import type { Message, Reply } from './types.js';
import { log } from './log.js';
import { stripBotMention } from './mentions.js';

/** The platform-neutral bot: every adapter turns its payload into a Message and sends back the Reply. */
export interface Bot {
  handle(message: Message): Promise<Reply>;
}

export interface BotOptions<S> {
  services: S;
  handlers: Handler<S>[];
  /** Run around the handler chain, outermost first (conversation context and paging). */
  middleware?: Middleware<S>[];
  resolveActor: (message: Message) => Actor;
  clock?: () => Date;
}

/** Longest message we analyse; anything longer is answered from its start. */
const MAX_TEXT = 2000;

/** An error whose message is written for the user: it says what happened and what did not. */
export interface UserFacingError extends Error {
  readonly userFacing: true;
}
const isUserFacing = (err: unknown): err is UserFacingError => err instanceof Error && (err as Partial<UserFacingError>).userFacing === true;

const FAILURE: Reply = {
  text: '抱歉，处理这条消息时出错了，请稍后再试。可以发送「帮助」查看用法。',
  intent: 'error',
  tasks: [],
  departments: [],
};

export function createBot<S>(options: BotOptions<S>): Bot {
  const chain = compose(options.handlers);
  const middleware = options.middleware ?? [];
  /** Middleware i, then i+1 …, then the chain; `next(text)` hands a rewritten text further in. */
  const run = (i: number, ctx: BotContext<S>): Promise<Reply | undefined> => {
    const mw = middleware[i];
    if (!mw) return Promise.resolve(chain(ctx));
    return mw(ctx, (text) => run(i + 1, text === undefined ? ctx : { ...ctx, text, message: { ...ctx.message, text }, command: parseCommand(text) }));
  };
  const clock = options.clock ?? (() => new Date());
  return {
    async handle(message) {
      // Control characters (other than line breaks) carry no meaning for the bot and break some renderers.
      let text = stripBotMention(message.text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')).slice(0, MAX_TEXT);
      // Question-style commands (/ask X, /tasks 财政, /task 48) become the question they stand for, on every platform.
      const asked = parseCommand(text);
      if (asked) {
        const rewritten = commandToText(asked.name, asked.args);
        if (typeof rewritten === 'object') return { text: rewritten.usage, intent: 'help', tasks: [], departments: [] };
        text = rewritten;
      }
      const ctx: BotContext<S> = {
        message: { ...message, text },
        text,
        command: parseCommand(text),
        actor: options.resolveActor(message),
        services: options.services,
        now: clock(),
      };
      try {
        return (await run(0, ctx)) ?? { ...FAILURE, intent: 'unknown', text: '没有理解这条消息。发送「帮助」查看可以问的问题。' };
      } catch (err) {
        log.error({ err, channel: message.channel }, 'handler failed');
        // Some failures are worth telling as they are (a change that could not be saved, and was not).
        return isUserFacing(err) ? { ...FAILURE, text: err.message } : FAILURE;
      }
    },
  };
}
