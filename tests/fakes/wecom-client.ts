/**
 * Plays WeCom's side of the HTTP callbacks: encrypts and signs exactly as WeCom does, with the official
 * @wecom/crypto package (independent of the code under test), and decrypts the passive replies.
 */
import { randomBytes } from 'node:crypto';
import * as wx from '@wecom/crypto';

export interface CallbackKeys {
  token: string;
  aesKey: string;
  /** CorpID for a self-built app, '' for a smart bot. */
  receiveId: string;
}

export interface SignedParams {
  msg_signature: string;
  timestamp: string;
  nonce: string;
}

export function sign(keys: CallbackKeys, encrypt: string, timestamp = String(Math.floor(Date.now() / 1000)), nonce = String(Math.floor(Math.random() * 1e9))): SignedParams {
  return { msg_signature: wx.getSignature(keys.token, timestamp, nonce, encrypt), timestamp, nonce };
}

function query(p: Record<string, string>): string {
  return new URLSearchParams(p).toString();
}

/** GET URL verification; returns status and body. */
export async function verifyUrl(url: string, keys: CallbackKeys, echo = String(Math.floor(Math.random() * 1e18)), over: Partial<SignedParams> = {}) {
  const echostr = wx.encrypt(keys.aesKey, echo, keys.receiveId);
  const p = { ...sign(keys, echostr), ...over, echostr };
  const res = await fetch(`${url}?${query(p)}`);
  return { status: res.status, body: await res.text(), echo, contentType: res.headers.get('content-type') };
}

export interface AppText {
  from: string;
  content: string;
  msgId?: string;
  createTime?: number;
  agentId?: number;
}

export function appTextXml(corpId: string, m: AppText): string {
  return (
    `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[${m.from}]]></FromUserName>` +
    `<CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${m.content}]]></Content><MsgId>${m.msgId ?? BigInt.asUintN(63, BigInt(`0x${randomBytes(8).toString('hex')}`)).toString()}</MsgId>` +
    `<AgentID>${m.agentId ?? 1000002}</AgentID></xml>`
  );
}

export function appEventXml(corpId: string, from: string, event: string, createTime = Math.floor(Date.now() / 1000)): string {
  return (
    `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>` +
    `<EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>`
  );
}

export interface PreparedPost {
  url: string;
  body: string;
  params: SignedParams;
}

/** An encrypted, signed app callback (XML envelope), ready to post — and to post again (a WeCom retry). */
export function prepareAppPost(url: string, keys: CallbackKeys, plainXml: string, over: Partial<SignedParams> = {}): PreparedPost {
  const encrypt = wx.encrypt(keys.aesKey, plainXml, keys.receiveId);
  const params = { ...sign(keys, encrypt), ...over };
  const body = `<xml><ToUserName><![CDATA[${keys.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
  return { url: `${url}?${query(params as unknown as Record<string, string>)}`, body, params };
}

export function prepareBotPost(url: string, keys: CallbackKeys, payload: unknown, over: Partial<SignedParams> = {}): PreparedPost {
  const encrypt = wx.encrypt(keys.aesKey, JSON.stringify(payload), '');
  const params = { ...sign(keys, encrypt), ...over };
  return { url: `${url}?${query(params as unknown as Record<string, string>)}`, body: JSON.stringify({ encrypt }), params };
}

export async function post(p: PreparedPost, contentType = 'text/xml') {
  const res = await fetch(p.url, { method: 'POST', body: p.body, headers: { 'content-type': contentType } });
  return { status: res.status, body: await res.text() };
}

/** Check and open an encrypted XML passive reply from /wecom/app. */
export function openAppReply(keys: CallbackKeys, xml: string): Record<string, string> {
  const field = (name: string, s: string) => new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(s)?.slice(1).find((x) => x !== undefined) ?? '';
  const encrypt = field('Encrypt', xml);
  const sig = wx.getSignature(keys.token, field('TimeStamp', xml), field('Nonce', xml), encrypt);
  if (sig !== field('MsgSignature', xml)) throw new Error('reply signature mismatch');
  const { message, id } = wx.decrypt(keys.aesKey, encrypt);
  if (id !== keys.receiveId) throw new Error(`reply receive id ${id}`);
  const out: Record<string, string> = {};
  for (const name of ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content']) out[name] = field(name, message);
  return out;
}

/** Check and open an encrypted JSON passive reply from /wecom/bot. */
export function openBotReply(keys: CallbackKeys, body: string, nonce: string): any {
  const r = JSON.parse(body) as { encrypt: string; msgsignature: string; timestamp: number; nonce: string };
  if (r.nonce !== nonce) throw new Error('reply nonce must be the callback nonce');
  if (typeof r.timestamp !== 'number') throw new Error('timestamp must be a number');
  if (wx.getSignature(keys.token, String(r.timestamp), r.nonce, r.encrypt) !== r.msgsignature) throw new Error('reply signature mismatch');
  const { message, id } = wx.decrypt(keys.aesKey, r.encrypt);
  if (id !== '') throw new Error('smart bot receive id must be empty');
  return JSON.parse(message);
}
