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

/** Run handlers in order; the first reply wins. */
export function compose<S>(handlers: Handler<S>[]): Handler<S> {
  return async (ctx) => {
    for (const h of handlers) {
      const reply = await h(ctx);
      if (reply) return reply;
    }
    return undefined;
  };
}
