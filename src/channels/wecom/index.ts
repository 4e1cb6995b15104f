/**
 * WeCom (企业微信 / 政务微信) wiring: smart bot (long connection and/or JSON callback), self-built app
 * callback and API client, group robot webhooks for reminders.
 *
 *   const wecom = wecomFromEnv(process.env, { bot, store, log });
 *   if (wecom) { mounts.push(wecom.mount); outbound.push(...wecom.outbound); await wecom.start(); … await wecom.stop(); }
 */
import express, { type Router } from 'express';
import type { Bot } from '../../core/bot.js';
import { ConfigError, type Env } from '../../core/env.js';
import { log as rootLog, type Logger } from '../../core/log.js';
import type { ChannelName, OutboundChannel } from '../../core/types.js';
import { WecomApi } from './api.js';
import { createAppRouter, APP_LIMIT, type DeliverLater } from './app.js';
import { splitText } from '../../core/split.js';
import { createBotWebhookRouter } from './bot-webhook.js';
import { createBotWs, type BotWs } from './bot-ws.js';
import { memoryDedupe, type Dedupe } from './callback.js';
import { readWecomConfig, type WebhookBinding, type WecomConfig } from './config.js';
import { createJsonFetch } from './http.js';
import { createWebhookChannel, type WebhookChannel } from './webhook.js';
import { HookFile, createHookCommands, type HookKeys } from './hooks.js';

export { readWecomConfig, parseWebhookBindings, webhookChatId, type WecomConfig } from './config.js';
export { HookFile, HOOKS_FILE, StateHookKeys, type HookKeys } from './hooks.js';
export { WecomCrypt, signature, decodeAesKey } from './crypto.js';
export { WecomApi, toSendResult } from './api.js';
export type { DeliverLater } from './app.js';
export { stripMention, toMarkdown } from './format.js';
export { memoryDedupe, type Dedupe } from './callback.js';

/** What the adapter needs from the state store (StateStore satisfies it). */
export interface WecomStore extends Dedupe {
  bindingFor(channel: ChannelName, chatId: string): { active: boolean; department?: string; role: string; inactiveReason?: string } | undefined;
  bind(b: { channel: ChannelName; chatId: string; department?: string; role: 'department' | 'coordinator'; title?: string }, by: { channel: 'cli'; name: string }): Promise<void>;
  bindings?(): Array<{ channel: ChannelName; chatId: string; active: boolean }>;
  unbind?(channel: ChannelName, chatId: string, by: { channel: ChannelName | 'cli'; name?: string }): Promise<boolean>;
  setBindingActive?(channel: ChannelName, chatId: string, active: boolean, reason: string): Promise<void>;
}

export interface CreateWecomOptions {
  config: WecomConfig;
  bot: Bot;
  /** Durable dedupe and the configured webhook bindings; without it, callback ids are remembered in memory only. */
  store?: WecomStore;
  log?: Logger;
  /**
   * Where webhook keys added by the coordinator with "/hook 部门 地址" are kept (JSON, mode 0600),
   * e.g. path.join(DATA_DIR, 'wecom-webhooks.json'). Without it such keys last until restart.
   */
  hooksFile?: string;
  /** Where those keys are kept instead of `hooksFile` (several instances: the shared state, StateHookKeys). */
  hookKeys?: HookKeys;
  /**
   * Sends what a passive reply cannot carry (the parts of a long answer past 2,048 bytes, a late answer) through the
   * durable outbox, with retries (the server passes the reminder service's deliver). Without it they are sent once, directly.
   */
  deliverLater?: DeliverLater;
  /** false: start() leaves the smart-bot long connection closed; the caller opens it (`botWs.start()`) on the leader instance. */
  longConnectionAtStart?: boolean;
  /** Tests: lower the long connection's reconnect delay / heartbeat. */
  ws?: { reconnectBaseMs?: number; heartbeatMs?: number; startTimeoutMs?: number };
  now?: () => number;
}

export interface Wecom {
  /** Mounts /wecom/app and /wecom/bot (whichever are enabled); use app.use(router) or createApp's mounts. */
  router: Router;
  /** { path: '/', router } for createApp's `mounts`. */
  mount: { path: string; router: Router };
  /** 'wecom-webhook', 'wecom-bot' (long connection only), 'wecom-app' — whichever are enabled. */
  outbound: OutboundChannel[];
  /** Registers the configured webhook bindings in the store and opens the long connection. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no answer or background send is pending (tests). */
  idle(): Promise<void>;
  readonly config: WecomConfig;
  readonly api?: WecomApi;
  readonly webhook: WebhookChannel;
  readonly botWs?: BotWs;
}

/** Without an outbox: each part once, in order, stopping at the first failure (logged). */
async function sendOnce(api: WecomApi, user: string, text: string, log: Logger): Promise<void> {
  for (const part of splitText(text, APP_LIMIT)) {
    const r = await api.sendText(user, part);
    if (!r.ok) {
      log.error({ user, error: r.error }, '自建应用 message/send 失败');
      return;
    }
  }
}

const REMOVED = '该群机器人已从 WECOM_WEBHOOK_BINDINGS 中删除';

export function createWecom(options: CreateWecomOptions): Wecom {
  const { config, store } = options;
  const log = (options.log ?? rootLog).child({ channel: 'wecom' });
  const dedupe: Dedupe = store ?? memoryDedupe();
  if (!store && (config.app || config.bot)) log.warn('企业微信未接入状态存储：已处理的回调只记在内存里，重启后企业微信重发的消息可能被再次回答');
  const http = createJsonFetch({ proxy: config.common.httpProxy, timeoutMs: config.common.httpTimeoutMs });
  const background = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch((err) => log.error({ err }, '企业微信后台发送失败'));
    background.add(q);
    void q.finally(() => background.delete(q));
  };

  const router = express.Router();
  const outbound: OutboundChannel[] = [];
  let stopping = false;
  // While shutting down, callbacks get 503: WeCom retries them and the next instance answers.
  router.use(['/wecom/app', '/wecom/bot'], (_req, res, next) => {
    if (stopping) res.status(503).type('text/plain').send('shutting down');
    else next();
  });

  const webhook: WebhookChannel = createWebhookChannel({ config: config.webhook, webhookBase: config.common.webhookBase, fetch: http, upload: http.multipart, log });
  outbound.push(webhook);
  const hooks = createHookCommands({ channel: webhook, store, file: options.hookKeys ?? new HookFile(options.hooksFile), log });
  // "/hook 部门 地址" is a WeCom matter, answered here; everything else reaches the core bot.
  const bot = hooks.wrap(options.bot);

  let api: WecomApi | undefined;
  if (config.app) {
    const app = config.app;
    api = new WecomApi({ apiBase: config.common.apiBase, corpId: app.corpId, secret: app.secret, agentId: app.agentId, fetch: http, now: options.now });
    const a = api;
    const deliver: DeliverLater = options.deliverLater ?? (async (row) => void (await sendOnce(a, row.chatId, row.text, log)));
    router.use('/wecom/app', createAppRouter({ config: app, common: config.common, bot, api, dedupe, log, now: options.now, track, deliver }));
    outbound.push({ name: 'wecom-app', limit: APP_LIMIT, perDestinationPerMinute: 20, send: (chatId, text) => a.sendText(chatId, text) });
  }

  if (config.bot?.webhook) {
    router.use('/wecom/bot', createBotWebhookRouter({ config: config.bot.webhook, bot: config.bot, common: config.common, handler: bot, dedupe, log, now: options.now }));
  }

  let botWs: BotWs | undefined;
  if (config.bot?.ws) {
    botWs = createBotWs({ config: config.bot.ws, bot: config.bot, common: config.common, handler: bot, dedupe, log, ...options.ws });
    outbound.push(botWs.outbound);
  }

  return {
    router,
    mount: { path: '/', router },
    outbound,
    config,
    api,
    webhook,
    botWs,
    async start() {
      stopping = false;
      const runtime = await hooks.load();
      if (store) await registerWebhookBindings(store, config.webhook.bindings, runtime, log);
      log.info({ enabled: config.enabled, webhookGroups: webhook.bindings().map((b) => b.chatId) }, '企业微信接入已启用');
      if (options.longConnectionAtStart !== false) await botWs?.start();
    },
    async stop() {
      stopping = true;
      await botWs?.stop();
      await Promise.race([Promise.allSettled([...background]), new Promise((r) => setTimeout(r, 10_000).unref?.())]);
      await http.close();
    },
    async idle() {
      for (;;) {
        await botWs?.idle();
        if (!background.size) return;
        await Promise.allSettled([...background]);
      }
    },
  };
}

/**
 * The configured group robots (WECOM_WEBHOOK_BINDINGS, and those added with /hook) as bindings in the
 * store; robots removed from the configuration are switched off. The server does this at start, and
 * `npm run remind -- preview` on its in-memory copy of the state, so both see the same groups.
 */
export async function registerWebhookBindings(store: WecomStore, configured: WebhookBinding[], runtime: WebhookBinding[], log: Logger): Promise<void> {
  for (const b of [...configured, ...runtime]) {
    const current = store.bindingFor('wecom-webhook', b.chatId);
    const role = b.coordinator ? 'coordinator' : 'department';
    // A binding switched off after a permanent failure (93000) stays off until the key is replaced;
    // one switched off because its key had been removed from the configuration comes back.
    if (current && current.role === role && (b.coordinator || current.department === b.department)) {
      if (!current.active && current.inactiveReason === REMOVED && store.setBindingActive) await store.setBindingActive('wecom-webhook', b.chatId, true, '群机器人重新加入配置');
      continue;
    }
    try {
      await store.bind(
        { channel: 'wecom-webhook', chatId: b.chatId, role, department: b.coordinator ? undefined : b.department, title: `${b.department}群机器人` },
        { channel: 'cli', name: 'WECOM_WEBHOOK_BINDINGS' },
      );
    } catch (err) {
      if (runtime.includes(b)) log.warn({ chatId: b.chatId, err: (err as Error).message }, '/hook 登记的群机器人无法绑定');
      else throw new ConfigError('WECOM_WEBHOOK_BINDINGS', (err as Error).message);
    }
  }
  if (store.bindings && store.setBindingActive) {
    const wanted = new Set([...configured, ...runtime].map((b) => b.chatId));
    for (const b of store.bindings()) {
      if (b.channel === 'wecom-webhook' && b.active && !wanted.has(b.chatId)) await store.setBindingActive('wecom-webhook', b.chatId, false, REMOVED);
    }
  }
}

/** Read WECOM_* and build the channel, or undefined when no WeCom way in is configured. */
export function wecomFromEnv(env: Env, deps: Omit<CreateWecomOptions, 'config'>): Wecom | undefined {
  const config = readWecomConfig(env);
  return config ? createWecom({ ...deps, config }) : undefined;
}

