import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update, UserFromGetMe, Message as TgMessage, ChatMemberUpdated } from 'telegraf/types';
import type { Bot } from '../../core/bot.js';
import type { ChannelName, OutboundChannel, SendResult } from '../../core/types.js';
import { log as rootLog, type Logger } from '../../core/log.js';
import { readTelegramConfig, type TelegramConfig } from './config.js';
import { ConfigError, type Env } from '../../core/env.js';
import { menuFor } from '../../core/commands.js';
import { toHtmlMessages } from './format.js';
import { toInbound, type Inbound } from './inbound.js';
import { createTelegramOutbound, sendHtml } from './outbound.js';

export { readTelegramConfig, type TelegramConfig } from './config.js';
export { createTelegramOutbound, toSendFailure, sendText } from './outbound.js';
export { COMMANDS, commandToText, menuFor } from '../../core/commands.js';
export { toInbound } from './inbound.js';
export { escapeHtml, toHtmlMessages } from './format.js';

/** What the adapter needs from the state store (StateStore satisfies it). */
export interface TelegramStore {
  rememberOnce(key: string, ttlMs: number): Promise<boolean>;
  migrateChat(channel: ChannelName, oldChatId: string, newChatId: string): Promise<void>;
  setBindingActive(channel: ChannelName, chatId: string, active: boolean, reason: string): Promise<void>;
  bindingFor(channel: ChannelName, chatId: string): { active: boolean } | undefined;
}

export interface CreateTelegramOptions {
  config: TelegramConfig;
  bot: Bot;
  /** Durable dedupe and chat bookkeeping; without it, update ids are remembered in memory only. */
  store?: TelegramStore;
  log?: Logger;
  /** Longest wait on a 429 before retrying a reply (default 60 s). */
  maxRetryWaitMs?: number;
  /** Send "typing…" when an answer takes longer than this (default 1500 ms). */
  typingAfterMs?: number;
  /** Pending questions kept per chat; more are dropped with a log line (default 20). */
  maxQueuePerChat?: number;
  /** Retry interval when Telegram cannot be reached at start-up (default 30 s). */
  reconnectMs?: number;
  /** Stop waiting for bot.handle after this long and tell the user (default 120 s); the chat's queue moves on. */
  answerTimeoutMs?: number;
}

export interface TelegramChannel {
  /** Webhook mode only: mount with app.use(webhookPath, router) (it also answers when mounted at '/'). */
  router?: Router;
  webhookPath?: string;
  /** Webhook mode only: { path, router } ready for createApp's `mounts`. */
  mount?: { path: string; router: Router };
  mode: 'polling' | 'webhook';
  /** For the reminders outbox: name 'telegram', 20 per destination per minute. */
  outbound: OutboundChannel;
  /**
   * getMe, registers commands, starts polling / sets the webhook. Rejects only for a token Telegram refuses
   * (ConfigError TELEGRAM_BOT_TOKEN); if Telegram is unreachable it logs and keeps retrying in the background.
   */
  start(): Promise<void>;
  /** Stops polling (or refuses further webhook posts with 503) and waits for answers in flight. */
  stop(): Promise<void>;
  /** Resolves when no answer is pending (tests). */
  idle(): Promise<void>;
  /** The bot's own account, after start(). */
  readonly me: UserFromGetMe | undefined;
  /** The underlying telegraf instance (advanced use; prefer the methods above). */
  readonly telegraf: Telegraf;
}

const ALLOWED_UPDATES = ['message', 'my_chat_member'] as const;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/** Serialises work per chat so one slow answer never delays another chat. */
class ChatQueues {
  private tails = new Map<string, { tail: Promise<void>; size: number }>();
  constructor(private readonly max: number) {}

  push(chatId: string, job: () => Promise<void>): boolean {
    const q = this.tails.get(chatId) ?? { tail: Promise.resolve(), size: 0 };
    if (q.size >= this.max) return false;
    q.size++;
    q.tail = q.tail.then(job).catch(() => undefined).finally(() => {
      q.size--;
      if (q.size === 0 && this.tails.get(chatId) === q) this.tails.delete(chatId);
    });
    this.tails.set(chatId, q);
    return true;
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()].map((q) => q.tail));
  }
}

/** In-memory fallback for rememberOnce when no store is given (does not survive a restart). */
function memoryDedupe(): TelegramStore['rememberOnce'] {
  const seen = new Map<string, number>();
  return async (key, ttlMs) => {
    const now = Date.now();
    if ((seen.get(key) ?? 0) > now) return false;
    if (seen.size > 10_000) for (const [k, exp] of seen) if (exp <= now) seen.delete(k);
    seen.set(key, now + ttlMs);
    return true;
  };
}

function secretMatches(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function privacyModeMeaning(me: Pick<UserFromGetMe, 'username' | 'can_read_all_group_messages'>): string {
  return me.can_read_all_group_messages
    ? `@${me.username} 的隐私模式已关闭（或为群管理员）：能看到群里所有消息，会回应 @${me.username} 提及、回复和命令`
    : `@${me.username} 的隐私模式开启：群里只会收到 /命令@${me.username}、回复机器人的消息（@提及不保证收到）；` +
        '如需在群里直接 @ 提问，请在 BotFather 用 /setprivacy 关闭隐私模式后把机器人移出再加回群，或把机器人设为群管理员';
}

/**
 * The Telegram adapter: telegraf client, long polling or a webhook router, durable update dedupe,
 * per-chat answer queues, and the 'telegram' OutboundChannel for reminders.
 */
export function createTelegram(options: CreateTelegramOptions): TelegramChannel {
  const { config, bot, store } = options;
  const log = (options.log ?? rootLog).child({ channel: 'telegram' });
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
  const typingAfterMs = options.typingAfterMs ?? 1500;
  const answerTimeoutMs = options.answerTimeoutMs ?? 120_000;
  const reconnectMs = options.reconnectMs ?? 30_000;
  const telegraf = new Telegraf(config.token, {
    telegram: { apiRoot: config.apiRoot, webhookReply: false },
  });
  const telegram = telegraf.telegram;
  const queues = new ChatQueues(options.maxQueuePerChat ?? 20);
  const rememberOnce = store ? store.rememberOnce.bind(store) : memoryDedupe();
  let me: UserFromGetMe | undefined;
  let launched: Promise<void> | undefined;
  let stopping = false;
  const mode: 'polling' | 'webhook' = config.webhook ? 'webhook' : 'polling';

  if (!store) log.warn('Telegram 未接入状态存储：已处理的更新只记在内存里，重启后可能重复回答');

  /** Deliver a reply: each part is retried after a 429 and follows a group → supergroup migration. */
  async function deliver(chatId: string, text: string, replyTo: number): Promise<void> {
    let target = chatId;
    const parts = toHtmlMessages(text);
    for (let i = 0; i < parts.length; i++) {
      let attempts = 0;
      for (;;) {
        attempts++;
        const r: SendResult = await sendHtml(telegram, target, parts[i], { replyTo: i === 0 ? replyTo : undefined });
        if (r.ok) break;
        if (r.migrateToChatId && attempts <= 3) {
          log.info({ from: target, to: r.migrateToChatId }, '群已升级为超级群，改发到新群 ID');
          await store?.migrateChat('telegram', target, r.migrateToChatId).catch((err) => log.error({ err }, 'migrateChat failed'));
          target = r.migrateToChatId;
          continue;
        }
        if (!r.permanent && r.retryAfterMs !== undefined && attempts <= 3 && !stopping) {
          const wait = Math.min(r.retryAfterMs, maxRetryWaitMs);
          log.warn({ chatId: target, waitMs: wait, error: r.error }, '发送回复受限，等待后重试');
          await sleep(wait);
          continue;
        }
        if (!r.permanent && r.retryAfterMs === undefined && attempts <= 2 && !stopping) {
          // Network error or 5xx: one more try after a second.
          await sleep(1000);
          continue;
        }
        log.error({ chatId: target, error: r.error, permanent: r.permanent }, '回复发送失败');
        return;
      }
    }
  }

  async function answer(item: Extract<Inbound, { kind: 'message' }>): Promise<void> {
    const { message, replyTo } = item;
    const typing = setTimeout(() => {
      telegram.sendChatAction(message.chatId, 'typing').catch(() => undefined);
    }, typingAfterMs);
    typing.unref?.();
    let text: string;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('answer timeout')), answerTimeoutMs);
      });
      const reply = await Promise.race([bot.handle(message), timeout]);
      text = reply.text;
    } catch (err) {
      log.error({ err, chatId: message.chatId }, 'bot.handle failed or timed out');
      text = '抱歉，处理这条消息时出错或超时了，请稍后再试。';
    } finally {
      clearTimeout(typing);
      clearTimeout(timer);
    }
    if (text.trim()) await deliver(message.chatId, text, replyTo);
  }

  async function onChatMember(u: ChatMemberUpdated): Promise<void> {
    if (u.new_chat_member.user.id !== me?.id) return;
    const chatId = String(u.chat.id);
    const status = u.new_chat_member.status;
    const title = 'title' in u.chat ? u.chat.title : undefined;
    if (status === 'left' || status === 'kicked') {
      log.warn({ chatId, title, by: u.from.id }, '机器人被移出群');
      if (store?.bindingFor('telegram', chatId)) await store.setBindingActive('telegram', chatId, false, '机器人被移出群');
    } else if (status === 'member' || status === 'administrator') {
      log.info({ chatId, title, status }, '机器人加入群或权限变化；在群里发送 /bind 部门 完成绑定');
      const b = store?.bindingFor('telegram', chatId);
      if (b && !b.active) await store!.setBindingActive('telegram', chatId, true, '机器人重新加入群');
    }
  }

  /** Classify, dedupe durably (before any side effect), then act. Throws only if the dedupe write fails. */
  async function ingest(update: Update): Promise<void> {
    if (!me) me = telegraf.botInfo ?? (await telegram.getMe());
    const key = `telegram:update:${update.update_id}`;
    if ('my_chat_member' in update) {
      if (!(await rememberOnce(key, config.dedupeTtlMs))) return;
      await onChatMember(update.my_chat_member);
      return;
    }
    if (!('message' in update)) return;
    const msg: TgMessage = update.message;
    if ('migrate_to_chat_id' in msg) {
      if (!(await rememberOnce(key, config.dedupeTtlMs))) return;
      log.info({ from: msg.chat.id, to: msg.migrate_to_chat_id }, '群已升级为超级群，迁移绑定');
      await store?.migrateChat('telegram', String(msg.chat.id), String(msg.migrate_to_chat_id));
      return;
    }
    if ('migrate_from_chat_id' in msg) {
      const old = String(msg.migrate_from_chat_id);
      if (store?.bindingFor('telegram', old) && (await rememberOnce(key, config.dedupeTtlMs))) {
        await store.migrateChat('telegram', old, String(msg.chat.id));
      }
      return;
    }
    const item = toInbound(msg, { me, adminIds: config.adminIds });
    if (item.kind === 'ignore') return;
    if (!(await rememberOnce(key, config.dedupeTtlMs))) {
      log.info({ updateId: update.update_id }, '重复投递的更新，已忽略');
      return;
    }
    const accepted = queues.push(item.kind === 'message' ? item.message.chatId : item.chatId, () =>
      item.kind === 'message' ? answer(item) : deliver(item.chatId, item.text, item.replyTo),
    );
    if (!accepted) log.warn({ updateId: update.update_id, chatId: msg.chat.id }, '该聊天待处理的问题过多，丢弃本条');
  }

  telegraf.use(async (ctx) => ingest(ctx.update));
  telegraf.catch((err, ctx) => {
    // Never rethrow: with telegraf's default handler one failure would stop polling.
    log.error({ err, updateId: ctx.update.update_id }, '处理 Telegram 更新失败');
  });

  async function connect(): Promise<void> {
    me = await telegram.getMe();
    telegraf.botInfo = me;
    log.info({ username: me.username, mode, canReadAllGroupMessages: me.can_read_all_group_messages }, privacyModeMeaning(me));

    if (config.registerCommands) {
      const scopes = [
        { scope: { type: 'default' as const }, list: menuFor('group') },
        { scope: { type: 'all_private_chats' as const }, list: menuFor('private') },
        { scope: { type: 'all_group_chats' as const }, list: menuFor('group') },
        { scope: { type: 'all_chat_administrators' as const }, list: menuFor('admin') },
      ];
      for (const s of scopes) {
        await telegram.setMyCommands(s.list, { scope: s.scope }).catch((err) => log.warn({ err, scope: s.scope.type }, 'setMyCommands 失败（不影响使用）'));
      }
    }

    if (config.webhook) {
      await telegram.setWebhook(config.webhook.url, {
        secret_token: config.webhook.secret,
        allowed_updates: [...ALLOWED_UPDATES],
        drop_pending_updates: false,
      });
      log.info({ url: config.webhook.url, path: config.webhook.path }, 'Telegram Webhook 已设置');
      return;
    }
    if (stopping) return;
    // launch() only resolves when polling stops: keep the promise, never await it here.
    launched = telegraf.launch({ allowedUpdates: [...ALLOWED_UPDATES], dropPendingUpdates: false }).catch((err: unknown) => {
      const code = (err as { code?: number }).code;
      if (code === 409) log.fatal({ err }, '另一个进程正在用同一令牌轮询（或设置了 Webhook），本进程停止接收 Telegram 消息');
      else if (code === 401) log.fatal({ err }, 'TELEGRAM_BOT_TOKEN 无效或已被撤销');
      else log.error({ err }, 'Telegram 长轮询意外停止');
    });
    log.info('Telegram 长轮询已启动');
  }

  let reconnectTimer: NodeJS.Timeout | undefined;
  function reconnectLater(): void {
    if (stopping) return;
    reconnectTimer = setTimeout(() => {
      if (stopping) return;
      connect().then(
        () => log.info('已连接 Telegram'),
        (err) => {
          log.error({ err, retryInMs: reconnectMs }, '连接 Telegram 仍然失败，稍后重试');
          reconnectLater();
        },
      );
    }, reconnectMs);
    reconnectTimer.unref?.();
  }

  let router: Router | undefined;
  if (config.webhook) {
    const hook = config.webhook;
    router = express.Router();
    router.post(['/', hook.path], express.json({ limit: '1mb', type: () => true }), async (req, res) => {
      if (!secretMatches(req.get('x-telegram-bot-api-secret-token'), hook.secret)) {
        log.warn({ ip: req.ip }, 'Webhook 密钥不符，已拒绝');
        res.status(403).end();
        return;
      }
      if (stopping) {
        // Telegram retries non-2xx: the next instance answers it.
        res.status(503).end();
        return;
      }
      const update = req.body as Update;
      if (typeof update?.update_id !== 'number') {
        res.status(400).end();
        return;
      }
      try {
        await ingest(update);
        res.status(200).end();
      } catch (err) {
        log.error({ err, updateId: update.update_id }, '处理 Webhook 更新失败，Telegram 将重发');
        res.status(500).end();
      }
    });
  }

  return {
    router,
    webhookPath: config.webhook?.path,
    mount: router && config.webhook ? { path: config.webhook.path, router } : undefined,
    mode,
    outbound: createTelegramOutbound(telegram),
    telegraf,
    get me() {
      return me;
    },
    idle: () => queues.idle(),

    async start() {
      stopping = false;
      try {
        await connect();
      } catch (err) {
        if (err instanceof TelegramError && err.code === 401) {
          throw new ConfigError('TELEGRAM_BOT_TOKEN', 'Telegram 拒绝了这个令牌（401 Unauthorized），请检查是否已在 BotFather 重新生成');
        }
        // Telegram unreachable at boot: the rest of the server runs; keep trying in the background.
        log.error({ err, retryInMs: reconnectMs }, '连接 Telegram 失败，稍后重试');
        reconnectLater();
      }
    },

    async stop() {
      stopping = true;
      clearTimeout(reconnectTimer);
      if (launched) {
        const ended = launched.then(() => true);
        for (;;) {
          try {
            telegraf.stop('shutdown');
            break;
          } catch {
            // launch() creates its poller only after getMe and deleteWebhook: stopped before that, it
            // would start polling afterwards and never end. Try again until it polls or has ended.
          }
          if (await Promise.race([ended, sleep(20).then(() => false)])) break;
        }
        await launched;
        launched = undefined;
      }
      await Promise.race([queues.idle(), sleep(15_000)]);
    },
  };
}

/**
 * Read the TELEGRAM_* variables and build the channel, or undefined when TELEGRAM_BOT_TOKEN is unset.
 * Throws ConfigError (naming the variable) for a bad value, before anything is started.
 */
export function telegramFromEnv(env: Env, deps: Omit<CreateTelegramOptions, 'config'>): TelegramChannel | undefined {
  const config = readTelegramConfig(env);
  return config ? createTelegram({ ...deps, config }) : undefined;
}
