import type { Message as TgMessage, MessageEntity, UserFromGetMe } from 'telegraf/types';
import type { Message } from '../../core/types.js';
import { commandSpec, commandToText } from '../../core/commands.js';

export interface InboundContext {
  me: Pick<UserFromGetMe, 'id' | 'username'>;
  adminIds: ReadonlySet<string>;
}

export type Inbound =
  | { kind: 'message'; message: Message; replyTo: number }
  /** Answered by the adapter itself (usage of /ask or /task without arguments). */
  | { kind: 'usage'; text: string; chatId: string; replyTo: number }
  | { kind: 'ignore'; reason: string };

function slice16(text: string, e: MessageEntity): string {
  return text.slice(e.offset, e.offset + e.length);
}

/** Remove entity ranges from text (UTF-16 offsets, like Telegram). */
function cut(text: string, ranges: MessageEntity[]): string {
  let out = text;
  for (const e of [...ranges].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + out.slice(e.offset + e.length);
  return out.replace(/^[\s,，:：]+/, '').trim();
}

function displayName(from: { first_name: string; last_name?: string; username?: string }): string {
  return [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || '';
}

/**
 * Decide whether a Telegram message is for this bot and turn it into the neutral Message.
 * Private chats: every text. Groups: `/cmd@this_bot`, bare `/cmd` of our own menu, replies to the bot,
 * and @this_bot mentions (only delivered when privacy mode is off or the bot is an admin).
 */
export function toInbound(msg: TgMessage, ctx: InboundContext): Inbound {
  if (!('text' in msg) || typeof msg.text !== 'string') return { kind: 'ignore', reason: 'not text' };
  const from = msg.from;
  if (!from) return { kind: 'ignore', reason: 'no sender' };
  const chat = msg.chat;
  // An anonymous group administrator posts as @GroupAnonymousBot on behalf of the group itself.
  const anonymousAdmin = from.is_bot && from.username === 'GroupAnonymousBot' && msg.sender_chat?.id === chat.id;
  if (from.is_bot && !anonymousAdmin) return { kind: 'ignore', reason: 'from a bot' };
  if (chat.type === 'channel') return { kind: 'ignore', reason: 'channel post' };
  const isPrivate = chat.type === 'private';
  const text = msg.text;
  const entities = msg.entities ?? [];
  const me = (ctx.me.username ?? '').toLowerCase();

  let body: string | { usage: string } | undefined;
  let addressed = isPrivate;

  const first = entities[0];
  if (first && first.type === 'bot_command' && first.offset === 0) {
    const raw = slice16(text, first); // "/tasks@duban_bot"
    const [cmd, target] = raw.slice(1).split('@');
    if (target !== undefined && target.toLowerCase() !== me) return { kind: 'ignore', reason: `command for @${target}` };
    if (!isPrivate && target === undefined && !commandSpec(cmd, 'telegram')) {
      // A bare command in a group that is not on our menu is most likely for another bot.
      return { kind: 'ignore', reason: 'bare command not ours' };
    }
    addressed = true;
    body = commandToText(cmd, text.slice(first.length));
  } else {
    const mentions = entities.filter(
      (e) =>
        (e.type === 'mention' && slice16(text, e).slice(1).toLowerCase() === me) ||
        (e.type === 'text_mention' && e.user.id === ctx.me.id),
    );
    const replyToBot = msg.reply_to_message?.from?.id === ctx.me.id;
    if (mentions.length > 0 || replyToBot) addressed = true;
    body = cut(text, mentions);
    // "@bot /tasks 财政": a command after the mention.
    const cmd = /^[/／]([A-Za-z_]+)(?:@(\S+))?(?:\s+([\s\S]*))?$/.exec(body);
    if (addressed && cmd && (cmd[2] === undefined || cmd[2].toLowerCase() === me)) body = commandToText(cmd[1], cmd[3] ?? '');
  }
  if (!addressed) return { kind: 'ignore', reason: 'not addressed to the bot' };

  const chatId = String(chat.id);
  if (typeof body === 'object') return { kind: 'usage', text: body.usage, chatId, replyTo: msg.message_id };
  if (!body.trim()) {
    return { kind: 'usage', text: '请在提及我之后写上问题（例如「@我 某某有哪些任务？」），或发送 /help 查看可以问的问题。', chatId, replyTo: msg.message_id };
  }
  // Anonymous admins cannot be told apart: they speak for the group, never as a configured admin.
  const userId = anonymousAdmin ? `anonymous:${chatId}` : String(from.id);
  const message: Message = {
    channel: 'telegram',
    chatId,
    chatType: isPrivate ? 'private' : 'group',
    userId,
    userName: anonymousAdmin ? '匿名管理员' : displayName(from) || undefined,
    messageId: String(msg.message_id),
    text: body,
  };
  if (ctx.adminIds.has(userId)) message.trusted = { admin: true };
  if (!anonymousAdmin && from.username) message.userHandle = from.username;
  // Who a reply answers and whom the text names: /liaison takes its person from these.
  const replied = msg.reply_to_message?.from;
  if (replied && !replied.is_bot) {
    message.replyTo = { userId: String(replied.id), userName: displayName(replied) || undefined };
    if (replied.username) message.replyTo.userHandle = replied.username;
  }
  const named = entities.flatMap((e): NonNullable<Message['mentioned']> => {
    if (e.type === 'text_mention' && e.user.id !== ctx.me.id) return [{ userId: String(e.user.id), userName: displayName(e.user) || undefined }];
    const handle = e.type === 'mention' ? slice16(text, e).slice(1) : '';
    return handle && handle.toLowerCase() !== me ? [{ userHandle: handle }] : [];
  });
  if (named.length) message.mentioned = named;
  return { kind: 'message', message, replyTo: msg.message_id };
}
