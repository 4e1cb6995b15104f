/** Shared pieces of the two HTTP callbacks (/wecom/app XML, /wecom/bot JSON): signature, timestamp, dedupe. */
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import type { Logger } from '../../core/log.js';
import { WecomCryptoError, type WecomCrypt } from './crypto.js';

export const BODY_LIMIT = '64kb';

/** rememberOnce: true the first time a key is seen within ttlMs (StateStore satisfies it). */
export interface Dedupe {
  rememberOnce(key: string, ttlMs: number): Promise<boolean>;
}

/** In-memory LRU fallback when no store is given (does not survive a restart). */
export function memoryDedupe(max = 10_000, now: () => number = Date.now): Dedupe {
  const seen = new Map<string, number>();
  return {
    async rememberOnce(key, ttlMs) {
      const t = now();
      const exp = seen.get(key);
      if (exp !== undefined && exp > t) return false;
      seen.delete(key);
      seen.set(key, t + ttlMs);
      while (seen.size > max) seen.delete(seen.keys().next().value as string);
      return true;
    },
  };
}

export interface SignedQuery {
  signature: string;
  timestamp: string;
  nonce: string;
}

function one(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The signature parameters, or undefined when any is missing. */
export function signedQuery(req: Request): SignedQuery | undefined {
  const signature = one(req.query.msg_signature);
  const timestamp = one(req.query.timestamp);
  const nonce = one(req.query.nonce);
  if (!signature || !timestamp || !nonce) return undefined;
  return { signature, timestamp, nonce };
}

/** echostr with a '+' a framework turned into a space put back (decoded exactly once). */
export function echostrOf(req: Request): string | undefined {
  return one(req.query.echostr)?.replace(/ /g, '+');
}

/**
 * Verify signature and timestamp; on failure answer 401 and return false. Nothing else has happened yet.
 */
export function verifyOr401(
  res: Response,
  crypt: WecomCrypt,
  q: SignedQuery | undefined,
  encrypt: string,
  windowMs: number,
  now: number,
  log: Logger,
  ip: string | undefined,
): q is SignedQuery {
  if (!q) {
    log.warn({ ip }, '回调缺少签名参数，已拒绝');
    res.status(401).type('text/plain').send('missing signature');
    return false;
  }
  if (!crypt.verify(q.signature, q.timestamp, q.nonce, encrypt)) {
    log.warn({ ip }, '回调签名不符，已拒绝');
    res.status(401).type('text/plain').send('bad signature');
    return false;
  }
  const ts = Number(q.timestamp);
  if (!/^\d{1,12}$/.test(q.timestamp) || Math.abs(now - ts * 1000) > windowMs) {
    log.warn({ ip, timestamp: q.timestamp }, '回调时间戳超出允许范围，已拒绝');
    res.status(401).type('text/plain').send('stale timestamp');
    return false;
  }
  return true;
}

/**
 * The callback URL check WeCom makes when an administrator saves the URL: verify, decrypt echostr, answer
 * the bare plaintext (no quotes, no newline) within a second. A wrong receive id (another corp) is 401.
 */
export function urlVerification(o: {
  crypt: WecomCrypt;
  windowMs: number;
  now: () => number;
  log: Logger;
  /** For the log: 自建应用 or 智能机器人. */
  what: string;
}): RequestHandler {
  return (req, res) => {
    const q = signedQuery(req);
    const echostr = echostrOf(req);
    if (q && !echostr) {
      res.status(400).type('text/plain').send('missing echostr');
      return;
    }
    if (!verifyOr401(res, o.crypt, q, echostr ?? '', o.windowMs, o.now(), o.log, req.ip)) return;
    try {
      const { message } = o.crypt.decrypt(echostr!);
      o.log.info(`${o.what}回调 URL 验证成功`);
      res.status(200).type('text/plain').send(message);
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, `${o.what} URL 验证解密失败`);
      res.status(err instanceof WecomCryptoError && err.code === 'receiveid' ? 401 : 400).type('text/plain').send('bad echostr');
    }
  };
}

/**
 * First delivery of a callback? A retry WeCom sends because our answer was slow gets an empty 200; if the
 * dedupe store cannot be written, 503 makes WeCom retry later rather than risk answering twice.
 */
export async function firstDelivery(
  dedupe: Dedupe,
  key: string,
  ttlMs: number,
  res: Response,
  log: Logger,
): Promise<boolean> {
  try {
    if (await dedupe.rememberOnce(key, ttlMs)) return true;
    log.info({ key }, '企业微信重发的回调，已处理过');
    res.status(200).type('text/plain').send('');
  } catch (err) {
    log.error({ err }, '记录回调失败，让企业微信重发');
    res.status(503).type('text/plain').send('retry');
  }
  return false;
}

/** Body-parser failures (too large, bad encoding) → 4xx, never 500. */
export function bodyErrors(log: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const status = Number((err as { status?: number }).status);
    log.warn({ err: (err as Error).message }, '回调请求体无效');
    if (!res.headersSent) res.status(status >= 400 && status < 500 ? status : 400).type('text/plain').send('bad request');
  };
}

export function sleep(ms: number): Promise<'timeout'> {
  return new Promise((r) => setTimeout(() => r('timeout'), ms).unref?.());
}

/** The welcome: no words of any one plan (the adapter does not know which is loaded); 「帮助」 gives the examples. */
export const HELP_TEXT =
  '您好，我是督办助手。可以直接提问，例如：\n' +
  '· 某项工作由哪些部门负责？\n' +
  '· 某个部门有哪些任务？\n' +
  '· 第几项任务是什么？\n' +
  '已绑定部门的群可以汇报进展，例如「任务编号 已完成」。发送「帮助」查看适合本聊天的用法和示例。';
