/** fetch for every outgoing WeCom HTTP call: undici with an optional proxy (fixed egress IP) and a timeout. */
import { ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';

export interface HttpOptions {
  proxy?: string;
  timeoutMs?: number;
}

export type JsonFetch = (url: string, init?: { method?: 'GET' | 'POST'; body?: unknown }) => Promise<{ status: number; json: Record<string, unknown> | undefined }>;

export function createJsonFetch(options: HttpOptions = {}): JsonFetch & { close(): Promise<void> } {
  const dispatcher: Dispatcher | undefined = options.proxy ? new ProxyAgent(options.proxy) : undefined;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const f = (async (url, init = {}) => {
    const res = await undiciFetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      const v = JSON.parse(text);
      json = v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }) as JsonFetch & { close(): Promise<void> };
  f.close = async () => {
    await dispatcher?.close();
  };
  return f;
}

/** A URL with secrets (access_token, key) cut out, safe for logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_token|key|corpsecret)=)[^&]*/g, '$1[redacted]');
}
