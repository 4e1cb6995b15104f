import path from 'node:path';
import { DATA_ROOT } from './plan/load.js';
import * as env from './core/env.js';
import { readTrustProxy, type TrustProxy } from './server/trust-proxy.js';

export interface CoreConfig {
  port: number;
  host: string;
  /** Where runtime state lives (git-ignored by default). */
  dataDir: string;
  /** Lets non-loopback web clients speak as a department or the coordinator (X-Admin-Token header). */
  adminToken?: string;
  /** Loopback clients of the chat page may speak as a department or the coordinator. */
  trustLoopback: boolean;
  /** Reverse proxies whose X-Forwarded-* headers are believed (TRUST_PROXY: hops or addresses); false: none. */
  trustProxy: TrustProxy;
  /** postgres://… : the state is kept in PostgreSQL and several instances may share it (else state.json in dataDir). */
  databaseUrl?: string;
  /** How long start-up waits for another running process to release DATA_DIR (a crashed one's lock is taken over at once). */
  lockWaitMs: number;
  /** Recent answers kept in memory (0 turns the cache off). */
  answerCacheSize: number;
  timeZone: string;
  /** How long an answer stays the context of follow-ups (「那法院呢」「它什么时候到期」); 0 turns context off. */
  contextTtlMinutes: number;
  /** Conversations (chat × sender) whose context is kept in memory; the least recently used go first. */
  contextMaxConversations: number;
  /** Lines per page of a long answer (the rest follows with 「更多」). */
  pageLines: number;
}

export function readCoreConfig(e: env.Env = process.env): CoreConfig {
  const timeZone = env.string(e, 'TZ_REMINDERS', 'Asia/Shanghai');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new env.ConfigError('TZ_REMINDERS', `不是有效的 IANA 时区（如 Asia/Shanghai），实际为「${timeZone}」`);
  }
  const adminToken = env.optionalString(e, 'ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) throw new env.ConfigError('ADMIN_TOKEN', '至少 16 个字符');
  return {
    port: env.integer(e, 'PORT', 3000, [0, 65535]),
    host: env.string(e, 'HOST', '127.0.0.1'),
    dataDir: path.resolve(env.string(e, 'DATA_DIR', path.join(DATA_ROOT, 'runtime'))),
    adminToken,
    trustLoopback: env.boolean(e, 'WEB_TRUST_LOOPBACK', true),
    trustProxy: readTrustProxy(e),
    databaseUrl: readDatabaseUrl(e),
    lockWaitMs: env.integer(e, 'STATE_LOCK_WAIT_SECONDS', 20, [0, 600]) * 1000,
    answerCacheSize: env.integer(e, 'ANSWER_CACHE_SIZE', 1000, [0, 100_000]),
    timeZone,
    contextTtlMinutes: env.integer(e, 'CONTEXT_TTL_MINUTES', 30, [0, 1440]),
    contextMaxConversations: env.integer(e, 'CONTEXT_MAX_CONVERSATIONS', 5000, [10, 1_000_000]),
    pageLines: env.integer(e, 'PAGE_LINES', 20, [5, 500]),
  };
}

function readDatabaseUrl(e: env.Env): string | undefined {
  const v = env.optionalString(e, 'DATABASE_URL');
  if (v === undefined) return undefined;
  let ok = false;
  try {
    const u = new URL(v);
    ok = (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.pathname.length > 1;
  } catch {
    ok = false;
  }
  // The value may hold a password: never repeated in the message.
  if (!ok) throw new env.ConfigError('DATABASE_URL', '应为 postgres://用户:密码@主机:端口/数据库名');
  return v;
}
