/**
 * Smart bot JSON callback at /wecom/bot (receive id ''): URL verification, signature, decrypt,
 * encrypted passive replies. An answer ready within the deadline is sent as a finished stream; a slower one
 * starts an unfinished stream and is delivered on WeCom's stream refresh callbacks.
 */
import express, { type Router } from 'express';
import { randomBytes } from 'node:crypto';
import type { Bot } from '../../core/bot.js';
import type { Logger } from '../../core/log.js';
import { splitText } from '../../core/split.js';
import { AIBOT_LIMIT, classifyAibot, type AibotBody } from './bot-inbound.js';
import { BODY_LIMIT, HELP_TEXT, bodyErrors, firstDelivery, signedQuery, sleep, urlVerification, verifyOr401, type Dedupe } from './callback.js';
import type { WecomBotConfig, WecomBotWebhookConfig, WecomCommonConfig } from './config.js';
import { WecomCrypt } from './crypto.js';

const STREAM_TTL_MS = 6 * 60_000;
const UNSUPPORTED = '目前只能回答文字消息，请直接输入问题。';

export interface BotWebhookOptions {
  config: WecomBotWebhookConfig;
  bot: WecomBotConfig;
  common: WecomCommonConfig;
  handler: Bot;
  dedupe: Dedupe;
  log: Logger;
  now?: () => number;
}

interface Pending {
  text?: string;
  expires: number;
}

export function createBotWebhookRouter(o: BotWebhookOptions): Router {
  const { common, log } = o;
  const crypt = new WecomCrypt(o.config.token, o.config.aesKey, '');
  const now = o.now ?? Date.now;
  const streams = new Map<string, Pending>();
  const router = express.Router();

  const sweep = () => {
    const t = now();
    for (const [k, v] of streams) if (v.expires <= t) streams.delete(k);
  };

  router.get('/', urlVerification({ crypt, windowMs: common.timestampWindowMs, now, log, what: '智能机器人' }));

  router.post('/', express.text({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const q = signedQuery(req);
    let encrypt = '';
    try {
      const env = JSON.parse(typeof req.body === 'string' ? req.body : '') as { encrypt?: unknown };
      if (typeof env?.encrypt === 'string') encrypt = env.encrypt;
    } catch {
      if (q) {
        res.status(400).type('text/plain').send('bad json');
        return;
      }
    }
    if (!verifyOr401(res, crypt, q, encrypt, common.timestampWindowMs, now(), log, req.ip)) return;
    if (!encrypt) {
      res.status(400).type('text/plain').send('missing encrypt');
      return;
    }
    let body: AibotBody;
    try {
      body = JSON.parse(crypt.decrypt(encrypt).message) as AibotBody;
      if (!body || typeof body !== 'object') throw new Error('not an object');
    } catch (err) {
      log.warn({ err: (err as Error).message }, '智能机器人回调解密或解析失败');
      res.status(400).type('text/plain').send('bad message');
      return;
    }

    const reply = (payload: unknown) => {
      const timestamp = String(Math.floor(now() / 1000));
      const sealed = crypt.seal(JSON.stringify(payload), timestamp, q.nonce);
      res.status(200).json({ encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp: Number(timestamp), nonce: q.nonce });
    };
    const stream = (id: string, content: string, finish: boolean) => reply({ msgtype: 'stream', stream: { id, finish, content } });
    const empty = () => res.status(200).type('text/plain').send('');

    sweep();
    // WeCom polls an unfinished stream with msgtype "stream".
    if (body.msgtype === 'stream') {
      const id = String(body.stream?.id ?? '');
      const p = streams.get(id);
      if (!p) {
        stream(id, '抱歉，这条回答已过期，请重新提问。', true);
        return;
      }
      if (p.text === undefined) {
        stream(id, '正在查询…', false);
        return;
      }
      streams.delete(id);
      stream(id, p.text, true);
      return;
    }

    const item = classifyAibot(body, o.bot.name, o.common.adminUserIds);
    if (item.kind === 'ignore') {
      empty();
      return;
    }
    if (item.msgid && !(await firstDelivery(o.dedupe, `wecom-bot:msg:${item.msgid}`, common.dedupeTtlMs, res, log))) return;

    if (item.kind === 'event') {
      if (item.eventtype === 'enter_chat') reply({ msgtype: 'text', text: { content: HELP_TEXT } });
      else empty();
      return;
    }
    const id = randomBytes(12).toString('hex');
    if (item.kind === 'unsupported') {
      stream(id, UNSUPPORTED, true);
      return;
    }
    const pending: Pending = { expires: now() + STREAM_TTL_MS };
    const answer = o.handler.handle(item.message).then(
      (r) => splitText(r.text, AIBOT_LIMIT)[0] ?? '',
      (err) => {
        log.error({ err }, 'bot.handle failed');
        return '抱歉，处理这条消息时出错了，请稍后再试。';
      },
    );
    void answer.then((text) => {
      pending.text = text;
    });
    const first = await Promise.race([answer, sleep(common.replyDeadlineMs)]);
    if (first !== 'timeout') {
      stream(id, first, true);
      return;
    }
    streams.set(id, pending);
    stream(id, '正在查询…', false);
  });

  router.use(bodyErrors(log));
  return router;
}
