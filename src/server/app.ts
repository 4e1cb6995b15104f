import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../core/paths.js';
import { timingSafeEqual } from 'node:crypto';
import type { Bot } from '../core/bot.js';
import type { Message, Reply } from '../core/types.js';
import type { Logger } from '../core/log.js';
import { isLoopbackClient, type TrustProxy } from './trust-proxy.js';
import { jsonBody } from './json-body.js';

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

export function createApp(options: AppOptions) {
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

  const trusted = (req: Request) => (options.trustLoopback && isLoopbackClient(req)) || tokenMatches(req.get('x-admin-token'), options.adminToken);

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

  app.post('/api/ask', requireJson, jsonBody(MAX_BODY), async (req, res) => {
    const body = req.body as { text?: unknown; as?: unknown; session?: unknown };
    if (typeof body?.text !== 'string') {
      const example = options.examples?.().examples[0] ?? '第1项是什么？';
      res.status(400).json({ error: `缺少 text 字段（字符串），例如 ${JSON.stringify({ text: example })}` });
      return;
    }
    // the departments are listed only for a request that names an identity (a guest's question needs none)
    const speakAs = parseSpeakAs(body.as, options.departments);
    if (speakAs === 'invalid') {
      res.status(400).json({ error: `as 应为 "coordinator" 或部门名称之一：${options.departments().join('、')}` });
      return;
    }
    if (speakAs && !trusted(req)) {
      res.status(403).json({ error: '只有本机访问或携带管理令牌（X-Admin-Token）时才能以部门或督办身份发言' });
      return;
    }
    const chatId = speakAs ? (speakAs.coordinator ? 'coordinator' : `dept:${speakAs.department}`) : 'guest';
    // The page's own id (one per browser tab) keeps each reader's conversation apart.
    const session = typeof body.session === 'string' && /^[\w-]{1,64}$/.test(body.session) ? body.session : undefined;
    const message: Message = {
      channel: 'web',
      chatId,
      chatType: 'private',
      userId: `${speakAs ? chatId : `web:${req.ip}`}${session ? `:${session}` : ''}`,
      // The channel (web) is recorded beside the name; the name is just who spoke.
      userName: speakAs?.coordinator ? '督办' : speakAs?.department ?? '访客',
      text: body.text,
      trusted: speakAs ? { speakAs } : undefined,
    };
    const reply = await options.bot.handle(message);
    sendJson(res, toAnswerJson(body.text, reply));
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

  // Malformed JSON, bodies over the limit and the like: a clear 4xx, never a 500 with a stack trace.
  app.use((err: Error & { status?: number; type?: string; limit?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) options.log.error({ err }, 'request failed');
    const message =
      err.type === 'entity.parse.failed' ? '请求体不是有效的 JSON'
      : err.type === 'entity.too.large' ? `请求体过大（上限 ${sizeText(err.limit ?? MAX_BODY)}）`
      : status === 500 ? '服务器内部错误' : err.message;
    res.status(status).json({ error: message });
  });

  return app;
}

/**
 * What `res.json` sends (same headers, same bytes), written as one string: express turns a body of 1,000 characters
 * or more into a Buffer, which node writes after the headers with a second buffer (writev); as one string node sends
 * headers and body in one write. Answers are usually over 1,000 characters: ~0.05 ms less per answer.
 */
function sendJson(res: Response, value: unknown): void {
  const body = JSON.stringify(value);
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
