import type { OutboundChannel, SendResult } from '../core/types.js';

export interface InboxMessage {
  id: number;
  chatId: string;
  text: string;
  at: string;
}

export interface WebInbox extends OutboundChannel {
  /** Reminders kept for the local chat page, oldest first; one chat ('dept:总工会', 'coordinator') or all. */
  list(chatId?: string, sinceId?: number): InboxMessage[];
}

/** The outbox rows delivered to the page (with several instances, the shared state's). */
export interface SentWebRows {
  outbox(filter: { channel: 'web'; status: 'sent'; chatId?: string }): Array<{ seq: number; chatId: string; text: string; sentAt?: string; createdAt: string }>;
}

/**
 * The 'web' OutboundChannel: keeps reminders for the local chat page to show.
 * Reminders for a department without a bound group go to chat id 'dept:<部门>', the
 * coordinator's to 'coordinator' (the outbox remains the durable record).
 *
 * One instance: in memory. Several instances (`shared`, DATABASE_URL): the page may be served by an
 * instance other than the one that sent, so the inbox is the shared outbox's delivered 'web' rows.
 */
export function createWebInbox(options: { keep?: number; clock?: () => Date; shared?: SentWebRows } = {}): WebInbox {
  const keep = options.keep ?? 500;
  const clock = options.clock ?? (() => new Date());
  const shared = options.shared;
  let messages: InboxMessage[] = [];
  let nextId = 1;
  return {
    name: 'web',
    limit: { max: 20_000, measure: 'chars' },
    perDestinationPerMinute: 600,
    async send(chatId: string, text: string): Promise<SendResult> {
      if (shared) return { ok: true };
      const m = { id: nextId++, chatId, text, at: clock().toISOString() };
      messages.push(m);
      if (messages.length > keep) messages = messages.slice(-keep);
      return { ok: true, remoteId: String(m.id) };
    },
    list(chatId, sinceId = 0) {
      if (!shared) return messages.filter((m) => (chatId === undefined || m.chatId === chatId) && m.id > sinceId);
      return shared
        .outbox({ channel: 'web', status: 'sent', ...(chatId === undefined ? {} : { chatId }) })
        .filter((r) => r.seq > sinceId)
        .slice(-keep)
        .map((r) => ({ id: r.seq, chatId: r.chatId, text: r.text, at: r.sentAt ?? r.createdAt }));
    },
  };
}
