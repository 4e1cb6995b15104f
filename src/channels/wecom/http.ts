/** fetch for every outgoing WeCom HTTP call: undici with an optional proxy (fixed egress IP) and a timeout. */
import { randomBytes } from 'node:crypto';
import { ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';

export interface HttpOptions {
  proxy?: string;
  timeoutMs?: number;
}

export type JsonFetch = (url: string, init?: { method?: 'GET' | 'POST'; body?: unknown }) => Promise<{ status: number; json: Record<string, unknown> | undefined }>;

/** POST one file as multipart/form-data (WeCom upload_media: field "media" with filename and filelength). */
export type MultipartPost = (url: string, file: { field: string; name: string; bytes: Buffer }) => Promise<{ status: number; json: Record<string, unknown> | undefined }>;

/** The multipart body WeCom's documentation shows, with its filelength parameter. */
export function multipartBody(file: { field: string; name: string; bytes: Buffer }, boundary: string): Buffer {
  const safeName = file.name.replace(/["\r\n]/g, '_');
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${file.field}"; filename="${safeName}"; filelength=${file.bytes.length}\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'utf8'), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
}

async function parseJson(res: { status: number; text(): Promise<string> }): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const text = await res.text();
  try {
    const v = JSON.parse(text);
    return { status: res.status, json: v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined };
  } catch {
    return { status: res.status, json: undefined };
  }
}

export function createJsonFetch(options: HttpOptions = {}): JsonFetch & { close(): Promise<void>; multipart: MultipartPost } {
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
    return parseJson(res);
  }) as JsonFetch & { close(): Promise<void>; multipart: MultipartPost };
  f.multipart = async (url, file) => {
    const boundary = `----duban${randomBytes(12).toString('hex')}`;
    const res = await undiciFetch(url, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipartBody(file, boundary),
      dispatcher,
      signal: AbortSignal.timeout(Math.max(timeoutMs, 60_000)),
    });
    return parseJson(res);
  };
  f.close = async () => {
    await dispatcher?.close();
  };
  return f;
}

/** A URL with secrets (access_token, key) cut out, safe for logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_token|key|corpsecret)=)[^&]*/g, '$1[redacted]');
}
