/** Smart bot (智能机器人) callback bodies (same shape over the long connection and the JSON webhook) → Message. */
import type { Message } from '../../core/types.js';
import { stripMention } from './format.js';

export interface AibotBody {
  msgid?: string;
  aibotid?: string;
  chatid?: string;
  chattype?: 'single' | 'group' | string;
  from?: { userid?: string; corpid?: string };
  msgtype?: string;
  text?: { content?: string };
  voice?: { content?: string };
  mixed?: { msg_item?: Array<{ msgtype?: string; text?: { content?: string } }> };
  stream?: { id?: string };
  event?: { eventtype?: string };
  [k: string]: unknown;
}

/** Reply size of a stream / markdown message: 20 480 bytes. */
export const AIBOT_LIMIT = { max: 20_480, measure: 'bytes' } as const;

export type AibotInbound =
  | { kind: 'message'; message: Message; msgid: string }
  | { kind: 'unsupported'; msgid: string; chatId: string }
  | { kind: 'event'; eventtype: string; msgid: string }
  | { kind: 'ignore' };

function textOf(b: AibotBody): string | undefined {
  if (b.msgtype === 'text') return b.text?.content;
  if (b.msgtype === 'voice') return b.voice?.content;
  if (b.msgtype === 'mixed') {
    const t = (b.mixed?.msg_item ?? []).filter((i) => i.msgtype === 'text').map((i) => i.text?.content ?? '');
    return t.length ? t.join('\n') : undefined;
  }
  return undefined;
}

export function classifyAibot(b: AibotBody, botName?: string, adminUserIds?: Set<string>): AibotInbound {
  if (!b || typeof b !== 'object' || typeof b.msgtype !== 'string') return { kind: 'ignore' };
  const msgid = String(b.msgid ?? '');
  if (b.msgtype === 'event') return { kind: 'event', eventtype: String(b.event?.eventtype ?? ''), msgid };
  const userId = String(b.from?.userid ?? '');
  if (!userId || !msgid) return { kind: 'ignore' };
  const group = b.chattype === 'group';
  const chatId = group ? String(b.chatid ?? '') : userId;
  if (!chatId) return { kind: 'ignore' };
  const raw = textOf(b);
  if (raw === undefined) return { kind: 'unsupported', msgid, chatId };
  const message: Message = {
    channel: 'wecom-bot',
    chatId,
    chatType: group ? 'group' : 'private',
    userId,
    messageId: msgid,
    text: stripMention(raw, botName),
  };
  if (adminUserIds?.has(userId)) message.trusted = { admin: true };
  return { kind: 'message', msgid, message };
}
