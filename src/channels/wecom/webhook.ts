/**
 * Group robot webhooks (群机器人): send-only, one key per department group. OutboundChannel 'wecom-webhook':
 * the chat id is "<部门>@<hash of key>" (never the key), markdown within 4096 bytes, at most `perWindow`
 * sends per key per window (a robot accepts 20 per minute), 45009 → retry after the window, 93000 → permanent.
 */
import type { OutboundChannel, SendResult } from '../../core/types.js';
import type { Logger } from '../../core/log.js';
import { toSendResult } from './api.js';
import { webhookChatId, type WebhookBinding, type WecomWebhookConfig } from './config.js';
import { markdownWithin } from './format.js';
import { redactUrl, type JsonFetch } from './http.js';

export const WEBHOOK_LIMIT = { max: 4096, measure: 'bytes' } as const;
/** The outbox splits to this, leaving room for the markdown added on send. */
const SPLIT_LIMIT = { max: 3900, measure: 'bytes' } as const;

/**
 * Sliding-window log: never more than `max` sends in any `windowMs` (plus a 5 % margin, so network
 * jitter between our clock and WeCom's cannot push a 21st message into its window).
 */
export class SlidingWindow {
  private readonly times: number[] = [];
  private readonly windowMs: number;
  constructor(
    private readonly max: number,
    windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.windowMs = Math.ceil(windowMs * 1.05);
  }

  /** Take a slot, or return how long until one frees up. */
  take(): { ok: true } | { ok: false; waitMs: number } {
    const t = this.now();
    while (this.times.length && t - this.times[0] >= this.windowMs) this.times.shift();
    if (this.times.length < this.max) {
      this.times.push(t);
      return { ok: true };
    }
    return { ok: false, waitMs: Math.ceil(this.times[0] + this.windowMs - t) + 1 };
  }
}

export interface WebhookChannel extends OutboundChannel {
  /** Add (or replace) a key at run time, e.g. bound by the coordinator; returns its chat id. */
  addKey(department: string, key: string, coordinator?: boolean): string;
  removeKey(chatId: string): void;
  bindings(): Array<Omit<WebhookBinding, 'key'>>;
}

export function createWebhookChannel(opts: { config: WecomWebhookConfig; webhookBase: string; fetch: JsonFetch; log: Logger }): WebhookChannel {
  const { config, log } = opts;
  const byChat = new Map<string, WebhookBinding>();
  const limiters = new Map<string, SlidingWindow>();
  const queues = new Map<string, Promise<unknown>>();
  for (const b of config.bindings) byChat.set(b.chatId, b);

  const limiter = (key: string) => {
    let l = limiters.get(key);
    if (!l) limiters.set(key, (l = new SlidingWindow(config.perWindow, config.windowMs)));
    return l;
  };

  async function sendNow(b: WebhookBinding, text: string): Promise<SendResult> {
    const slot = limiter(b.key).take();
    if (!slot.ok) return { ok: false, permanent: false, error: `群机器人每 ${config.windowMs / 1000} 秒最多 ${config.perWindow} 条，稍后再发`, retryAfterMs: slot.waitMs };
    const url = `${opts.webhookBase}/cgi-bin/webhook/send?key=${encodeURIComponent(b.key)}`;
    try {
      const { status, json } = await opts.fetch(url, { body: { msgtype: 'markdown', markdown: { content: markdownWithin(text, WEBHOOK_LIMIT) } } });
      if (!json) return { ok: false, permanent: false, error: `群机器人接口 HTTP ${status}` };
      const r = toSendResult({ errcode: Number(json.errcode ?? 0), errmsg: String(json.errmsg ?? '') });
      if (!r.ok && r.retryAfterMs !== undefined && Number(json.errcode) === 45009) r.retryAfterMs = config.windowMs;
      if (!r.ok) log.warn({ chatId: b.chatId, department: b.department, error: r.error, permanent: r.permanent }, '群机器人发送失败');
      return r;
    } catch (err) {
      log.warn({ chatId: b.chatId, url: redactUrl(url), err: (err as Error).message }, '群机器人发送网络错误');
      return { ok: false, permanent: false, error: `网络错误：${(err as Error).message}` };
    }
  }

  return {
    name: 'wecom-webhook',
    limit: SPLIT_LIMIT,
    perDestinationPerMinute: config.perWindow,
    send(chatId, text) {
      const b = byChat.get(chatId);
      if (!b) return Promise.resolve({ ok: false, permanent: true, error: `没有配置「${chatId}」的群机器人 webhook（WECOM_WEBHOOK_BINDINGS）` });
      // One send in flight per key, so the window count is exact.
      const prev = queues.get(b.key) ?? Promise.resolve();
      const p = prev.then(() => sendNow(b, text));
      queues.set(b.key, p.catch(() => undefined));
      return p;
    },
    addKey(department, key, coordinator = false) {
      const chatId = webhookChatId(department, key);
      byChat.set(chatId, { department, key, chatId, coordinator });
      return chatId;
    },
    removeKey(chatId) {
      byChat.delete(chatId);
    },
    bindings() {
      return [...byChat.values()].map(({ key: _k, ...rest }) => rest);
    },
  };
}
