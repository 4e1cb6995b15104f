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
  clear(chatId?: string): void;
}

/**
 * The 'web' OutboundChannel: keeps reminders in memory for the local chat page to show.
 * Reminders for a department without a bound group go to chat id 'dept:<部门>', the
 * coordinator's to 'coordinator' (the outbox on disk remains the durable record).
 */
export function createWebInbox(options: { keep?: number; clock?: () => Date } = {}): WebInbox {
  const keep = options.keep ?? 500;
  const clock = options.clock ?? (() => new Date());
  let messages: InboxMessage[] = [];
  let nextId = 1;
  return {
    name: 'web',
    limit: { max: 20_000, measure: 'chars' },
    perDestinationPerMinute: 600,
    async send(chatId: string, text: string): Promise<SendResult> {
      const m = { id: nextId++, chatId, text, at: clock().toISOString() };
      messages.push(m);
      if (messages.length > keep) messages = messages.slice(-keep);
      return { ok: true, remoteId: String(m.id) };
    },
    list(chatId, sinceId = 0) {
      return messages.filter((m) => (chatId === undefined || m.chatId === chatId) && m.id > sinceId);
    },
    clear(chatId) {
      messages = chatId === undefined ? [] : messages.filter((m) => m.chatId !== chatId);
    },
  };
}
