/**
 * Small typed client for the self-built app's server API: gettoken (cached until shortly before expiry,
 * one refresh in flight, refreshed once on 40014/42001) and message/send.
 */
import type { SendResult } from '../../core/types.js';
import type { JsonFetch } from './http.js';

export interface ApiReply {
  errcode: number;
  errmsg: string;
  [k: string]: unknown;
}

export interface WecomApiOptions {
  apiBase: string;
  corpId: string;
  secret: string;
  agentId: number;
  fetch: JsonFetch;
  /** Refresh this long before the token expires (default 5 min, at most half the lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
}

/** Token errors after which the cached token is dropped and the call retried once. */
const TOKEN_ERRORS = new Set([40014, 42001]);

export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`errcode ${errcode}: ${errmsg}`);
  }
}

export class WecomApi {
  private token: { value: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  /** How many times gettoken was called (tests). */
  tokenFetches = 0;
  private readonly now: () => number;

  constructor(private readonly o: WecomApiOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * A valid access token: cached, or fetched once however many callers ask at the same time.
   * `rejected`: the token WeCom just refused (40014/42001); it is dropped unless already replaced.
   */
  async accessToken(rejected?: string): Promise<string> {
    if (rejected !== undefined && this.token?.value === rejected) this.token = undefined;
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    this.tokenFetches++;
    const u = new URL(`${this.o.apiBase}/cgi-bin/gettoken`);
    u.searchParams.set('corpid', this.o.corpId);
    u.searchParams.set('corpsecret', this.o.secret);
    const { status, json } = await this.o.fetch(u.href);
    const errcode = Number(json?.errcode ?? (status === 200 ? 0 : -1));
    if (errcode !== 0 || typeof json?.access_token !== 'string') {
      throw new WecomApiError(errcode || -1, String(json?.errmsg ?? `HTTP ${status}`));
    }
    const lifetimeMs = Number(json.expires_in ?? 7200) * 1000;
    const margin = Math.min(this.o.refreshMarginMs ?? 300_000, lifetimeMs / 2);
    this.token = { value: json.access_token, refreshAt: this.now() + lifetimeMs - margin };
    return json.access_token;
  }

  /** POST to /cgi-bin/<path>?access_token=…; a 40014/42001 refreshes the token and retries once. */
  async post(path: string, body: unknown): Promise<ApiReply> {
    let rejected: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(rejected);
      const { status, json } = await this.o.fetch(`${this.o.apiBase}/cgi-bin/${path}?access_token=${encodeURIComponent(token)}`, { body });
      if (!json) return { errcode: -1, errmsg: `HTTP ${status}，响应不是 JSON` };
      const reply = { ...json, errcode: Number(json.errcode ?? 0), errmsg: String(json.errmsg ?? '') } as ApiReply;
      if (TOKEN_ERRORS.has(reply.errcode) && attempt === 0) {
        rejected = token;
        continue;
      }
      return reply;
    }
  }

  /** message/send a text to one member (userid). */
  async sendText(touser: string, content: string): Promise<SendResult> {
    try {
      const r = await this.post('message/send', {
        touser,
        msgtype: 'text',
        agentid: this.o.agentId,
        text: { content },
        enable_duplicate_check: 0,
      });
      return toSendResult(r);
    } catch (err) {
      if (err instanceof WecomApiError) return toSendResult({ errcode: err.errcode, errmsg: err.message });
      return { ok: false, permanent: false, error: `网络错误：${(err as Error).message}` };
    }
  }
}

/** Errcodes after which retrying the same destination cannot help. */
const PERMANENT = new Map<number, string>([
  [93000, 'webhook key 无效（群机器人已被移除或地址错误）'],
  [40003, '接收人 userid 无效'],
  [81013, '接收人不在应用的可见范围内'],
  [40056, 'agentid 无效'],
]);

/** Map a WeCom JSON reply to the outbox's SendResult (never throws). */
export function toSendResult(r: { errcode: number; errmsg: string; invaliduser?: unknown; msgid?: unknown }): SendResult {
  if (r.errcode === 0) {
    if (typeof r.invaliduser === 'string' && r.invaliduser) return { ok: false, permanent: true, error: `接收人无效：${r.invaliduser}` };
    return { ok: true, remoteId: typeof r.msgid === 'string' ? r.msgid : undefined };
  }
  const error = `企业微信返回 ${r.errcode}：${r.errmsg}`;
  if (PERMANENT.has(r.errcode)) {
    return { ok: false, permanent: true, destinationGone: r.errcode === 93000, error: `${PERMANENT.get(r.errcode)}（${error}）` };
  }
  if (r.errcode === 45009) return { ok: false, permanent: false, error: `发送太频繁（${error}）`, retryAfterMs: 60_000 };
  if (r.errcode === 60020) return { ok: false, permanent: false, error: `服务器出口 IP 不在应用的企业可信IP 中（${error}）`, retryAfterMs: 600_000 };
  return { ok: false, permanent: false, error };
}
