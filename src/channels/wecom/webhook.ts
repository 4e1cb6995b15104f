/**
 * Group robot webhooks (群机器人): send-only, one key per department group. OutboundChannel 'wecom-webhook':
 * the chat id is "<部门>@<hash of key>" (never the key), markdown within 4096 bytes, at most `perWindow`
 * sends per key per window (a robot accepts 20 per minute), 45009 → retry after the window, 93000 → permanent.
 */
import { readFile } from 'node:fs/promises';
import type { Mention, OutboundChannel, OutboundFile, SendResult } from '../../core/types.js';
import { measure } from '../../core/split.js';
import type { Logger } from '../../core/log.js';
import { toSendResult } from './api.js';
import { webhookChatId, type WebhookBinding, type WecomWebhookConfig } from './config.js';
import { markdownWithin } from './format.js';
import { redactUrl, type JsonFetch, type MultipartPost } from './http.js';

export const WEBHOOK_LIMIT = { max: 4096, measure: 'bytes' } as const;
/** A text message (the type that carries mentioned_list / mentioned_mobile_list) holds 2048 bytes. */
export const WEBHOOK_TEXT_LIMIT = { max: 2048, measure: 'bytes' } as const;
/** A media_id from upload_media lasts 3 days; reuse it for somewhat less. */
const MEDIA_TTL_MS = 60 * 60 * 60_000;
/** Files a robot accepts (upload_media: 5 B … 20 MB). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * The message body for a text with @-mentions: a text message with mentioned_list (userids) and
 * mentioned_mobile_list (mobiles) when it fits 2048 bytes; otherwise markdown, where only userids can be
 * mentioned (<@userid>) and mobiles are shown by name.
 */
export function webhookBody(text: string, mentions: Mention[] = []): Record<string, unknown> {
  const wecom = mentions.filter((m) => m.platform === 'wecom');
  if (wecom.length === 0) return { msgtype: 'markdown', markdown: { content: markdownWithin(text, WEBHOOK_LIMIT) } };
  const userids = wecom.filter((m) => m.kind === 'userid').map((m) => m.id);
  const mobiles = wecom.filter((m) => m.kind === 'mobile').map((m) => m.id);
  if (measure(text, 'bytes') <= WEBHOOK_TEXT_LIMIT.max) {
    const body: Record<string, unknown> = { content: text };
    if (userids.length) body.mentioned_list = userids;
    if (mobiles.length) body.mentioned_mobile_list = mobiles;
    return { msgtype: 'text', text: body };
  }
  const line = `\n联络员：${wecom.map((m) => (m.kind === 'userid' ? `<@${m.id}>` : `${m.name ?? m.id}`)).join(' ')}`;
  return { msgtype: 'markdown', markdown: { content: markdownWithin(text, { max: WEBHOOK_LIMIT.max - measure(line, 'bytes'), measure: 'bytes' }) + line } };
}
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

export function createWebhookChannel(opts: { config: WecomWebhookConfig; webhookBase: string; fetch: JsonFetch; upload?: MultipartPost; log: Logger }): WebhookChannel {
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

  const media = new Map<string, { mediaId: string; at: number }>();

  /** upload_media → media_id (reused while valid). */
  async function uploadFile(b: WebhookBinding, file: OutboundFile): Promise<{ mediaId: string } | SendResult> {
    const cacheKey = `${b.key}\u0000${file.path}`;
    const cached = media.get(cacheKey);
    if (cached && Date.now() - cached.at < MEDIA_TTL_MS) return { mediaId: cached.mediaId };
    if (!opts.upload) return { ok: false, permanent: true, error: '群机器人未配置文件上传' };
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path);
    } catch (err) {
      return { ok: false, permanent: true, error: `读取附件失败：${(err as Error).message}` };
    }
    if (bytes.length < 5 || bytes.length > MAX_FILE_BYTES) return { ok: false, permanent: true, error: `附件大小 ${bytes.length} 字节超出群机器人的限制（5 B–20 MB）` };
    const url = `${opts.webhookBase}/cgi-bin/webhook/upload_media?key=${encodeURIComponent(b.key)}&type=file`;
    const { status, json } = await opts.upload(url, { field: 'media', name: file.name, bytes });
    if (!json) return { ok: false, permanent: false, error: `群机器人上传接口 HTTP ${status}` };
    const r = toSendResult({ errcode: Number(json.errcode ?? 0), errmsg: String(json.errmsg ?? '') });
    if (!r.ok) return r;
    const mediaId = String(json.media_id ?? '');
    if (!mediaId) return { ok: false, permanent: false, error: '群机器人上传接口没有返回 media_id' };
    media.set(cacheKey, { mediaId, at: Date.now() });
    return { mediaId };
  }

  async function sendNow(b: WebhookBinding, message: Record<string, unknown> | { file: OutboundFile }): Promise<SendResult> {
    const slot = limiter(b.key).take();
    if (!slot.ok) return { ok: false, permanent: false, error: `群机器人每 ${config.windowMs / 1000} 秒最多 ${config.perWindow} 条，稍后再发`, retryAfterMs: slot.waitMs };
    const url = `${opts.webhookBase}/cgi-bin/webhook/send?key=${encodeURIComponent(b.key)}`;
    try {
      let body = message;
      let cacheKey: string | undefined;
      if ('file' in message && typeof (message.file as OutboundFile).path === 'string') {
        const f = message.file as OutboundFile;
        const up = await uploadFile(b, f);
        if (!('mediaId' in up)) return up;
        cacheKey = `${b.key}\u0000${f.path}`;
        body = { msgtype: 'file', file: { media_id: up.mediaId } };
      }
      const { status, json } = await opts.fetch(url, { body });
      // An expired or unknown media_id: upload again next time.
      if (cacheKey && json && Number(json.errcode) === 40007) media.delete(cacheKey);
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

  function enqueue(chatId: string, message: Record<string, unknown> | { file: OutboundFile }): Promise<SendResult> {
    const b = byChat.get(chatId);
    if (!b) return Promise.resolve({ ok: false, permanent: true, error: `没有配置「${chatId}」的群机器人 webhook（WECOM_WEBHOOK_BINDINGS）` });
    // One send in flight per key, so the window count is exact.
    const prev = queues.get(b.key) ?? Promise.resolve();
    const p = prev.then(() => sendNow(b, message));
    queues.set(b.key, p.catch(() => undefined));
    return p;
  }

  return {
    name: 'wecom-webhook',
    limit: SPLIT_LIMIT,
    perDestinationPerMinute: config.perWindow,
    send(chatId, text, extras) {
      return enqueue(chatId, webhookBody(text, extras?.mentions));
    },
    sendFile(chatId, file) {
      return enqueue(chatId, { file });
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
