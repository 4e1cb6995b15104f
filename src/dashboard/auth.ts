import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';

export type { DashboardSession as Session } from '../state/store.js';
import type { DashboardSession as Session } from '../state/store.js';

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
