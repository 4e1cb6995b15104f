import { TelegramError, type Telegram } from 'telegraf';
import type { ReplyParameters } from 'telegraf/types';
import type { Mention, OutboundChannel, OutboundFile, SendResult } from '../../core/types.js';
import { CHUNK_CHARS, TELEGRAM_MAX_UNITS, escapeHtml, toHtmlMessages } from './format.js';

/** Telegram accepts about 20 messages a minute in one group. */
export const PER_DESTINATION_PER_MINUTE = 20;

type Failure = Extract<SendResult, { ok: false }>;

/** Map anything a Bot API call threw to a SendResult failure (never throws). */
export function toSendFailure(err: unknown): Failure {
  if (err instanceof TelegramError) {
    const code = err.code;
    const description = err.description || err.message;
    const p = err.parameters;
    const error = `${code}: ${description}`;
    if (code === 429) return { ok: false, permanent: false, error, retryAfterMs: Math.max(1, p?.retry_after ?? 5) * 1000 };
    if (p?.migrate_to_chat_id !== undefined) {
      return { ok: false, permanent: false, error, migrateToChatId: String(p.migrate_to_chat_id) };
    }
    // Blocked by the user, kicked from the group, no rights to post.
    if (code === 403) return { ok: false, permanent: true, destinationGone: true, error };
    // Bad request: too long, chat not found, bad markup. Sending the same again will not help.
    if (code === 400) return { ok: false, permanent: true, destinationGone: /chat not found/i.test(description), error };
    // 401/404: the token is wrong or revoked. Not the destination's fault: retry later, do not deactivate.
    if (code === 401 || code === 404) return { ok: false, permanent: false, error, retryAfterMs: 60_000 };
    if (code >= 500) return { ok: false, permanent: false, error, retryAfterMs: p?.retry_after ? p.retry_after * 1000 : undefined };
    return { ok: false, permanent: false, error };
  }
  const e = err as { name?: string; code?: string; message?: string };
  // node-fetch FetchError (connection refused, reset, DNS): transient. telegraf redacts the token in these messages.
  return { ok: false, permanent: false, error: `${e?.name ?? 'Error'}: ${e?.code ?? e?.message ?? String(err)}` };
}

export interface SendOptions {
  replyTo?: number;
}

/** Send one already-formatted HTML message (≤ 4096 units). Never throws. */
export async function sendHtml(telegram: Telegram, chatId: string | number, html: string, opts: SendOptions = {}): Promise<SendResult> {
  const reply_parameters: ReplyParameters | undefined =
    opts.replyTo !== undefined ? { message_id: opts.replyTo, allow_sending_without_reply: true } : undefined;
  try {
    const sent = await telegram.sendMessage(chatId, html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(reply_parameters ? { reply_parameters } : {}),
    });
    return { ok: true, remoteId: String(sent.message_id) };
  } catch (err) {
    return toSendFailure(err);
  }
}

/** "联络员：<a href="tg://user?id=…">name</a>": a text mention reaches a user who has no @username too. */
export function mentionHtml(mentions: Mention[]): string {
  const people = mentions.filter((m) => m.platform === 'telegram' && /^\d{1,20}$/.test(m.id));
  if (!people.length) return '';
  return `\n联络员：${people.map((m) => `<a href="tg://user?id=${m.id}">${escapeHtml(m.name ?? m.id)}</a>`).join(' ')}`;
}

/** Telegram's caption limit (sendDocument): 1024 characters after entities parsing. */
export const CAPTION_MAX = 1024;

/** Send a document (multipart upload by telegraf). Never throws. */
export async function sendDocument(telegram: Telegram, chatId: string | number, file: OutboundFile): Promise<SendResult> {
  try {
    const caption = file.caption ? [...file.caption].slice(0, CAPTION_MAX).join('') : undefined;
    const sent = await telegram.sendDocument(chatId, { source: file.path, filename: file.name }, caption ? { caption } : {});
    return { ok: true, remoteId: String(sent.message_id) };
  } catch (err) {
    return toSendFailure(err);
  }
}

/**
 * Send plain text as one or more HTML messages. Returns the first failure, or ok with the last message id.
 * A failure on a later chunk is reported as is (earlier chunks were delivered).
 */
export async function sendText(telegram: Telegram, chatId: string | number, text: string, opts: SendOptions & { mentions?: Mention[] } = {}): Promise<SendResult> {
  const parts = toHtmlMessages(text);
  const mention = mentionHtml(opts.mentions ?? []);
  if (mention && parts.length) {
    // The mention line goes under the first message, or alone when that one is full.
    if (parts[0].length + mention.length <= TELEGRAM_MAX_UNITS) parts[0] += mention;
    else parts.splice(1, 0, mention.trim());
  }
  if (parts.length === 0) return { ok: false, permanent: true, error: 'empty message' };
  let last: SendResult = { ok: true };
  for (let i = 0; i < parts.length; i++) {
    last = await sendHtml(telegram, chatId, parts[i], i === 0 ? opts : {});
    if (!last.ok) return last;
  }
  return last;
}

/** The reminders outbox's view of Telegram: one attempt per call, errors mapped, never throws. */
export function createTelegramOutbound(telegram: Telegram): OutboundChannel {
  return {
    name: 'telegram',
    // The outbox splits at this size; sendText re-splits anything whose emoji push it over 4096 UTF-16 units.
    limit: { max: CHUNK_CHARS, measure: 'chars' },
    perDestinationPerMinute: PER_DESTINATION_PER_MINUTE,
    send: (chatId, text, extras) => sendText(telegram, chatId, text, { mentions: extras?.mentions }),
    sendFile: (chatId, file) => sendDocument(telegram, chatId, file),
  };
}
