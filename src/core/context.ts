import { commandSpec } from './commands.js';
import type { Message, Reply } from './types.js';

/** Who is speaking, resolved from the chat binding and the adapter's trusted facts. */
export interface Actor {
  /** The department this chat speaks for (bound group, or the web page's chosen identity). */
  department?: string;
  /** Coordinator's chat (人社 督办 group) or the web page speaking as coordinator. */
  coordinator: boolean;
  /** Configured administrator (may set deadlines, bindings and schedules). */
  admin: boolean;
}

export interface Command {
  /** Lower-case command name without slash or @bot suffix: "done", "tasks". */
  name: string;
  args: string;
}

/** Passed through the handler chain, like grammY's Context. */
export interface BotContext<S = unknown> {
  message: Message;
  /** Message text, trimmed. */
  text: string;
  command?: Command;
  actor: Actor;
  services: S;
  now: Date;
}

/** A handler answers, or returns undefined to let the next one try. */
export type Handler<S = unknown> = (ctx: BotContext<S>) => Promise<Reply | undefined> | Reply | undefined;

/** Parse "/done@duban_bot 48 备注" → { name: "done", args: "48 备注" }. */
export function parseCommand(text: string): Command | undefined {
  const m = /^[/／]([A-Za-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  // Aliases (/ddl, /remind …) become the registry's name, so handlers check one name.
  return m ? { name: commandSpec(m[1])?.name ?? m[1].toLowerCase(), args: (m[2] ?? '').trim() } : undefined;
}

/**
 * Wraps the handler chain, like a grammY/Koa middleware: it may answer itself, or call `next`
 * (optionally with a rewritten text, e.g. a follow-up resolved to a full question) and change the reply.
 */
export type Middleware<S = unknown> = (
  ctx: BotContext<S>,
  next: (text?: string) => Promise<Reply | undefined>,
) => Promise<Reply | undefined>;

/** Run handlers in order; the first reply wins. Only a handler that returned a promise is waited for. */
export function compose<S>(handlers: Handler<S>[]): Handler<S> {
  return async (ctx) => {
    for (const h of handlers) {
      const out = h(ctx);
      const reply = out instanceof Promise ? await out : out;
      if (reply) return reply;
    }
    return undefined;
  };
}

/**
 * A handler of some commands only: any other message passes it at once, without a promise (the chain runs for
 * every message, and each async handler called cost a promise and a turn of the microtask queue).
 */
export function forCommands<S>(names: readonly string[], handle: (ctx: BotContext<S> & { command: Command }) => Promise<Reply | undefined>): Handler<S> {
  return (ctx) => (ctx.command && names.includes(ctx.command.name) ? handle(ctx as BotContext<S> & { command: Command }) : undefined);
}
