import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';

export interface Session {
  id: string;
  csrf: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  /** Pending imports waiting for confirmation, by id. */
  pending: Map<string, unknown>;
}

export const COOKIE = 'duban_admin';

export function safeEqual(a: string, b: string): boolean {
  // Hash first so lengths match and nothing leaks through early exit.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export class Sessions {
  private readonly map = new Map<string, Session>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(name: string): Session {
    this.sweep();
    const t = this.now();
    const s: Session = {
      id: randomBytes(24).toString('base64url'),
      csrf: randomBytes(24).toString('base64url'),
      name,
      createdAt: t,
      expiresAt: t + this.ttlMs,
      pending: new Map(),
    };
    this.map.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.map.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.map.delete(id);
      return undefined;
    }
    return s;
  }

  destroy(id: string): void {
    this.map.delete(id);
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.map) if (s.expiresAt <= t) this.map.delete(id);
  }
}

/**
 * Per-IP backoff after failed sign-ins: the first FREE failures cost nothing, then each further
 * failure doubles the wait (2 s, 4 s, … up to 5 min). A success clears the record.
 */
export class LoginThrottle {
  static readonly FREE = 3;
  private readonly failures = new Map<string, { count: number; until: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds the IP must still wait (0: may try now). */
  wait(ip: string): number {
    const f = this.failures.get(ip);
    return f ? Math.max(0, f.until - this.now()) : 0;
  }

  fail(ip: string): number {
    const f = this.failures.get(ip) ?? { count: 0, until: 0 };
    f.count++;
    const over = f.count - LoginThrottle.FREE;
    f.until = over >= 0 ? this.now() + Math.min(300_000, 2000 * 2 ** over) : 0;
    this.failures.set(ip, f);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
    return this.wait(ip);
  }

  succeed(ip: string): void {
    this.failures.delete(ip);
  }
}

export function setSessionCookie(req: Request, res: Response, s: Session | undefined, basePath: string): void {
  const secure = req.secure ? '; Secure' : '';
  if (!s) {
    res.append('Set-Cookie', `${COOKIE}=; Path=${basePath}; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
    return;
  }
  const maxAge = Math.floor((s.expiresAt - s.createdAt) / 1000);
  res.append('Set-Cookie', `${COOKIE}=${s.id}; Path=${basePath}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
}

/** The CSRF token from the form field `_csrf` or the `X-CSRF-Token` header must match the session's. */
export function csrfOk(req: Request, s: Session): boolean {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const given = typeof body._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
  return typeof given === 'string' && given.length > 0 && safeEqual(given, s.csrf);
}

export type Handler = (req: Request, res: Response, next: NextFunction) => void;
