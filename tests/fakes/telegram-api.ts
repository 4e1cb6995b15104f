/**
 * A fake Telegram Bot API on 127.0.0.1 for driving real telegraf in tests.
 * Implements getMe, getUpdates (long poll with offset/timeout/limit), sendMessage (length and HTML checks),
 * sendChatAction, setWebhook/deleteWebhook/getWebhookInfo, setMyCommands, close/logOut, with the real
 * error shapes {ok:false,error_code,description,parameters}.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageEntity, Update } from 'telegraf/types';
import { boundaryOf, parseMultipart, type FormPart } from './multipart.js';

export interface ApiCall {
  method: string;
  params: Record<string, any>;
  at: number;
}

export interface ApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Return an ApiError to fail this call, or undefined to let the fake answer normally. */
export type CallHook = (call: ApiCall) => ApiError | undefined;

export interface FakeOptions {
  token?: string;
  username?: string;
  botId?: number;
  canReadAllGroupMessages?: boolean;
  /** Longest a getUpdates call is held, whatever timeout telegraf asks for (default 300 ms). */
  maxPollMs?: number;
  /** Path prefix the API is served under, e.g. '/relay/' (default '/'). */
  prefix?: string;
}

export const ERR = {
  tooMany: (retryAfter: number): ApiError => ({ error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }),
  blocked: (): ApiError => ({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
  kicked: (): ApiError => ({ error_code: 403, description: 'Forbidden: bot was kicked from the group chat' }),
  tooLong: (): ApiError => ({ error_code: 400, description: 'Bad Request: message is too long' }),
  migrated: (to: number): ApiError => ({
    error_code: 400,
    description: 'Bad Request: group chat was upgraded to a supergroup chat',
    parameters: { migrate_to_chat_id: to },
  }),
  chatNotFound: (): ApiError => ({ error_code: 400, description: 'Bad Request: chat not found' }),
};

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

/** Parse Telegram HTML the strict way: returns the visible text or an error description. */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  let out = '';
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return { error: `Bad Request: can't parse entities: Unclosed start tag at byte offset ${i}` };
      const tag = html.slice(i + 1, end);
      const closing = tag.startsWith('/');
      const name = (closing ? tag.slice(1) : tag).split(/\s/)[0].toLowerCase();
      if (!HTML_TAGS.has(name)) return { error: `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${i}` };
      if (closing) {
        if (stack.pop() !== name) return { error: `Bad Request: can't parse entities: Unmatched end tag at byte offset ${i}` };
      } else stack.push(name);
      i = end + 1;
      continue;
    }
    if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i));
      if (!m) return { error: `Bad Request: can't parse entities: Character '&' is reserved at byte offset ${i}` };
      const ent = m[1].toLowerCase();
      out += ent === 'lt' ? '<' : ent === 'gt' ? '>' : ent === 'amp' ? '&' : ent === 'quot' ? '"'
        : String.fromCodePoint(ent.startsWith('#x') ? parseInt(ent.slice(2), 16) : Number(ent.slice(1)));
      i += m[0].length;
      continue;
    }
    if (ch === '>') return { error: `Bad Request: can't parse entities: Character '>' is reserved at byte offset ${i}` };
    out += ch;
    i++;
  }
  if (stack.length) return { error: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack.pop()}"` };
  return { text: out };
}

/** bot_command at offset 0 and @mentions, with UTF-16 offsets like Telegram. */
export function buildEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (cmd) out.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  const re = /@[A-Za-z0-9_]{3,32}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (cmd && m.index < cmd[0].length) continue;
    out.push({ type: 'mention', offset: m.index, length: m[0].length });
  }
  return out;
}

export interface SentMessage {
  message_id: number;
  /** As a string, whatever type the client sent. */
  chat_id: string;
  text: string;
  html: string;
  reply_to?: number;
  /** Text mentions (<a href="tg://user?id=…">name</a>) as Telegram would turn them into text_mention entities. */
  mentions: Array<{ userId: number; name: string }>;
  at: number;
}

/** A document received by sendDocument (multipart upload). */
export interface SentDocument {
  message_id: number;
  chat_id: string;
  filename: string;
  bytes: Buffer;
  caption?: string;
  at: number;
}

/** tg://user?id=… links of an HTML text; an id that is not a number is an error, as on Telegram. */
export function textMentions(html: string): Array<{ userId: number; name: string }> | { error: string } {
  const out: Array<{ userId: number; name: string }> = [];
  const re = /<a href="tg:\/\/user\?id=([^"]*)">([^<]*)<\/a>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    if (!/^\d{1,15}$/.test(m[1])) return { error: `Bad Request: can't parse entities: invalid user id in "tg://user?id=${m[1]}"` };
    const name = parseTelegramHtml(m[2]);
    out.push({ userId: Number(m[1]), name: 'text' in name ? name.text : m[2] });
  }
  return out;
}

export interface FakeBotApi {
  token: string;
  apiRoot: string;
  username: string;
  botId: number;
  calls: ApiCall[];
  sent: SentMessage[];
  documents: SentDocument[];
  webhookUrl: string | undefined;
  hook: CallHook | undefined;
  /** Queue an update (update_id assigned unless given) and wake a waiting long poll. */
  pushUpdate(u: Update | Record<string, unknown>): Update;
  privateText(text: string, opts?: { chatId?: number; userId?: number; firstName?: string }): Record<string, unknown>;
  groupText(text: string, opts?: { chatId?: number; userId?: number; title?: string; replyToBot?: boolean; type?: 'group' | 'supergroup' }): Record<string, unknown>;
  waitForCall(method: string, pred?: (c: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  waitForSent(pred: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  callsOf(method: string): ApiCall[];
  close(): Promise<void>;
}

export async function startFakeBotApi(opts: FakeOptions = {}): Promise<FakeBotApi> {
  const token = opts.token ?? '123456789:TEST_fake_token_abcdefghijklmnopqrs';
  const username = opts.username ?? 'duban_bot';
  const botId = opts.botId ?? 123456789;
  const maxPollMs = opts.maxPollMs ?? 300;
  const prefix = opts.prefix ?? '/';
  const updates: Update[] = [];
  let nextUpdateId = 10_001;
  let nextMessageId = 500;
  let pollWaiters: Array<() => void> = [];
  const callWaiters: Array<() => void> = [];
  const notify = () => callWaiters.splice(0).forEach((f) => f());

  const api: FakeBotApi = {
    token,
    apiRoot: '',
    username,
    botId,
    calls: [],
    sent: [],
    documents: [],
    webhookUrl: undefined,
    hook: undefined,
    pushUpdate(u) {
      const update = { update_id: nextUpdateId++, ...u } as Update;
      nextUpdateId = Math.max(nextUpdateId, update.update_id + 1);
      updates.push(update);
      pollWaiters.splice(0).forEach((f) => f());
      return update;
    },
    privateText(text, o = {}) {
      const userId = o.userId ?? 1001;
      return {
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: o.chatId ?? userId, type: 'private', first_name: o.firstName ?? '张三' },
          from: { id: userId, is_bot: false, first_name: o.firstName ?? '张三' },
          text,
          entities: buildEntities(text),
        },
      };
    },
    groupText(text, o = {}) {
      const chatId = o.chatId ?? -4001;
      const msg: Record<string, unknown> = {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: o.type ?? 'group', title: o.title ?? '法院督办群' },
        from: { id: o.userId ?? 2001, is_bot: false, first_name: '李四' },
        text,
        entities: buildEntities(text),
      };
      if (o.replyToBot) {
        msg.reply_to_message = {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: msg.chat,
          from: { id: botId, is_bot: true, first_name: '督办助手', username },
          text: '上一条回答',
        };
      }
      return { message: msg };
    },
    callsOf: (method) => api.calls.filter((c) => c.method === method),
    async waitForCall(method, pred = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = api.calls.find((c) => c.method === method && pred(c));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`fake Bot API: no ${method} call within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          callWaiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    async waitForSent(pred, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = api.sent.find(pred);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`fake Bot API: no matching sendMessage within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          callWaiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    close: async () => {
      pollWaiters.splice(0).forEach((f) => f());
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
  const fail = (e: ApiError) => ({ status: e.error_code, body: { ok: false, ...e } });

  async function answer(method: string, params: Record<string, any>, res: http.ServerResponse, files: FormPart[] = []) {
    switch (method) {
      case 'getMe':
        return ok({
          id: botId, is_bot: true, first_name: '督办助手', username,
          can_join_groups: true, can_read_all_group_messages: opts.canReadAllGroupMessages ?? false, supports_inline_queries: false,
        });
      case 'getUpdates': {
        if (api.webhookUrl) return fail({ error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
        const offset = Number(params.offset ?? 0);
        // Confirm everything below offset, like Telegram.
        if (offset > 0) for (let i = updates.length - 1; i >= 0; i--) if (updates[i].update_id < offset) updates.splice(i, 1);
        const limit = Number(params.limit ?? 100);
        const pending = () => updates.filter((u) => u.update_id >= offset).slice(0, limit);
        if (pending().length === 0 && Number(params.timeout ?? 0) > 0) {
          const wait = Math.min(Number(params.timeout) * 1000, maxPollMs);
          await new Promise<void>((r) => {
            const t = setTimeout(r, wait);
            pollWaiters.push(() => { clearTimeout(t); r(); });
            res.once('close', () => { clearTimeout(t); r(); });
          });
        }
        return ok(pending());
      }
      case 'sendMessage': {
        const text = String(params.text ?? '');
        let visible = text;
        if (params.parse_mode === 'HTML') {
          const parsed = parseTelegramHtml(text);
          if ('error' in parsed) return fail({ error_code: 400, description: parsed.error });
          visible = parsed.text;
        }
        if (visible.trim().length === 0) return fail({ error_code: 400, description: 'Bad Request: message text is empty' });
        if (visible.length > 4096) return fail(ERR.tooLong());
        const mentions = params.parse_mode === 'HTML' ? textMentions(text) : [];
        if ('error' in mentions) return fail({ error_code: 400, description: mentions.error });
        const message_id = nextMessageId++;
        const chatId = params.chat_id;
        api.sent.push({ message_id, chat_id: String(chatId), text: visible, html: text, reply_to: params.reply_parameters?.message_id, mentions, at: Date.now() });
        const numeric = Number(chatId);
        return ok({
          message_id,
          date: Math.floor(Date.now() / 1000),
          chat: numeric > 0 ? { id: numeric, type: 'private', first_name: 'x' } : { id: numeric, type: 'group', title: 'g' },
          from: { id: botId, is_bot: true, first_name: '督办助手', username },
          text: visible,
        });
      }
      case 'sendDocument': {
        const doc = files.find((f) => f.name === 'document' && f.filename !== undefined);
        if (!doc && typeof params.document !== 'string') return fail({ error_code: 400, description: 'Bad Request: there is no document in the request' });
        if (!doc) return fail({ error_code: 400, description: 'Bad Request: wrong remote file identifier specified: Wrong string length' });
        if (doc.data.length === 0) return fail({ error_code: 400, description: 'Bad Request: file must be non-empty' });
        if (doc.data.length > 50 * 1024 * 1024) return fail({ error_code: 413, description: 'Request Entity Too Large' });
        const caption = params.caption === undefined ? undefined : String(params.caption);
        if (caption !== undefined && caption.length > 1024) return fail({ error_code: 400, description: 'Bad Request: message caption is too long' });
        const message_id = nextMessageId++;
        api.documents.push({ message_id, chat_id: String(params.chat_id), filename: doc.filename!, bytes: doc.data, caption, at: Date.now() });
        const numeric = Number(params.chat_id);
        return ok({
          message_id,
          date: Math.floor(Date.now() / 1000),
          chat: numeric > 0 ? { id: numeric, type: 'private', first_name: 'x' } : { id: numeric, type: 'group', title: 'g' },
          from: { id: botId, is_bot: true, first_name: '督办助手', username },
          document: { file_id: `BQAC${message_id}`, file_unique_id: `u${message_id}`, file_name: doc.filename, file_size: doc.data.length },
          ...(caption ? { caption } : {}),
        });
      }
      case 'sendChatAction':
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'close':
      case 'logOut':
        return ok(true);
      case 'setWebhook':
        api.webhookUrl = String(params.url);
        return ok(true);
      case 'deleteWebhook':
        api.webhookUrl = undefined;
        if (params.drop_pending_updates) updates.splice(0);
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: api.webhookUrl ?? '', has_custom_certificate: false, pending_update_count: updates.length });
      default:
        return fail({ error_code: 404, description: 'Not Found: method not found' });
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const m = new RegExp(`^${prefix.replace(/\/$/, '')}/bot([^/]+)/([A-Za-z]+)$`).exec(url.pathname);
      const send = (status: number, body: unknown) => {
        if (res.writableEnded) return;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      if (m[1] !== token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      let params: Record<string, any> = Object.fromEntries(url.searchParams);
      const boundary = boundaryOf(req.headers['content-type']);
      let files: FormPart[] = [];
      if (boundary) {
        try {
          const parts = parseMultipart(Buffer.concat(chunks), boundary);
          files = parts.filter((p) => p.filename !== undefined);
          for (const p of parts) if (p.filename === undefined) params[p.name] = p.data.toString('utf8');
        } catch (err) {
          return send(400, { ok: false, error_code: 400, description: `Bad Request: invalid multipart body (${(err as Error).message})` });
        }
      }
      const raw = boundary ? '' : Buffer.concat(chunks).toString('utf8');
      if (raw) {
        try {
          params = { ...params, ...JSON.parse(raw) };
        } catch {
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
        }
      }
      const call: ApiCall = { method: m[2], params, at: Date.now() };
      api.calls.push(call);
      const injected = api.hook?.(call);
      const r = injected ? fail(injected) : await answer(m[2], params, res, files);
      send(r.status, r.body);
      notify();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  api.apiRoot = `http://127.0.0.1:${port}${prefix.endsWith('/') ? prefix : `${prefix}/`}`;
  return api;
}
