import { describe, expect, it } from 'vitest';
import { TelegramError } from 'telegraf';
import type { Message as TgMessage } from 'telegraf/types';
import { escapeHtml, toHtmlMessages, splitForTelegram } from '../../src/channels/telegram/format.js';
import { toInbound } from '../../src/channels/telegram/inbound.js';
import { commandToText, menuFor, COMMANDS } from '../../src/core/commands.js';
import { toSendFailure } from '../../src/channels/telegram/outbound.js';
import { buildEntities, parseTelegramHtml } from '../fakes/telegram-api.js';

const me = { id: 42, username: 'duban_bot' };
const ctx = { me, adminIds: new Set(['7']) };

function msg(text: string, o: { chat?: 'private' | 'group' | 'supergroup'; from?: number; replyToBot?: boolean; isBot?: boolean } = {}): TgMessage {
  const chat = (o.chat ?? 'group') === 'private' ? { id: 7, type: 'private', first_name: 'A' } : { id: -100, type: o.chat ?? 'group', title: 'G' };
  return {
    message_id: 9,
    date: 0,
    chat,
    from: { id: o.from ?? 7, is_bot: o.isBot ?? false, first_name: '王', last_name: '五' },
    text,
    entities: buildEntities(text),
    ...(o.replyToBot ? { reply_to_message: { message_id: 1, date: 0, chat, from: { id: 42, is_bot: true, first_name: 'bot' }, text: 'x' } } : {}),
  } as unknown as TgMessage;
}

describe('HTML formatting', () => {
  it('escapes & first, then < and >', () => {
    expect(escapeHtml('a<b & c>d &lt;')).toBe('a&lt;b &amp; c&gt;d &amp;lt;');
  });

  it('produces HTML the strict parser accepts, with the same visible text', () => {
    const text = '【第48项】\n负责：法院、司法 <b>不是标签</b> & "引号"\n<script>alert(1)</script>';
    const [html] = toHtmlMessages(text);
    expect(html.startsWith('<b>【第48项】</b>')).toBe(true);
    const parsed = parseTelegramHtml(html);
    expect(parsed).toEqual({ text });
  });

  it('splits long answers on line breaks under 4096 UTF-16 units, emoji counted twice', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `第${i + 1}项：${'调解员培训'.repeat(5)}`);
    const parts = splitForTelegram(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    const emoji = splitForTelegram('😀'.repeat(3000));
    for (const p of emoji) expect(p.length).toBeLessThanOrEqual(4096);
    expect(emoji.join('')).toBe('😀'.repeat(3000));
  });
});

describe('commands', () => {
  it('maps question commands to free text and passes the rest through', () => {
    expect(commandToText('ask', '谁负责调解员培训?')).toBe('谁负责调解员培训?');
    expect(commandToText('tasks', '财政')).toBe('财政有哪些任务');
    expect(commandToText('task', '48')).toBe('第48项');
    expect(commandToText('task', '')).toEqual({ usage: expect.stringContaining('/task') });
    expect(commandToText('done', '48 已完成培训')).toBe('/done 48 已完成培训');
    expect(commandToText('progress', '48 进行中')).toBe('/progress 48 进行中');
    expect(commandToText('unbind', '')).toBe('/unbind');
  });

  it('menus: valid names and Chinese descriptions; admins see /bind, groups do not', () => {
    for (const c of COMMANDS) {
      expect(c.name).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
    expect(menuFor('admin').map((c) => c.command)).toContain('bind');
    expect(menuFor('group').map((c) => c.command)).not.toContain('bind');
    expect(menuFor('private').map((c) => c.command)).toContain('start');
  });
});

describe('toInbound', () => {
  it('private chats: all text, admin flag from TELEGRAM_ADMIN_IDS', () => {
    const r = toInbound(msg('谁负责调解员培训?', { chat: 'private' }), ctx);
    expect(r).toMatchObject({ kind: 'message', message: { channel: 'telegram', chatType: 'private', chatId: '7', userId: '7', text: '谁负责调解员培训?', userName: '王 五', trusted: { admin: true } } });
    const other = toInbound(msg('你好', { chat: 'private', from: 8 }), ctx);
    expect(other.kind === 'message' && other.message.trusted).toBeUndefined();
  });

  it('groups: /cmd@this_bot, not /cmd@other_bot, not plain chatter', () => {
    expect(toInbound(msg('/tasks@duban_bot 财政'), ctx)).toMatchObject({ kind: 'message', message: { chatType: 'group', chatId: '-100', text: '财政有哪些任务' } });
    expect(toInbound(msg('/done@Duban_Bot 48 备注'), ctx)).toMatchObject({ kind: 'message', message: { text: '/done 48 备注' } });
    expect(toInbound(msg('/help@other_bot'), ctx).kind).toBe('ignore');
    expect(toInbound(msg('今天开会'), ctx).kind).toBe('ignore');
    expect(toInbound(msg('/weather'), ctx).kind).toBe('ignore');
    expect(toInbound(msg('/due'), ctx)).toMatchObject({ kind: 'message', message: { text: '/due' } });
  });

  it('groups: @mention (stripped) and replies to the bot', () => {
    expect(toInbound(msg('@duban_bot 谁负责调解员培训？'), ctx)).toMatchObject({ kind: 'message', message: { text: '谁负责调解员培训？' } });
    expect(toInbound(msg('请问 @duban_bot 第48项谁负责'), ctx)).toMatchObject({ kind: 'message', message: { text: '请问  第48项谁负责' } });
    expect(toInbound(msg('@duban_bot /task 48'), ctx)).toMatchObject({ kind: 'message', message: { text: '第48项' } });
    expect(toInbound(msg('@someone_else 你好'), ctx).kind).toBe('ignore');
    expect(toInbound(msg('那第49项呢', { replyToBot: true }), ctx)).toMatchObject({ kind: 'message', message: { text: '那第49项呢' } });
    expect(toInbound(msg('@duban_bot'), ctx)).toMatchObject({ kind: 'usage' });
  });

  it('anonymous group admins are answered, but never trusted as admins', () => {
    const m = msg('/done@duban_bot 48', { isBot: true }) as unknown as Record<string, any>;
    m.from = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
    m.sender_chat = { id: -100, type: 'group', title: 'G' };
    const r = toInbound(m as TgMessage, { me, adminIds: new Set(['1087968824']) });
    expect(r).toMatchObject({ kind: 'message', message: { userId: 'anonymous:-100', userName: '匿名管理员', text: '/done 48' } });
    expect(r.kind === 'message' && r.message.trusted).toBeUndefined();
  });

  it('ignores other bots and usage-checks /ask without a question', () => {
    expect(toInbound(msg('/ask@duban_bot hi', { isBot: true }), ctx).kind).toBe('ignore');
    expect(toInbound(msg('/ask@duban_bot'), ctx)).toMatchObject({ kind: 'usage', replyTo: 9 });
  });
});

describe('toSendFailure', () => {
  const tg = (code: number, description: string, parameters?: object) =>
    new TelegramError({ ok: false, error_code: code, description, parameters } as never);

  it('maps the Bot API errors the outbox acts on', () => {
    expect(toSendFailure(tg(429, 'Too Many Requests: retry after 3', { retry_after: 3 }))).toMatchObject({ ok: false, permanent: false, retryAfterMs: 3000 });
    expect(toSendFailure(tg(403, 'Forbidden: bot was blocked by the user'))).toMatchObject({ permanent: true });
    expect(toSendFailure(tg(403, 'Forbidden: bot was kicked from the group chat'))).toMatchObject({ permanent: true, destinationGone: true });
    expect(toSendFailure(tg(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234567890 }))).toMatchObject({
      permanent: false,
      migrateToChatId: '-1001234567890',
    });
    expect(toSendFailure(tg(400, 'Bad Request: message is too long'))).toMatchObject({ permanent: true, destinationGone: false, error: '400: Bad Request: message is too long' });
    expect(toSendFailure(tg(401, 'Unauthorized'))).toMatchObject({ permanent: false });
    expect(toSendFailure(tg(502, 'Bad Gateway'))).toMatchObject({ permanent: false });
    expect(toSendFailure(Object.assign(new Error('request failed'), { name: 'FetchError', code: 'ECONNREFUSED' }))).toMatchObject({ permanent: false, error: 'FetchError: ECONNREFUSED' });
  });
});
