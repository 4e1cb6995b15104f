/**
 * A fake WeCom on 127.0.0.1: real HTTP with real errcodes for gettoken / message/send / webhook/send,
 * and the smart-bot long-connection WebSocket speaking the aibot frame protocol
 * ({cmd, headers:{req_id}, body} in, {headers:{req_id}, errcode, errmsg} acks out).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { boundaryOf, parseMultipart } from './multipart.js';

export interface FakeWecomOptions {
  corpId?: string;
  corpSecret?: string;
  /** Token lifetime in seconds (WeCom: 7200). */
  expiresIn?: number;
  webhookKeys?: string[];
  /** Webhook robot: this many per window per key, then 45009. */
  webhookPerWindow?: number;
  webhookWindowMs?: number;
  bots?: Array<{ botId: string; secret: string }>;
  /** How long an uploaded media_id stays valid (WeCom: 3 days). */
  mediaTtlMs?: number;
}

/** A file accepted by webhook/upload_media. */
export interface Upload {
  key: string;
  mediaId: string;
  filename: string;
  /** The filelength the client declared. */
  filelength?: number;
  bytes: Buffer;
  at: number;
}

export interface Recorded {
  at: number;
  body: Record<string, any>;
}

export interface WsFrameIn {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, any>;
}

interface BotConn {
  ws: WebSocket;
  botId?: string;
  authed: boolean;
}

export interface FakeWecom {
  url: string;
  wsUrl: string;
  corpId: string;
  corpSecret: string;
  /** gettoken calls (with the token issued). */
  tokenCalls: number;
  messages: Recorded[];
  /** webhook/send accepted, per key. */
  webhook: Map<string, Recorded[]>;
  /** webhook/send answered 45009. */
  webhookRejected: number;
  /**
   * true: webhook/send messages are accepted (recorded, as the group would show them) but not answered
   * until `releaseWebhookAnswers()`: a platform that received the message while its answer is still on the way.
   */
  holdWebhookAnswers: boolean;
  /** Accepted webhook/send calls whose answer is being held. */
  heldWebhookAnswers: number;
  /** Answer the held webhook/send calls (to clients still connected) and stop holding. */
  releaseWebhookAnswers(): void;
  /** Files uploaded with webhook/upload_media. */
  uploads: Upload[];
  /** Every webhook/send and upload_media answered with an error: [path, errcode]. */
  webhookErrors: Array<{ path: string; errcode: number }>;
  /** Make the media ids issued so far expire (a send with them answers 40007). */
  expireMedia(): void;
  /** Every frame the bot client sent (except pings). */
  frames: WsFrameIn[];
  pings: number;
  subscribes: number;
  /** Answer the next gettoken calls with this errcode. */
  failGettoken(errcode: number, times?: number): void;
  /** Server-side token expiry: calls with the current tokens answer 42001 (or 40014). */
  expireTokens(code?: 42001 | 40014): void;
  /** Next message/send answers this errcode once. */
  failNextSend(errcode: number): void;
  /** Push an aibot_msg_callback; returns its req_id. */
  pushMessage(m: { botId?: string; chattype: 'single' | 'group'; chatid?: string; userid: string; text: string; msgid?: string }): string;
  pushEvent(m: { botId?: string; eventtype: string; userid: string }): string;
  /** Resolve with the first reply frame for req_id (aibot_respond_msg / welcome). */
  waitForReply(reqId: string, timeoutMs?: number): Promise<WsFrameIn>;
  waitFor<T>(pred: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Drop every bot connection (the client should reconnect). */
  dropConnections(): void;
  connections(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeWecom(o: FakeWecomOptions = {}): Promise<FakeWecom> {
  const corpId = o.corpId ?? 'wwfake0000corp01';
  const corpSecret = o.corpSecret ?? 'fake-app-secret-0123456789';
  const validKeys = new Set(o.webhookKeys ?? []);
  const perWindow = o.webhookPerWindow ?? 20;
  const windowMs = o.webhookWindowMs ?? 60_000;
  const bots = new Map((o.bots ?? []).map((b) => [b.botId, b.secret]));
  const tokens = new Map<string, { expires: number }>();
  let gettokenFail: { errcode: number; times: number } | undefined;
  let sendFail: number | undefined;
  let tokenInvalid: 42001 | 40014 | undefined;
  const conns = new Set<BotConn>();
  const media = new Map<string, { key: string; expires: number }>();
  const mediaTtlMs = o.mediaTtlMs ?? 3 * 86_400_000;
  const usedChats = new Set<string>();
  const waiters = new Set<() => void>();
  const held: Array<() => void> = [];
  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const fake: FakeWecom = {
    url: '',
    wsUrl: '',
    corpId,
    corpSecret,
    tokenCalls: 0,
    messages: [],
    webhook: new Map(),
    webhookRejected: 0,
    holdWebhookAnswers: false,
    get heldWebhookAnswers() {
      return held.length;
    },
    releaseWebhookAnswers() {
      fake.holdWebhookAnswers = false;
      for (const answer of held.splice(0)) answer();
    },
    uploads: [],
    webhookErrors: [],
    expireMedia() {
      for (const m of media.values()) m.expires = 0;
    },
    frames: [],
    pings: 0,
    subscribes: 0,
    failGettoken(errcode, times = 1) {
      gettokenFail = { errcode, times };
    },
    expireTokens(code = 42001) {
      tokenInvalid = code;
      for (const t of tokens.values()) t.expires = 0;
    },
    failNextSend(errcode) {
      sendFail = errcode;
    },
    pushMessage(m) {
      const req_id = `req_${randomBytes(6).toString('hex')}`;
      const conn = [...conns].find((c) => c.authed && (!m.botId || c.botId === m.botId));
      if (!conn) throw new Error('no authenticated bot connection');
      usedChats.add(m.chattype === 'group' ? m.chatid! : m.userid);
      const body: Record<string, unknown> = {
        msgid: m.msgid ?? randomBytes(8).toString('hex'),
        aibotid: conn.botId,
        chattype: m.chattype,
        from: { userid: m.userid },
        msgtype: 'text',
        text: { content: m.text },
      };
      if (m.chattype === 'group') body.chatid = m.chatid;
      conn.ws.send(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id }, body }));
      return req_id;
    },
    pushEvent(m) {
      const req_id = `req_${randomBytes(6).toString('hex')}`;
      const conn = [...conns].find((c) => c.authed && (!m.botId || c.botId === m.botId));
      if (!conn) throw new Error('no authenticated bot connection');
      usedChats.add(m.userid);
      conn.ws.send(JSON.stringify({
        cmd: 'aibot_event_callback',
        headers: { req_id },
        body: { msgid: randomBytes(8).toString('hex'), aibotid: conn.botId, chattype: 'single', from: { userid: m.userid }, create_time: Math.floor(Date.now() / 1000), msgtype: 'event', event: { eventtype: m.eventtype } },
      }));
      return req_id;
    },
    waitForReply(reqId, timeoutMs) {
      return fake.waitFor(() => fake.frames.find((f) => f.headers.req_id === reqId && f.cmd !== 'aibot_send_msg'), timeoutMs);
    },
    waitFor(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const v = pred();
          if (v) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(v);
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('waitFor timed out'));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    dropConnections() {
      for (const c of conns) c.ws.terminate();
    },
    connections: () => [...conns].filter((c) => c.authed).length,
    async close() {
      for (const c of conns) c.ws.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  };

  const tokenError = (token: string | null): { errcode: number; errmsg: string } | undefined => {
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    const t = tokens.get(token);
    if (!t) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (t.expires <= Date.now()) return { errcode: tokenInvalid ?? 42001, errmsg: tokenInvalid === 40014 ? 'invalid access_token' : 'access_token expired' };
    return undefined;
  };

  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    const boundary = boundaryOf(req.headers['content-type']);
    const body = boundary ? '' : raw.toString('utf8');
    let parsed: Record<string, any> = {};
    if (body) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return json(res, { errcode: 47001, errmsg: 'data format error' });
      }
    }
    if (u.pathname === '/cgi-bin/gettoken') {
      fake.tokenCalls++;
      if (gettokenFail && gettokenFail.times > 0) {
        gettokenFail.times--;
        return json(res, { errcode: gettokenFail.errcode, errmsg: 'fake failure' });
      }
      if (u.searchParams.get('corpid') !== corpId) return json(res, { errcode: 40013, errmsg: 'invalid corpid' });
      if (u.searchParams.get('corpsecret') !== corpSecret) return json(res, { errcode: 40001, errmsg: 'invalid credential' });
      const token = randomBytes(24).toString('base64url');
      const expiresIn = o.expiresIn ?? 7200;
      tokens.set(token, { expires: Date.now() + expiresIn * 1000 });
      tokenInvalid = undefined;
      return json(res, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: expiresIn });
    }
    if (u.pathname === '/cgi-bin/message/send') {
      const err = tokenError(u.searchParams.get('access_token'));
      if (err) return json(res, err);
      if (sendFail !== undefined) {
        const code = sendFail;
        sendFail = undefined;
        return json(res, { errcode: code, errmsg: 'fake failure' });
      }
      if (!parsed.touser || !parsed.agentid || !parsed.msgtype) return json(res, { errcode: 40003, errmsg: 'invalid userid' });
      fake.messages.push({ at: Date.now(), body: parsed });
      notify();
      return json(res, { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: randomBytes(8).toString('hex') });
    }
    if (u.pathname === '/cgi-bin/webhook/upload_media' || u.pathname === '/cgi-bin/webhook/send') {
      const key = u.searchParams.get('key') ?? '';
      const fail = (errcode: number, errmsg: string) => {
        fake.webhookErrors.push({ path: u.pathname, errcode });
        notify();
        return json(res, { errcode, errmsg });
      };
      if (!validKeys.has(key)) return fail(93000, 'invalid webhook url');
      if (u.pathname === '/cgi-bin/webhook/upload_media') {
        const type = u.searchParams.get('type');
        if (type !== 'file' && type !== 'voice') return fail(40004, 'invalid media type');
        if (!boundary) return fail(44001, 'empty media data (fake: not multipart/form-data)');
        let parts;
        try {
          parts = parseMultipart(raw, boundary);
        } catch (err) {
          return fail(44001, `empty media data (fake: ${(err as Error).message})`);
        }
        const file = parts.find((p) => p.name === 'media' && p.filename !== undefined);
        if (!file) return fail(44001, 'empty media data (fake: no "media" part with a filename)');
        if (file.data.length < 5 || file.data.length > 20 * 1024 * 1024) return fail(40006, 'invalid file size');
        const declared = file.params.filelength === undefined ? undefined : Number(file.params.filelength);
        if (declared !== undefined && declared !== file.data.length) return fail(40006, 'invalid file size (filelength does not match)');
        const mediaId = `3${randomBytes(20).toString('base64url')}`;
        media.set(mediaId, { key, expires: Date.now() + mediaTtlMs });
        fake.uploads.push({ key, mediaId, filename: file.filename!, filelength: declared, bytes: file.data, at: Date.now() });
        notify();
        return json(res, { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) });
      }
      const list = fake.webhook.get(key) ?? [];
      const now = Date.now();
      if (list.filter((r) => now - r.at < windowMs).length >= perWindow) {
        fake.webhookRejected++;
        return json(res, { errcode: 45009, errmsg: 'api freq out of limit' });
      }
      if (parsed.msgtype === 'file') {
        const m = media.get(String(parsed.file?.media_id ?? ''));
        // A media_id serves only the robot that uploaded it, for 3 days.
        if (!m || m.key !== key || m.expires <= now) return fail(40007, 'invalid media_id');
      } else if (parsed.msgtype === 'text') {
        const t = parsed.text ?? {};
        if (typeof t.content !== 'string') return fail(40008, 'invalid message type');
        if (Buffer.byteLength(t.content) > 2048) return fail(40058, 'text.content exceed max length 2048');
        for (const f of ['mentioned_list', 'mentioned_mobile_list']) {
          const v = t[f];
          if (v === undefined) continue;
          if (!Array.isArray(v) || v.some((x: unknown) => typeof x !== 'string' || !x)) return fail(40058, `invalid ${f}`);
          if (f === 'mentioned_mobile_list' && v.some((x: string) => x !== '@all' && !/^1\d{10}$/.test(x))) return fail(40058, 'invalid mentioned_mobile_list');
        }
      } else if (parsed.msgtype === 'markdown') {
        const content = parsed.markdown?.content;
        if (typeof content !== 'string') return fail(40008, 'invalid message type');
        if (Buffer.byteLength(content) > 4096) return fail(40058, 'markdown.content exceed max length 4096');
      } else return fail(40008, 'invalid message type');
      list.push({ at: now, body: parsed });
      fake.webhook.set(key, list);
      if (fake.holdWebhookAnswers) {
        held.push(() => json(res, { errcode: 0, errmsg: 'ok' }));
        return notify();
      }
      notify();
      return json(res, { errcode: 0, errmsg: 'ok' });
    }
    res.writeHead(404).end();
  });

  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    const conn: BotConn = { ws, authed: false };
    conns.add(conn);
    const ack = (req_id: string, errcode = 0, errmsg = 'ok', body?: unknown) => ws.send(JSON.stringify({ headers: { req_id }, errcode, errmsg, ...(body ? { body } : {}) }));
    ws.on('close', () => {
      conns.delete(conn);
      notify();
    });
    ws.on('message', (data) => {
      let f: WsFrameIn;
      try {
        f = JSON.parse(String(data));
      } catch {
        return;
      }
      const reqId = f.headers?.req_id ?? '';
      if (f.cmd === 'ping') {
        fake.pings++;
        ack(reqId);
        notify();
        return;
      }
      if (f.cmd === 'aibot_subscribe') {
        fake.subscribes++;
        const secret = bots.get(String(f.body?.bot_id));
        if (!secret || secret !== f.body?.secret) return ack(reqId, 40001, 'invalid bot_id or secret');
        // One live connection per bot: the old one is told and dropped.
        for (const other of conns) {
          if (other !== conn && other.authed && other.botId === f.body?.bot_id) {
            other.ws.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: `evt_${randomBytes(4).toString('hex')}` }, body: { msgid: randomBytes(4).toString('hex'), msgtype: 'event', event: { eventtype: 'disconnected_event' } } }));
            other.authed = false;
            setTimeout(() => other.ws.close(), 20);
          }
        }
        conn.authed = true;
        conn.botId = String(f.body?.bot_id);
        ack(reqId);
        notify();
        return;
      }
      if (!conn.authed) return ack(reqId, 40001, 'not subscribed');
      fake.frames.push(f);
      if (f.cmd === 'aibot_send_msg') {
        const chatid = String(f.body?.chatid ?? '');
        if (!usedChats.has(chatid)) {
          ack(reqId, 40003, 'chat not found (fake: nobody has talked to the bot here)');
          notify();
          return;
        }
      }
      ack(reqId);
      notify();
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.wsUrl = `ws://127.0.0.1:${port}`;
  return fake;
}
