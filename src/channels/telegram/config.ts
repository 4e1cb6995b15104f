import * as env from '../../core/env.js';

const { ConfigError } = env;

export interface TelegramWebhookConfig {
  /** Public https URL Telegram posts updates to (given to setWebhook). */
  url: string;
  /** Path the express router answers on, inside this server (default: the URL's path). */
  path: string;
  /** X-Telegram-Bot-Api-Secret-Token value, A-Za-z0-9_- 1–256. */
  secret: string;
}

export interface TelegramConfig {
  token: string;
  /** Bot API root, always ending with '/': https://api.telegram.org/ or a self-hosted server / relay. */
  apiRoot: string;
  /** Set → webhook mode; unset → long polling. */
  webhook?: TelegramWebhookConfig;
  /** Telegram user ids allowed to /bind, /unbind, /deadline, /schedule (Message.trusted.admin). */
  adminIds: Set<string>;
  /** Register the command menu with setMyCommands at start-up. */
  registerCommands: boolean;
  /** How long processed update ids are remembered (Telegram keeps unconfirmed updates ≤ 24 h). */
  dedupeTtlMs: number;
}

export const DEFAULT_API_ROOT = 'https://api.telegram.org/';
const TOKEN_RE = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;
const SECRET_RE = /^[A-Za-z0-9_-]{1,256}$/;
const ADMIN_ID_RE = /^\d{1,20}$/;

const OTHER_VARS = [
  'TELEGRAM_API_ROOT',
  'TELEGRAM_WEBHOOK_URL',
  'TELEGRAM_WEBHOOK_SECRET',
  'TELEGRAM_WEBHOOK_PATH',
  'TELEGRAM_ADMIN_IDS',
];

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function parseUrl(name: string, value: string): URL {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    return u;
  } catch {
    throw new ConfigError(name, `应为 http(s):// 开头的网址，实际为「${value}」`);
  }
}

/**
 * Telegram settings. Returns undefined when TELEGRAM_BOT_TOKEN is unset (channel disabled);
 * throws ConfigError naming the variable for anything malformed or half-configured.
 */
export function readTelegramConfig(e: env.Env = process.env): TelegramConfig | undefined {
  const token = env.optionalString(e, 'TELEGRAM_BOT_TOKEN');
  if (token === undefined) {
    const stray = OTHER_VARS.find((n) => env.optionalString(e, n) !== undefined);
    if (stray) throw new ConfigError('TELEGRAM_BOT_TOKEN', `设置了 ${stray} 时也必须设置（从 BotFather 获取的令牌）`);
    return undefined;
  }
  // Never echo the token itself in the error.
  if (!TOKEN_RE.test(token)) throw new ConfigError('TELEGRAM_BOT_TOKEN', '格式应为「数字:字母数字串」，如 BotFather 给出的 123456789:AAH…（已隐藏实际值）');

  const rootRaw = env.optionalString(e, 'TELEGRAM_API_ROOT') ?? DEFAULT_API_ROOT;
  const root = parseUrl('TELEGRAM_API_ROOT', rootRaw);
  if (root.search || root.hash) throw new ConfigError('TELEGRAM_API_ROOT', `不能带查询串或 #，实际为「${rootRaw}」`);
  // telegraf resolves './bot<token>/<method>' against the root: a prefix without a trailing '/' is dropped.
  const apiRoot = root.href.endsWith('/') ? root.href : `${root.href}/`;

  let webhook: TelegramWebhookConfig | undefined;
  const hookRaw = env.optionalString(e, 'TELEGRAM_WEBHOOK_URL');
  const secret = env.optionalString(e, 'TELEGRAM_WEBHOOK_SECRET');
  const pathRaw = env.optionalString(e, 'TELEGRAM_WEBHOOK_PATH');
  if (hookRaw !== undefined) {
    const u = parseUrl('TELEGRAM_WEBHOOK_URL', hookRaw);
    if (u.protocol !== 'https:' && !isLoopbackHost(u.hostname)) {
      throw new ConfigError('TELEGRAM_WEBHOOK_URL', `Telegram 只向 https:// 网址推送（本机回环地址除外），实际为「${hookRaw}」`);
    }
    if (u.search || u.hash) throw new ConfigError('TELEGRAM_WEBHOOK_URL', `不能带查询串或 #，实际为「${hookRaw}」`);
    if (u.pathname === '/' && pathRaw === undefined) {
      throw new ConfigError('TELEGRAM_WEBHOOK_URL', `须包含路径，如 https://bot.example.gov.cn/telegram/webhook，实际为「${hookRaw}」`);
    }
    if (secret === undefined) throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', '设置了 TELEGRAM_WEBHOOK_URL 时必须设置（1–256 个 A-Z a-z 0-9 _ - 字符）');
    if (!SECRET_RE.test(secret)) throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', '只能由 1–256 个 A-Z a-z 0-9 _ - 字符组成（已隐藏实际值）');
    const localPath = pathRaw ?? u.pathname;
    if (!/^\/[A-Za-z0-9._~\-/]*$/.test(localPath) || localPath === '/') {
      throw new ConfigError(pathRaw !== undefined ? 'TELEGRAM_WEBHOOK_PATH' : 'TELEGRAM_WEBHOOK_URL', `路径应形如 /telegram/webhook，实际为「${localPath}」`);
    }
    webhook = { url: u.href, path: localPath.replace(/\/+$/, ''), secret };
  } else {
    if (secret !== undefined) throw new ConfigError('TELEGRAM_WEBHOOK_URL', '设置了 TELEGRAM_WEBHOOK_SECRET 时也必须设置（否则使用长轮询，请删去密钥）');
    if (pathRaw !== undefined) throw new ConfigError('TELEGRAM_WEBHOOK_URL', '设置了 TELEGRAM_WEBHOOK_PATH 时也必须设置');
  }

  const adminIds = new Set<string>();
  for (const id of env.list(e, 'TELEGRAM_ADMIN_IDS')) {
    if (!ADMIN_ID_RE.test(id)) throw new ConfigError('TELEGRAM_ADMIN_IDS', `应为逗号分隔的数字用户 ID（可向 @userinfobot 查询），「${id}」不是数字`);
    adminIds.add(id);
  }

  return {
    token,
    apiRoot,
    webhook,
    adminIds,
    registerCommands: env.boolean(e, 'TELEGRAM_REGISTER_COMMANDS', true),
    dedupeTtlMs: env.integer(e, 'TELEGRAM_DEDUPE_TTL_HOURS', 48, [1, 24 * 30]) * 3_600_000,
  };
}
