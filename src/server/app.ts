import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../core/paths.js';
import { timingSafeEqual } from 'node:crypto';
import type { Bot } from '../core/bot.js';
import type { Message, Reply } from '../core/types.js';
import type { Logger } from '../core/log.js';
import { isLoopbackAddress, type TrustProxy } from './trust-proxy.js';
import { isPlainJson, jsonBody, readPlainJson } from './json-body.js';

export interface AppOptions {
  bot: Bot;
  log: Logger;
  /** Non-loopback clients must send this in X-Admin-Token to speak as a department or the coordinator. */
  adminToken?: string;
  /** Treat loopback clients as trusted (the real client's address when trustProxy is set). */
  trustLoopback: boolean;
  /** Express `trust proxy`: which X-Forwarded-* hops to believe (default: none). */
  trustProxy?: TrustProxy;
  /** Department names the chat page offers to speak as. */
  /** The units of every active plan (they change when plans are imported or archived while running). */
  departments: () => string[];
  /** Example questions and the plans they come from (the chat page's buttons and greeting, help hints). */
  examples?: () => { examples: string[]; plans: Array<{ id: string; title: string; tasks: number }> };
  /**
   * A department's task for its example buttons (its first unfinished task), as a reader writes it: 「48」, or
   * 「<方案简称> 48」 when several plans are active.
   */
  exampleTask?: (department: string) => string | undefined;
  /** Reminders delivered to the web page (its "chat"), newest last. */
  inbox?: (chatId: string) => Promise<Array<{ text: string; at: string; kind?: string }>>;
  /** Platform routers (WeCom callbacks, Telegram webhook, dashboard), each at its own path. */
  mounts?: Array<{ path: string; router: Router }>;
  ready?: () => boolean;
}

/** The JSON contract shared with `npm run ask -- --json`. */
export function toAnswerJson(question: string, reply: Reply) {
  return { question, intent: reply.intent, tasks: reply.tasks, departments: reply.departments, reply: reply.text };
}

/** application/json, alone or with charset=utf-8 (what req.is('application/json') accepts, among others). */
const PLAIN_JSON = /^application\/json(?:\s*;\s*charset=(?:"utf-8"|utf-8))?$/i;
/** Bytes of a JSON request to the chat API. */
const MAX_BODY = 32 * 1024;
const CHAT_PAGE = readFileSync(path.join(PROJECT_ROOT, 'src/server/chat-page.html'), 'utf8');
/** 督 on the chat page's blue. */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f5fbf"/>' +
  '<text x="16" y="23" font-size="20" text-anchor="middle" fill="#fff" font-family="sans-serif">督</text></svg>';

function tokenMatches(given: unknown, expected: string | undefined): boolean {
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The HTTP server's request handler: express, except for the chat API's usual request (see askDirectly).
 */
export function createApp(options: AppOptions): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy ?? false);

  app.get('/healthz', (_req, res) => {
    const ok = options.ready?.() ?? true;
    res.status(ok ? 200 : 503).json({ ok });
  });

  // A small icon for the browser tab (the chat page and the dashboard), instead of a 404 on every visit.
  app.get('/favicon.ico', (_req, res) => {
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(FAVICON);
  });

  app.get('/', (_req, res) => {
    res.type('html').set('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'").send(CHAT_PAGE);
  });

  /** The client (its address after any trusted proxies, and its X-Admin-Token) may speak as a department. */
  const trustedClient = (ip: string | undefined, token: unknown) => (options.trustLoopback && isLoopbackAddress(ip)) || tokenMatches(token, options.adminToken);
  const trusted = (req: Request) => trustedClient(req.ip, req.get('x-admin-token'));

  app.get('/api/whoami', (req, res) => {
    const canSpeakAs = trusted(req);
    // For the page's example buttons: each department's own first unfinished task (only to those who may speak as it).
    const examples = canSpeakAs && options.exampleTask ? Object.fromEntries(options.departments().map((d) => [d, options.exampleTask!(d)])) : undefined;
    res.json({ canSpeakAs, departments: options.departments(), ...(examples ? { examples } : {}) });
  });

  app.get('/api/examples', (_req, res) => {
    res.json(options.examples?.() ?? { examples: [], plans: [] });
  });

  const requireJson = (req: Request, res: Response, next: NextFunction) => {
    // the usual request (plain JSON of stated length) without type-is parsing the header; anything else asks req.is
    if ((/^\d{1,9}$/.test(req.headers['content-length'] ?? '') && PLAIN_JSON.test(req.headers['content-type'] ?? '')) || req.is('application/json')) return next();
    res.status(415).json({ error: '请以 application/json 发送 {"text": "问题"}' });
  };

  /** POST /api/ask: the question's answer (the JSON contract), or why it is refused, for the body read. */
  async function answer(body: AskBody | undefined, ip: string | undefined, token: unknown): Promise<JsonReply> {
    if (typeof body?.text !== 'string') {
      const example = options.examples?.().examples[0] ?? '第1项是什么？';
      return { status: 400, json: { error: `缺少 text 字段（字符串），例如 ${JSON.stringify({ text: example })}` } };
    }
    // the departments are listed only for a request that names an identity (a guest's question needs none)
    const speakAs = parseSpeakAs(body.as, options.departments);
    if (speakAs === 'invalid') return { status: 400, json: { error: `as 应为 "coordinator" 或部门名称之一：${options.departments().join('、')}` } };
    if (speakAs && !trustedClient(ip, token)) {
      return { status: 403, json: { error: '只有本机访问或携带管理令牌（X-Admin-Token）时才能以部门或督办身份发言' } };
    }
    const chatId = speakAs ? (speakAs.coordinator ? 'coordinator' : `dept:${speakAs.department}`) : 'guest';
    // The page's own id (one per browser tab) keeps each reader's conversation apart.
    const session = typeof body.session === 'string' && /^[\w-]{1,64}$/.test(body.session) ? body.session : undefined;
    const message: Message = {
      channel: 'web',
      chatId,
      chatType: 'private',
      userId: `${speakAs ? chatId : `web:${ip}`}${session ? `:${session}` : ''}`,
      // The channel (web) is recorded beside the name; the name is just who spoke.
      userName: speakAs?.coordinator ? '督办' : speakAs?.department ?? '访客',
      text: body.text,
      trusted: speakAs ? { speakAs } : undefined,
    };
    const reply = await options.bot.handle(message);
    return { status: 200, json: toAnswerJson(body.text, reply) };
  }

  app.post('/api/ask', requireJson, jsonBody(MAX_BODY), (req, res, next) => {
    answer(req.body, req.ip, req.get('x-admin-token')).then((r) => sendJson(res, r), next);
  });

  // A department's or the coordinator's reminders: only for a client allowed to speak as them (the chat page's rule).
  app.get('/api/inbox', (req, res, next) => {
    const chatId = typeof req.query.chat === 'string' ? req.query.chat : 'guest';
    if (chatId === 'guest') {
      res.json({ items: [] });
      return;
    }
    if (chatId !== 'coordinator' && !(chatId.startsWith('dept:') && options.departments().includes(chatId.slice(5)))) {
      res.status(400).json({ error: `chat 应为 "coordinator" 或 "dept:部门名称"（部门：${options.departments().join('、')}）` });
      return;
    }
    if (!trusted(req)) {
      res.status(403).json({ error: '只有本机访问或携带管理令牌（X-Admin-Token）时才能查看部门或督办的提醒' });
      return;
    }
    // The shared state may be unreachable for a moment: the page's next poll asks again.
    options.inbox?.(chatId).then((items) => res.json({ items }), next) ?? res.json({ items: [] });
  });

  for (const m of options.mounts ?? []) app.use(m.path, m.router);

  app.use((_req, res) => {
    res.status(404).json({ error: '没有这个地址' });
  });

  app.use((err: RequestError, _req: Request, res: Response, _next: NextFunction) => {
    const { status, json } = errorReply(err, options.log);
    res.status(status).json(json);
  });

  /**
   * The chat API's usual request — exactly POST /api/ask, a plain JSON body (isPlainJson), no proxy to read the
   * client's address from — answered without express: its routing and request decoration cost about as much CPU as
   * the rest of a question's HTTP handling (0.1 ms). The bytes sent are express's; anything else goes to express.
   */
  const direct = !options.trustProxy;
  function askDirectly(req: IncomingMessage, res: ServerResponse): void {
    readPlainJson(req, (err, body) => {
      const reply = err ? Promise.reject(err) : answer(body as AskBody, req.socket.remoteAddress, req.headers['x-admin-token']);
      reply.catch((failure: RequestError) => errorReply(failure, options.log)).then((r) => sendJson(res, r));
    });
  }

  return (req, res) => {
    if (direct && req.method === 'POST' && req.url === '/api/ask' && isPlainJson(req, MAX_BODY)) askDirectly(req, res);
    else app(req, res);
  };
}

/** What a chat API request's JSON may hold (anything else in it is ignored). */
type AskBody = { text?: unknown; as?: unknown; session?: unknown };

interface JsonReply {
  status: number;
  json: unknown;
}

type RequestError = Error & { status?: number; type?: string; limit?: number };

/** Malformed JSON, bodies over the limit and the like: a clear 4xx, never a 500 with a stack trace. */
function errorReply(err: RequestError, log: Logger): JsonReply {
  const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) log.error({ err }, 'request failed');
  const message =
    err.type === 'entity.parse.failed' ? '请求体不是有效的 JSON'
    : err.type === 'entity.too.large' ? `请求体过大（上限 ${sizeText(err.limit ?? MAX_BODY)}）`
    : status === 500 ? '服务器内部错误' : err.message;
  return { status, json: { error: message } };
}

/**
 * What `res.json` sends (same headers, same bytes), written as one string: express turns a body of 1,000 characters
 * or more into a Buffer, which node writes after the headers with a second buffer (writev); as one string node sends
 * headers and body in one write. Answers are usually over 1,000 characters: ~0.05 ms less per answer.
 */
function sendJson(res: ServerResponse, { status, json }: JsonReply): void {
  const body = JSON.stringify(json);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The limit of the route that refused the body (the chat API's 32 KB, an upload's 10 MB), as people write it. */
function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function parseSpeakAs(value: unknown, departments: () => string[]): { department?: string; coordinator?: boolean } | undefined | 'invalid' {
  if (value === undefined || value === null || value === '' || value === 'guest') return undefined;
  if (value === 'coordinator') return { coordinator: true };
  if (typeof value === 'string' && departments().includes(value)) return { department: value };
  return 'invalid';
}
