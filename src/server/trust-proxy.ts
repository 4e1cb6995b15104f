/**
 * Who the client really is. Behind a reverse proxy every connection comes from the proxy (often 127.0.0.1):
 * with TRUST_PROXY set, Express reads X-Forwarded-For / X-Forwarded-Proto from the trusted hops only, so req.ip is
 * the real peer, req.secure is true under HTTPS (Secure cookies), and "loopback" means the visitor, not the proxy.
 */
import { isIP } from 'node:net';
import type { Request } from 'express';
import { ConfigError, optionalString, type Env } from '../core/env.js';

/** Express's `trust proxy` setting: off, a hop count, or the proxies' addresses/CIDRs (and its keywords). */
export type TrustProxy = false | number | string[];

const KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (KEYWORDS.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

export function readTrustProxy(env: Env): TrustProxy {
  const v = optionalString(env, 'TRUST_PROXY');
  if (v === undefined || ['false', 'off', 'no', '0'].includes(v.toLowerCase())) return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new ConfigError('TRUST_PROXY', `代理层数应为 0–10，实际为「${v}」`);
    return hops;
  }
  const entries = v.split(/[,，\s]+/).filter(Boolean);
  const bad = entries.find((e) => !validEntry(e));
  if (bad !== undefined) {
    throw new ConfigError('TRUST_PROXY', `应为代理层数（如 1）或代理的地址/网段（如 127.0.0.1, 10.0.0.0/8, loopback），「${bad}」无效`);
  }
  return entries;
}

export function isLoopbackAddress(ip: string | undefined): boolean {
  const a = ip ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

/** The client (after the trusted proxies, if any) is this machine. */
export const isLoopbackClient = (req: Request) => isLoopbackAddress(req.ip);
