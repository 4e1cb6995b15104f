/**
 * Smart bot long connection through the official @wecom/aibot-node-sdk (WSClient): subscribe with
 * BotID + Secret, heartbeat, reconnect with exponential backoff (1 s … 30 s, unlimited), one connection
 * per bot. Messages are answered with a finished stream on the callback's req_id; reminders use
 * aibot_send_msg (OutboundChannel 'wecom-bot', only into chats where someone has talked to the bot).
 */
import { randomBytes } from 'node:crypto';
import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import type { Bot } from '../../core/bot.js';
import type { Logger } from '../../core/log.js';
import type { OutboundChannel, SendResult } from '../../core/types.js';
import { splitText } from '../../core/split.js';
import { AIBOT_LIMIT, classifyAibot, type AibotBody } from './bot-inbound.js';
import { HELP_TEXT, type Dedupe } from './callback.js';
import type { WecomBotConfig, WecomBotWsConfig, WecomCommonConfig } from './config.js';
import { markdownWithin } from './format.js';

export interface BotWsOptions {
  config: WecomBotWsConfig;
  bot: WecomBotConfig;
  common: WecomCommonConfig;
  handler: Bot;
  dedupe: Dedupe;
  log: Logger;
  /** Reconnect base delay (default 1000 ms) and heartbeat (default 30 s), lowered by tests. */
  reconnectBaseMs?: number;
  heartbeatMs?: number;
  /** How long start() waits for the subscription to be accepted (default 5 s). */
  startTimeoutMs?: number;
}

export interface BotWs {
  outbound: OutboundChannel;
  start(): Promise<void>;
  stop(): Promise<void>;
  idle(): Promise<void>;
  readonly connected: boolean;
  readonly client: WSClient;
}

const UNSUPPORTED = '目前只能回答文字消息，请直接输入问题。';

function ackError(err: unknown): SendResult {
  const f = err as { errcode?: number; errmsg?: string; message?: string };
  if (typeof f?.errcode === 'number') {
    const error = `企业微信返回 ${f.errcode}：${f.errmsg ?? ''}`;
    if (f.errcode === 45009) return { ok: false, permanent: false, error: `发送太频繁（${error}）`, retryAfterMs: 60_000 };
    return { ok: false, permanent: false, error };
  }
  return { ok: false, permanent: false, error: f?.message ?? String(err), retryAfterMs: 5_000 };
}

export function createBotWs(o: BotWsOptions): BotWs {
  const log = o.log.child({ way: 'wecom-bot-ws' });
  const sdkLog = {
    debug: () => undefined,
    info: (m: string) => log.debug({ sdk: true }, m),
    warn: (m: string) => log.warn({ sdk: true }, m),
    error: (m: string, ...args: unknown[]) => log.error({ sdk: true, detail: args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : '')).join(' ') }, m),
  };
  const client = new WSClient({
    botId: o.config.botId,
    secret: o.config.secret,
    wsUrl: o.config.wsUrl,
    reconnectInterval: o.reconnectBaseMs ?? 1000,
    maxReconnectAttempts: -1,
    maxAuthFailureAttempts: 10,
    heartbeatInterval: o.heartbeatMs ?? 30_000,
    logger: sdkLog,
  });
  const inflight = new Set<Promise<void>>();
  let authenticated = false;
  let stopped = true;

  const track = (p: Promise<void>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  async function answer(frame: WsFrame): Promise<void> {
    const item = classifyAibot(frame.body as AibotBody, o.bot.name, o.common.adminUserIds);
    if (item.kind === 'ignore' || item.kind === 'event') return;
    if (!(await o.dedupe.rememberOnce(`wecom-bot:msg:${item.msgid}`, o.common.dedupeTtlMs))) {
      log.info({ msgid: item.msgid }, '智能机器人重复推送的消息，已忽略');
      return;
    }
    const streamId = randomBytes(12).toString('hex');
    if (item.kind === 'unsupported') {
      await client.replyStream(frame, streamId, UNSUPPORTED, true).catch((err) => log.warn({ err: ackError(err) }, '回复失败'));
      return;
    }
    let text: string;
    try {
      text = (await o.handler.handle(item.message)).text;
    } catch (err) {
      log.error({ err }, 'bot.handle failed');
      text = '抱歉，处理这条消息时出错了，请稍后再试。';
    }
    const parts = splitText(text, AIBOT_LIMIT);
    try {
      await client.replyStream(frame, streamId, parts[0] ?? '', true);
      for (const part of parts.slice(1)) await client.sendMessage(item.message.chatId, { msgtype: 'markdown', markdown: { content: part } });
    } catch (err) {
      log.warn({ chatId: item.message.chatId, error: ackError(err) }, '智能机器人回复失败');
    }
  }

  client.on('message', (frame) => track(answer(frame).catch((err) => log.error({ err }, '处理智能机器人消息失败'))));
  client.on('event.enter_chat', (frame) => {
    track(
      client
        .replyWelcome(frame, { msgtype: 'text', text: { content: HELP_TEXT } })
        .then(() => undefined)
        .catch((err) => log.warn({ error: ackError(err) }, '欢迎语发送失败')),
    );
  });
  client.on('authenticated', () => {
    authenticated = true;
    log.info({ botId: o.config.botId }, '智能机器人长连接已订阅');
  });
  client.on('disconnected', (reason) => {
    authenticated = false;
    if (stopped) return;
    if (/new connection/i.test(String(reason))) {
      log.error('另一个进程用同一个 BotID 建立了长连接，本进程已被踢下线（每个机器人只能有一个长连接）；不再自动重连');
    } else log.warn({ reason }, '智能机器人长连接断开，将自动重连');
  });
  client.on('error', (err: Error) => {
    if ((err as { code?: string }).code === 'WS_AUTH_FAILURE_EXHAUSTED') log.fatal('智能机器人订阅多次失败：请检查 WECOM_BOT_ID / WECOM_BOT_SECRET');
    else log.warn({ err: err.message }, '智能机器人长连接错误');
  });

  const outbound: OutboundChannel = {
    name: 'wecom-bot',
    limit: AIBOT_LIMIT,
    // WeCom allows 30 per minute per conversation, shared with replies: keep headroom.
    perDestinationPerMinute: 20,
    // Only the instance that opened the long connection (the leader, with several instances) sends on it.
    available: () => !stopped,
    async send(chatId, text, extras) {
      if (!client.isConnected || !authenticated) return { ok: false, permanent: false, error: '智能机器人长连接未建立', retryAfterMs: 10_000 };
      // The smart bot mentions in markdown with <@userid>; a mobile number cannot be mentioned, its name is shown.
      const wecom = (extras?.mentions ?? []).filter((m) => m.platform === 'wecom');
      const line = wecom.length ? `\n联络员：${wecom.map((m) => (m.kind === 'userid' ? `<@${m.id}>` : (m.name ?? m.id))).join(' ')}` : '';
      try {
        await client.sendMessage(chatId, { msgtype: 'markdown', markdown: { content: markdownWithin(text, { max: AIBOT_LIMIT.max - Buffer.byteLength(line), measure: 'bytes' }) + line } });
        return { ok: true };
      } catch (err) {
        return ackError(err);
      }
    },
  };

  return {
    outbound,
    client,
    get connected() {
      return authenticated && client.isConnected;
    },
    async start() {
      stopped = false;
      const ready = new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), o.startTimeoutMs ?? 5_000);
        t.unref?.();
        client.once('authenticated', () => {
          clearTimeout(t);
          resolve(true);
        });
      });
      client.connect();
      if (!(await ready)) log.warn({ wsUrl: o.config.wsUrl }, '智能机器人长连接尚未订阅成功，后台继续重试');
    },
    async stop() {
      stopped = true;
      if (client.isConnected || authenticated) client.disconnect();
      else {
        try {
          client.disconnect();
        } catch {
          // not started
        }
      }
      authenticated = false;
      await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 10_000).unref?.())]);
    },
    async idle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
