import { createHash, randomBytes } from 'node:crypto';
import type { StateBackend } from './backend.js';
import type { DashboardSessionRecord, StateData } from './types.js';

/** A signed-in dashboard user: the cookie value (`id`) is known to the browser and to memory only. */
export interface DashboardSession {
  id: string;
  csrf: string;
  name: string;
  createdAt: number;
  expiresAt: number;
}

export type Flash = NonNullable<DashboardSessionRecord['flash']>;

/** Sign-ins beyond these are refused; the oldest addresses are forgotten first. */
const MAX_LOGINS = 10_000;
/** Uploads kept per session (the oldest goes first). */
const UPLOADS_PER_SESSION = 5;

/** The stored key of a session: a leaked state file or backup gives no usable cookie. */
const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Dashboard sessions, the sign-in back-off and uploads waiting for 确认, in the shared state: with
 * PostgreSQL a browser whose next request reaches another instance stays signed in, sees its message
 * and can confirm its upload, and failed sign-ins count on every instance.
 */
export class DashboardSessionStore {
  /** The first FREE failures cost nothing; then each doubles the wait (2 s, 4 s, … up to 5 min). */
  static readonly FREE = 3;

  constructor(
    private readonly core: StateBackend,
    private readonly now: () => number,
  ) {}

  private mutate<R>(fn: (data: StateData) => R, sections: Array<keyof StateData>): Promise<R> {
    return this.core.mutate(fn, sections);
  }

  async create(name: string, ttlMs: number): Promise<DashboardSession> {
    const t = this.now();
    const s: DashboardSession = {
      id: randomBytes(24).toString('base64url'),
      csrf: randomBytes(24).toString('base64url'),
      name,
      createdAt: t,
      expiresAt: t + ttlMs,
    };
    await this.mutate((data) => {
      this.sweep(data, t);
      data.sessions[keyOf(s.id)] = { csrf: s.csrf, name, createdAt: t, expiresAt: s.expiresAt };
    }, ['sessions', 'uploads']);
    return s;
  }

  /** The live session of a cookie value (expired ones are ignored and dropped at the next sign-in). */
  get(id: string | undefined): DashboardSession | undefined {
    if (!id) return undefined;
    const r = this.core.data.sessions[keyOf(id)];
    if (!r || r.expiresAt <= this.now()) return undefined;
    return { id, csrf: r.csrf, name: r.name, createdAt: r.createdAt, expiresAt: r.expiresAt };
  }

  async destroy(id: string): Promise<void> {
    const key = keyOf(id);
    await this.mutate((data) => {
      delete data.sessions[key];
      for (const [u, up] of Object.entries(data.uploads)) if (up.session === key) delete data.uploads[u];
    }, ['sessions', 'uploads']);
  }

  flash(id: string): Flash | undefined {
    return this.core.data.sessions[keyOf(id)]?.flash;
  }

  /** Set (or, with undefined, clear) the message the session's next page shows. */
  async setFlash(id: string, flash: Flash | undefined): Promise<void> {
    const key = keyOf(id);
    if (flash === undefined && !this.core.data.sessions[key]?.flash) return;
    await this.mutate((data) => {
      const r = data.sessions[key];
      if (!r) return;
      const next = { ...r, flash };
      if (!flash) delete next.flash;
      data.sessions[key] = next;
    }, ['sessions']);
  }

  // ---------------------------------------------------------------- sign-in back-off

  /** Milliseconds the address must still wait (0: may try now). */
  loginWait(ip: string): number {
    const f = this.core.data.logins[ip];
    return f ? Math.max(0, f.until - this.now()) : 0;
  }

  /** Count a failed sign-in; returns the wait it now costs. */
  async loginFailed(ip: string): Promise<number> {
    await this.mutate((data) => {
      const count = (data.logins[ip]?.count ?? 0) + 1;
      const over = count - DashboardSessionStore.FREE;
      data.logins[ip] = { count, until: over >= 0 ? this.now() + Math.min(300_000, 2000 * 2 ** over) : 0 };
      const ips = Object.keys(data.logins);
      if (ips.length > MAX_LOGINS) for (const old of ips.slice(0, ips.length - MAX_LOGINS)) delete data.logins[old];
    }, ['logins']);
    return this.loginWait(ip);
  }

  async loginSucceeded(ip: string): Promise<void> {
    if (!this.core.data.logins[ip]) return;
    await this.mutate((data) => {
      delete data.logins[ip];
    }, ['logins']);
  }

  // ---------------------------------------------------------------- uploads waiting for 确认

  /** Keep a previewed upload (plain JSON data) for the session; returns its id. */
  async keepUpload(sessionId: string, value: unknown): Promise<string> {
    const session = keyOf(sessionId);
    const id = randomBytes(12).toString('base64url');
    await this.mutate((data) => {
      const mine = Object.entries(data.uploads)
        .filter(([, u]) => u.session === session)
        .sort((a, b) => a[1].at - b[1].at);
      for (const [old] of mine.slice(0, Math.max(0, mine.length - UPLOADS_PER_SESSION + 1))) delete data.uploads[old];
      // A copy through JSON: what is confirmed here is exactly what another instance would read back.
      data.uploads[id] = { session, at: this.now(), value: JSON.parse(JSON.stringify(value)) as unknown };
    }, ['uploads']);
    return id;
  }

  /** Take a kept upload of the session (once: a second confirmation finds nothing). */
  async takeUpload(sessionId: string, id: string): Promise<unknown> {
    const session = keyOf(sessionId);
    return this.mutate((data) => {
      const u = data.uploads[id];
      if (!u || u.session !== session) return undefined;
      delete data.uploads[id];
      return u.value;
    }, ['uploads']);
  }

  /** Drop expired sessions and the uploads of sessions that are gone. */
  private sweep(data: StateData, t: number): void {
    for (const [k, r] of Object.entries(data.sessions)) if (r.expiresAt <= t) delete data.sessions[k];
    for (const [u, up] of Object.entries(data.uploads)) if (!data.sessions[up.session]) delete data.uploads[u];
  }
}
