/**
 * WECOM_* settings. Each way in is enabled by its own variables; a half-configured way is a ConfigError
 * naming the missing variable. Secrets are never echoed in error messages.
 */
import { createHash } from 'node:crypto';
import * as env from '../../core/env.js';

const { ConfigError } = env;

export const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';
export const DEFAULT_WS_URL = 'wss://openws.work.weixin.qq.com';

export interface WecomCommonConfig {
  /** API host for gettoken / message/send (政务微信 / private deployments use their own). */
  apiBase: string;
  /** Host of the group robot webhook (…/cgi-bin/webhook/send?key=). */
  webhookBase: string;
  /** Optional HTTP(S) proxy for all outgoing HTTP calls (fixed egress IP for 企业可信IP). */
  httpProxy?: string;
  /** How long an outgoing HTTP call (message/send, group robot, upload) waits for WeCom's answer. */
  httpTimeoutMs: number;
  /** Callbacks whose timestamp is further than this from now are rejected. */
  timestampWindowMs: number;
  /** Answer by passive reply when the bot answers within this time; otherwise 200 + async send. */
  replyDeadlineMs: number;
  /** How long processed callback ids are remembered. */
  dedupeTtlMs: number;
  /** WeCom UserIDs (通讯录「账号」) trusted as administrators: may /bind, set deadlines and schedules. */
  adminUserIds: Set<string>;
}

export interface WecomBotWsConfig {
  botId: string;
  secret: string;
  wsUrl: string;
}

export interface WecomBotWebhookConfig {
  token: string;
  aesKey: string;
}

export interface WecomBotConfig {
  /** Long connection (WebSocket): no public URL needed. */
  ws?: WecomBotWsConfig;
  /** JSON callback at /wecom/bot. */
  webhook?: WecomBotWebhookConfig;
  /** Display name stripped from "@name question" (besides any leading @mention). */
  name?: string;
}

export interface WecomAppConfig {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  aesKey: string;
}

export interface WebhookBinding {
  department: string;
  /** Webhook key: a secret, never logged. */
  key: string;
  /** Stable, non-secret chat id for the binding: "<部门>@<hash>". */
  chatId: string;
  /** Binds the coordinator's group instead of a department. */
  coordinator: boolean;
}

export interface WecomWebhookConfig {
  bindings: WebhookBinding[];
  /** Messages one robot accepts per window (WeCom: 20 per minute). */
  perWindow: number;
  windowMs: number;
}

export interface WecomConfig {
  common: WecomCommonConfig;
  bot?: WecomBotConfig;
  app?: WecomAppConfig;
  /** Always present; bindings may be empty (keys can also be added at run time with /hook). */
  webhook: WecomWebhookConfig;
  /** Which ways in are enabled, for the start-up log. */
  enabled: { botWs: boolean; botWebhook: boolean; app: boolean; webhook: boolean };
}

const AES_KEY_RE = /^[A-Za-z0-9+/]{43}$/;
const TOKEN_RE = /^[A-Za-z0-9]{1,64}$/;
const CORP_ID_RE = /^[A-Za-z0-9_-]{4,64}$/;
const KEY_RE = /^[A-Za-z0-9_-]{8,128}$/;
const COORDINATOR_WORDS = new Set(['督办', '协调', '协调员', 'coordinator']);

function aesKey(e: env.Env, name: string): string {
  const v = env.string(e, name);
  if (!AES_KEY_RE.test(v)) throw new ConfigError(name, `应为 43 个字母数字字符（管理后台「EncodingAESKey」随机获取的值），实际长度 ${v.length}（已隐藏实际值）`);
  return v;
}

function token(e: env.Env, name: string): string {
  const v = env.string(e, name);
  if (!TOKEN_RE.test(v)) throw new ConfigError(name, '应为 1–64 个英文字母或数字（管理后台「Token」随机获取的值）（已隐藏实际值）');
  return v;
}

/** The non-secret chat id a webhook key is known by: department + first 10 hex of sha256(key). */
export function webhookChatId(department: string, key: string): string {
  return `${department}@${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

/** "总工会:KEY,法院:https://qyapi…/send?key=KEY" → bindings. The full webhook URL is accepted too. */
export function parseWebhookBindings(raw: string, name = 'WECOM_WEBHOOK_BINDINGS'): WebhookBinding[] {
  const out: WebhookBinding[] = [];
  for (const item of raw.split(/[,，;；\n]+/).map((s) => s.trim()).filter(Boolean)) {
    const i = item.search(/[:：=]/);
    if (i <= 0) throw new ConfigError(name, `每项应为「部门:webhook key」，如 办公室:693a91f6-…，第 ${out.length + 1} 项缺少冒号`);
    const department = item.slice(0, i).trim();
    let key = item.slice(i + 1).trim();
    if (/^https?:/i.test(key)) {
      try {
        key = new URL(key).searchParams.get('key') ?? '';
      } catch {
        key = '';
      }
      if (!key) throw new ConfigError(name, `「${department}」的 webhook 地址里没有 key 参数`);
    }
    if (!KEY_RE.test(key)) throw new ConfigError(name, `「${department}」的 webhook key 格式不对（应为群机器人地址中 key= 后面的一串字母数字和 -）（已隐藏实际值）`);
    const coordinator = COORDINATOR_WORDS.has(department.toLowerCase());
    out.push({ department: coordinator ? '督办' : department, key, chatId: webhookChatId(coordinator ? '督办' : department, key), coordinator });
  }
  return out;
}

function base(e: env.Env, name: string, fallback: string, protocols: string[]): string {
  const v = env.url(e, name, fallback)!;
  if (!protocols.includes(new URL(v).protocol)) throw new ConfigError(name, `应以 ${protocols.map((p) => `${p}//`).join(' 或 ')} 开头，实际为「${v}」`);
  return v;
}

/**
 * Read every WECOM_* variable. Throws ConfigError naming the variable for a bad or missing value.
 * Returns undefined when no way in is configured.
 */
export function readWecomConfig(e: env.Env = process.env): WecomConfig | undefined {
  const apiBase = base(e, 'WECOM_API_BASE', DEFAULT_API_BASE, ['http:', 'https:']);
  const common: WecomCommonConfig = {
    apiBase,
    webhookBase: base(e, 'WECOM_WEBHOOK_BASE', apiBase, ['http:', 'https:']),
    httpProxy: env.optionalString(e, 'WECOM_HTTP_PROXY') ? base(e, 'WECOM_HTTP_PROXY', '', ['http:', 'https:']) : undefined,
    httpTimeoutMs: env.integer(e, 'WECOM_HTTP_TIMEOUT_SECONDS', 10, [1, 300]) * 1000,
    timestampWindowMs: env.integer(e, 'WECOM_TIMESTAMP_WINDOW_SECONDS', 300, [10, 86_400]) * 1000,
    replyDeadlineMs: env.integer(e, 'WECOM_REPLY_DEADLINE_MS', 4000, [50, 4800]),
    dedupeTtlMs: env.integer(e, 'WECOM_DEDUPE_TTL_HOURS', 24, [1, 24 * 30]) * 3_600_000,
    adminUserIds: new Set(),
  };
  for (const id of env.list(e, 'WECOM_ADMIN_USERIDS')) {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(id)) throw new ConfigError('WECOM_ADMIN_USERIDS', `应为逗号分隔的成员账号（UserID，通讯录成员详情里的「账号」），「${id}」不是有效账号`);
    common.adminUserIds.add(id);
  }

  // Smart bot: long connection and/or JSON callback.
  let bot: WecomBotConfig | undefined;
  const wsOn = env.allOrNone(e, ['WECOM_BOT_ID', 'WECOM_BOT_SECRET']);
  const hookOn = env.allOrNone(e, ['WECOM_BOT_TOKEN', 'WECOM_BOT_AES_KEY']);
  if (!wsOn && env.optionalString(e, 'WECOM_BOT_WS_URL')) throw new ConfigError('WECOM_BOT_ID', '设置了 WECOM_BOT_WS_URL 时也必须设置 WECOM_BOT_ID 和 WECOM_BOT_SECRET');
  if (wsOn || hookOn) {
    bot = { name: env.optionalString(e, 'WECOM_BOT_NAME')?.replace(/^@/, '') };
    if (wsOn) {
      const botId = env.string(e, 'WECOM_BOT_ID');
      if (!/^[A-Za-z0-9_-]{4,128}$/.test(botId)) throw new ConfigError('WECOM_BOT_ID', `应为智能机器人的 BotID（字母数字），实际为「${botId}」`);
      bot.ws = { botId, secret: env.string(e, 'WECOM_BOT_SECRET'), wsUrl: base(e, 'WECOM_BOT_WS_URL', DEFAULT_WS_URL, ['ws:', 'wss:']) };
    }
    if (hookOn) bot.webhook = { token: token(e, 'WECOM_BOT_TOKEN'), aesKey: aesKey(e, 'WECOM_BOT_AES_KEY') };
  }

  // Self-built app.
  let app: WecomAppConfig | undefined;
  if (env.allOrNone(e, ['WECOM_CORP_ID', 'WECOM_APP_AGENT_ID', 'WECOM_APP_SECRET', 'WECOM_APP_TOKEN', 'WECOM_APP_AES_KEY'])) {
    const corpId = env.string(e, 'WECOM_CORP_ID');
    if (!CORP_ID_RE.test(corpId)) throw new ConfigError('WECOM_CORP_ID', `应为企业ID（「我的企业」页底部，形如 ww1436e0e65a779aee），实际为「${corpId}」`);
    app = {
      corpId,
      agentId: env.integer(e, 'WECOM_APP_AGENT_ID', 0, [1, 2 ** 31 - 1]),
      secret: env.string(e, 'WECOM_APP_SECRET'),
      token: token(e, 'WECOM_APP_TOKEN'),
      aesKey: aesKey(e, 'WECOM_APP_AES_KEY'),
    };
  }

  // Group robot webhooks.
  // Group robot webhooks (always present: the coordinator may add keys at run time with /hook).
  const rawBindings = env.optionalString(e, 'WECOM_WEBHOOK_BINDINGS');
  const bindings = rawBindings ? parseWebhookBindings(rawBindings) : [];
  const seen = new Set<string>();
  for (const b of bindings) {
    if (seen.has(b.chatId)) throw new ConfigError('WECOM_WEBHOOK_BINDINGS', `「${b.department}」的同一个 webhook key 写了两次`);
    seen.add(b.chatId);
  }
  const webhook: WecomWebhookConfig = {
    bindings,
    perWindow: env.integer(e, 'WECOM_WEBHOOK_PER_MINUTE', 20, [1, 20]),
    windowMs: env.integer(e, 'WECOM_WEBHOOK_WINDOW_SECONDS', 60, [1, 3600]) * 1000,
  };

  const enabled = { botWs: !!bot?.ws, botWebhook: !!bot?.webhook, app: !!app, webhook: bindings.length > 0 };
  if (!Object.values(enabled).some(Boolean)) {
    // Base URLs and limits may carry their defaults in .env; these two only make sense with a way in.
    const stray = ['WECOM_BOT_NAME', 'WECOM_ADMIN_USERIDS'].find((n) => env.optionalString(e, n));
    if (stray) throw new ConfigError('WECOM_BOT_ID', `设置了 ${stray}，但没有启用任何企业微信接入方式（智能机器人、自建应用或群机器人）`);
    return undefined;
  }
  return { common, bot, app, webhook, enabled };
}
