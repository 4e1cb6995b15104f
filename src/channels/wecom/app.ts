/**
 * Self-built app (自建应用) callback at /wecom/app: URL verification (bare plaintext), encrypted XML messages,
 * receive id = CorpID, enter_agent → short help, text → bot.handle answered by an encrypted passive reply
 * within the deadline, else an empty 200 and message/send. What the passive reply cannot carry (the parts of a long
 * answer past 2,048 bytes, a late answer) goes through the durable outbox: sent in order, retried, resumed after a
 * restart. WeCom's own retries of a callback are deduplicated by MsgId
 * (events by FromUserName + CreateTime).
 */
import express, { type Router } from 'express';
import { randomBytes } from 'node:crypto';
import type { Bot } from '../../core/bot.js';
import type { Logger } from '../../core/log.js';
import type { Message } from '../../core/types.js';
import { splitText } from '../../core/split.js';
import type { WecomApi } from './api.js';
import { BODY_LIMIT, HELP_TEXT, bodyErrors, firstDelivery, signedQuery, sleep, urlVerification, verifyOr401, type Dedupe } from './callback.js';
import type { WecomAppConfig, WecomCommonConfig } from './config.js';
import { WecomCrypt, WecomCryptoError } from './crypto.js';
import { XmlError, buildXml, parseFlatXml } from './xml.js';

/** Passive text replies and message/send texts are cut at 2048 bytes by WeCom. */
export const APP_LIMIT = { max: 2048, measure: 'bytes' } as const;

const UNSUPPORTED = '目前只能回答文字消息。请直接输入问题，或发送「帮助」查看可以问的问题。';

/** A row for the durable outbox (the reminder service's deliver takes it). */
export type DeliverLater = (row: { key: string; channel: 'wecom-app'; chatId: string; department: ''; kind: 'reply'; period: string; text: string }) => Promise<void>;

export interface AppRouterOptions {
  config: WecomAppConfig;
  common: WecomCommonConfig;
  bot: Bot;
  api: WecomApi;
  dedupe: Dedupe;
  log: Logger;
  now?: () => number;
  /** Track background work (tests wait for it). */
  track: (p: Promise<unknown>) => void;
  /** What the passive reply cannot carry goes here (the durable outbox, with retries). */
  deliver: DeliverLater;
}

export function createAppRouter(o: AppRouterOptions): Router {
  const { config, common, log } = o;
  const crypt = new WecomCrypt(config.token, config.aesKey, config.corpId);
  const now = o.now ?? Date.now;
  const router = express.Router();

  router.get('/', urlVerification({ crypt, windowMs: common.timestampWindowMs, now, log, what: '自建应用' }));

  router.post('/', express.text({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const q = signedQuery(req);
    let envelope: Record<string, string>;
    try {
      envelope = parseFlatXml(typeof req.body === 'string' ? req.body : '');
    } catch (err) {
      // Signature parameters are checked first so a forged request learns nothing about the body.
      if (!q) {
        res.status(401).type('text/plain').send('missing signature');
        return;
      }
      log.warn({ err: (err as Error).message }, '自建应用回调 XML 无效');
      res.status(400).type('text/plain').send('bad xml');
      return;
    }
    const encrypt = envelope.Encrypt ?? '';
    if (!verifyOr401(res, crypt, q, encrypt, common.timestampWindowMs, now(), log, req.ip)) return;
    if (!encrypt) {
      res.status(400).type('text/plain').send('missing Encrypt');
      return;
    }
    let msg: Record<string, string>;
    try {
      msg = parseFlatXml(crypt.decrypt(encrypt).message);
    } catch (err) {
      const forged = err instanceof WecomCryptoError && err.code === 'receiveid';
      log.warn({ err: (err as Error).message }, forged ? '回调 ReceiveId 与 WECOM_CORP_ID 不符' : '自建应用回调解密失败');
      res.status(forged ? 401 : 400).type('text/plain').send(err instanceof XmlError ? 'bad xml' : 'bad message');
      return;
    }

    const user = msg.FromUserName ?? '';
    const type = msg.MsgType ?? '';
    const passive = (content: string) => {
      const inner = buildXml({ ToUserName: user, FromUserName: config.corpId, CreateTime: Math.floor(now() / 1000), MsgType: 'text', Content: content });
      const timestamp = String(Math.floor(now() / 1000));
      const nonce = randomBytes(8).toString('hex');
      const sealed = crypt.seal(inner, timestamp, nonce);
      res.status(200).type('application/xml').send(buildXml({ Encrypt: sealed.encrypt, MsgSignature: sealed.signature, TimeStamp: Number(timestamp), Nonce: nonce }));
    };
    const empty = () => res.status(200).type('text/plain').send('');

    if (!user) {
      res.status(400).type('text/plain').send('missing FromUserName');
      return;
    }
    const dedupeKey = type === 'event' ? `wecom-app:event:${user}:${msg.CreateTime ?? ''}:${msg.Event ?? ''}` : `wecom-app:msg:${msg.MsgId ?? `${user}:${msg.CreateTime ?? ''}`}`;
    if (!(await firstDelivery(o.dedupe, dedupeKey, common.dedupeTtlMs, res, log))) return;

    if (type === 'event') {
      const ev = (msg.Event ?? '').toLowerCase();
      if (ev === 'enter_agent' || ev === 'subscribe') passive(HELP_TEXT);
      else empty();
      return;
    }
    if (type !== 'text') {
      passive(UNSUPPORTED);
      return;
    }

    const message: Message = {
      channel: 'wecom-app',
      chatId: user,
      chatType: 'private',
      userId: user,
      messageId: msg.MsgId,
      text: (msg.Content ?? '').trim(),
    };
    if (common.adminUserIds.has(user)) message.trusted = { admin: true };
    const answer = o.bot.handle(message).then(
      (r) => r.text,
      (err) => {
        log.error({ err }, 'bot.handle failed');
        return '抱歉，处理这条消息时出错了，请稍后再试。';
      },
    );
    const first = await Promise.race([answer, sleep(common.replyDeadlineMs)]);
    // One outbox row per answer: the outbox splits it at 2,048 bytes again, sends the parts in order and retries.
    const key = `reply:wecom-app:${user}:${msg.MsgId ?? msg.CreateTime ?? now()}`;
    const sendRest = (parts: string[]) => o.deliver({ key, channel: 'wecom-app', chatId: user, department: '', kind: 'reply', period: key, text: parts.join('\n') });
    // WeCom gave up on this request (and its retry was answered empty as a duplicate): the passive
    // reply would go nowhere, so the whole answer goes through message/send.
    const gone = req.socket.destroyed || res.writableEnded;
    if (first !== 'timeout' && gone) {
      log.warn({ user }, '企业微信已断开本次回调，答案改用 message/send');
      o.track(sendRest(splitText(first, APP_LIMIT)));
      return;
    }
    if (first !== 'timeout') {
      const parts = splitText(first, APP_LIMIT);
      passive(parts[0] ?? '');
      if (parts.length > 1) o.track(sendRest(parts.slice(1)));
      return;
    }
    // Too slow for the 5-second window: acknowledge now, answer through message/send.
    empty();
    log.info({ user, deadlineMs: common.replyDeadlineMs }, '回答超过被动回复时限，改用 message/send');
    o.track(answer.then((text) => sendRest(splitText(text, APP_LIMIT))));
  });

  router.use(bodyErrors(log));
  return router;
}
