import { randomInt } from 'node:crypto';
import pg from 'pg';
import { log } from '../../core/log.js';
import type { LockedChange, StateBackend } from '../backend.js';
import { writeBackup } from '../backup.js';
import { PersistError, StoreError } from '../errors.js';
import { applyRecord, type Change, type JournalRecord } from '../journal.js';
import { emptyState } from '../schema.js';
import { SectionShadows, get, parentOf } from '../shadows.js';
import type { StateData } from '../types.js';
import { LOCKS, migrateDatabase } from './migrate.js';

export interface PgStateOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** DATA_DIR: backups (JSON snapshots before plan imports and bulk changes) are still written there. */
  dir: string;
  clock?: () => Date;
  readOnly?: boolean;
  /** Connections per instance (default 6). */
  poolSize?: number;
}

export const NOTIFY_CHANNEL = 'duban_state';
const VALUE = 'value';
/** Committed changes are kept this long for instances to catch up; one further behind reloads everything. */
const CHANGES_KEPT = "interval '1 hour'";

interface Queued {
  fn?: (data: StateData) => unknown;
  sections?: ReadonlyArray<keyof StateData>;
  /** A change decided on row-locked entries (`lockEntries`). */
  locked?: {
    section: keyof StateData;
    keys: string[];
    decide: (entries: Map<string, unknown>, alive: (instanceId: number) => boolean) => LockedChange<unknown>;
    ownerOf?: (entry: unknown) => number | undefined;
  };
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** The database address without its password, for logs and messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString().replace(/:@/, '@');
  } catch {
    return 'postgres://…';
  }
}

/**
 * The state in PostgreSQL, shared by any number of instances.
 *
 * Reads come from memory, kept equal to the database: every committed change is also a row of
 * state_changes, numbered without gaps; an instance replays the rows it has not seen — when another
 * instance NOTIFYs, and before every read a user can see (`refresh`), so what one instance
 * acknowledged is what the next request shows on any other.
 *
 * Writes are transactions under one advisory lock (pg_advisory_xact_lock): inside it the instance
 * first catches up, then runs the change's function on the latest state, writes the rows it changed
 * and the change record, and commits; only then does the caller hear "done". If anything fails the
 * transaction rolls back and memory goes back to the last committed state (the same shadows the
 * journal uses), so a failed change leaves no trace. Waiting changes of one instance share one
 * transaction.
 *
 * Claims (`lockEntries`: the outbox rows a sender is about to send) do not take that lock exclusively:
 * they hold it shared (so no writer runs meanwhile) and pick their rows with SELECT … FOR UPDATE SKIP
 * LOCKED, so instances claiming at once never wait for each other and never get the same row. Their
 * change record is numbered under the row lock of state_seq, which keeps the numbers gap-free.
 */
export class PgState implements StateBackend {
  readonly data: StateData = emptyState();
  private readonly shadows = new SectionShadows(() => this.data as unknown as Record<string, unknown>);
  private seq = 0;
  private queue: Queued[] = [];
  private running = false;
  private closed = false;
  private listenClient: pg.Client | undefined;
  private readonly listeners = new Set<() => void>();
  private refreshSoon: Promise<void> | undefined;
  writeCount = 0;
  /** This instance's number: its instance lock is held on the LISTEN connection while it runs. */
  readonly instanceId = randomInt(1, 2 ** 31 - 1);

  private constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PgStateOptions,
  ) {}

  static async open(opts: PgStateOptions): Promise<PgState> {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 6 });
    pool.on('error', (err) => log.warn({ err: err.message }, '数据库连接出错（连接池会重新连接）'));
    const state = new PgState(pool, opts);
    try {
      await migrateDatabase(pool);
      await state.reload(pool);
      if (!opts.readOnly) await state.listen();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    log.info({ database: state.file, seq: state.seq }, '状态存储：PostgreSQL');
    return state;
  }

  get readOnly(): boolean {
    return this.opts.readOnly === true;
  }

  get file(): string {
    return describeDatabase(this.opts.url);
  }

  /** The number of the last change this instance has read (tests, diagnostics). */
  get lastSeq(): number {
    return this.seq;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  mutate<R>(fn: (data: StateData) => R, sections?: ReadonlyArray<keyof StateData>): Promise<R> {
    if (this.closed) return Promise.reject(new StoreError('状态存储已关闭'));
    if (this.readOnly) return Promise.resolve(fn(this.data));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ fn, sections, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.pump();
    });
  }

  lockEntries<R>(
    section: keyof StateData,
    keys: string[],
    decide: (entries: Map<string, unknown>, alive: (instanceId: number) => boolean) => LockedChange<R>,
    ownerOf?: (entry: unknown) => number | undefined,
  ): Promise<R> {
    if (this.closed) return Promise.reject(new StoreError('状态存储已关闭'));
    if (this.readOnly) return Promise.resolve(decide(new Map(), () => true).result);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ locked: { section, keys, decide, ownerOf }, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.pump();
    });
  }

  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ resolve: () => resolve(), reject });
      if (!this.running) void this.pump();
    });
  }

  async flush(): Promise<void> {
    if (this.queue.length || this.running) await this.refresh();
  }

  async backup(reason: string): Promise<string> {
    await this.flush();
    return writeBackup(this.opts.dir, JSON.stringify(this.data), reason, (this.opts.clock ?? (() => new Date()))(), { fsync: true });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => undefined);
    this.closed = true;
    const listener = this.listenClient;
    this.listenClient = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  // ---------------------------------------------------------------- the queue

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const all = this.queue;
        this.queue = [];
        const claims = all.filter((q) => q.locked);
        const batch = all.filter((q) => !q.locked);
        if (claims.length) await this.writeLocked(claims);
        if (!batch.length) continue;
        if (batch.some((q) => q.fn)) await this.write(batch);
        else {
          try {
            const before = this.seq;
            await this.catchUp(this.pool);
            for (const q of batch) q.resolve(undefined);
            if (this.seq !== before) this.emit();
          } catch (err) {
            for (const q of batch) q.reject(new PersistError(err));
          }
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async write(batch: Queued[]): Promise<void> {
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      // One round trip: the transaction and its lock (a constant, so no parameters needed).
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${LOCKS.write})`);
      const before = this.seq;
      await this.catchUp(client);
      if (this.seq !== before) queueMicrotask(() => this.emit());
      for (const q of batch) {
        if (!q.fn) {
          results.push({ ok: true, value: undefined });
          continue;
        }
        try {
          results.push({ ok: true, value: q.fn(this.data) });
        } catch (error) {
          results.push({ ok: false, error });
        }
        if (q.sections) this.shadows.markDirty(q.sections as readonly string[]);
      }
      // A change that did not say what it touched may have edited entries in place: write everything.
      const { changes, advance } = batch.some((q) => q.fn && !q.sections) ? this.shadows.full() : this.shadows.diff();
      let q = this.seq;
      if (changes.length) {
        q = this.seq + 1;
        await writeChanges(client, changes);
        await client.query(
          `WITH logged AS (INSERT INTO state_changes (seq, record) VALUES ($1, $2)), counted AS (UPDATE state_seq SET seq = $1)
           SELECT pg_notify($3, $1::text)`,
          [q, JSON.stringify({ q, c: changes }), NOTIFY_CHANNEL],
        );
        if (q % 500 === 0) await client.query(`DELETE FROM state_changes WHERE at < now() - ${CHANGES_KEPT}`);
      }
      await client.query('COMMIT');
      advance();
      if (q !== this.seq) {
        this.seq = q;
        this.writeCount++;
      }
    } catch (err) {
      await client?.query('ROLLBACK').catch(() => undefined);
      // Every change of this batch is undone in memory; those of other instances already read stay.
      this.shadows.revert();
      const error = new PersistError(err);
      for (const q of batch) q.reject(error);
      return;
    } finally {
      client?.release();
    }
    batch.forEach((q, i) => {
      const r = results[i];
      if (r.ok) q.resolve(r.value);
      else q.reject(r.error);
    });
  }

  /**
   * Row-locked changes, in one transaction: the write lock held shared (writers wait, other claimers do
   * not), the entries locked with SKIP LOCKED, each `decide` run on them in turn, the result written with
   * its change record. Memory is not touched before the commit: it then reads its own record in order,
   * like another instance's.
   */
  private async writeLocked(batch: Queued[]): Promise<void> {
    const results: unknown[] = [];
    let own = 0;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock_shared(${LOCKS.write})`);
      // Every row the batch asks for, locked in one statement per section; rows others hold are skipped.
      const bySection = new Map<string, Map<string, unknown>>();
      for (const q of batch) {
        const { section, keys } = q.locked!;
        if (!bySection.has(section)) bySection.set(section, new Map(keys.map((k) => [k, undefined])));
        else for (const k of keys) bySection.get(section)!.set(k, undefined);
      }
      for (const [section, asked] of bySection) {
        const { rows } = await client.query<{ key: string; value: unknown }>(
          'SELECT key, value FROM state_entries WHERE section = $1 AND key = ANY($2::text[]) FOR UPDATE SKIP LOCKED',
          [section, [...asked.keys()]],
        );
        asked.clear();
        for (const r of rows) asked.set(r.key, r.value);
      }
      // Which instances named by the locked entries still run: each holds its instance lock while it does.
      const owners = new Set<number>();
      for (const q of batch) {
        const { section, ownerOf } = q.locked!;
        if (!ownerOf) continue;
        for (const v of bySection.get(section)!.values()) {
          const o = ownerOf(v);
          if (o !== undefined && o !== this.instanceId) owners.add(o);
        }
      }
      const dead = new Set<number>();
      for (const o of owners) {
        const { rows } = await client.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS free', [LOCKS.instance, o]);
        if (rows[0].free) dead.add(o);
      }
      const alive = (o: number) => o === this.instanceId || !dead.has(o);
      // Each decision sees the ones before it; all are written as one change record.
      const sets = new Map<string, Record<string, unknown>>();
      const pushes = new Map<string, unknown[]>();
      for (const q of batch) {
        const { section, keys, decide } = q.locked!;
        const entries = bySection.get(section)!;
        const change = decide(new Map(keys.filter((k) => entries.has(k)).map((k) => [k, entries.get(k)])), alive);
        results.push(change.result);
        for (const [k, v] of Object.entries(change.set)) {
          entries.set(k, v);
          if (!sets.has(section)) sets.set(section, {});
          sets.get(section)![k] = v;
        }
        for (const [name, pushed] of Object.entries(change.append ?? {})) if (pushed?.length) pushes.set(name, [...(pushes.get(name) ?? []), ...pushed]);
      }
      const changes: Change[] = [
        ...[...sets].map(([section, set]): Change => ({ p: [section], m: { s: set } })),
        ...[...pushes].map(([name, push]): Change => ({ p: [name], a: { push } })),
      ];
      if (changes.length) {
        // The row lock of state_seq numbers the claims that commit one after the other.
        const q = Number((await client.query<{ seq: string }>('UPDATE state_seq SET seq = seq + 1 RETURNING seq')).rows[0].seq);
        await writeChanges(client, changes);
        await client.query('WITH logged AS (INSERT INTO state_changes (seq, record) VALUES ($1, $2)) SELECT pg_notify($3, $1::text)', [
          q,
          JSON.stringify({ q, c: changes }),
          NOTIFY_CHANNEL,
        ]);
        own = 1;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client?.query('ROLLBACK').catch(() => undefined);
      const error = new PersistError(err);
      for (const q of batch) q.reject(error);
      return;
    } finally {
      client?.release();
    }
    // Committed: the claims hold whatever happens next; memory catches up (now, or at the next read).
    const before = this.seq;
    await this.catchUp(this.pool).catch((err) => log.warn({ err }, '读取刚提交的认领失败（下次读取时补上）'));
    if (this.seq - before > own) queueMicrotask(() => this.emit());
    if (own) this.writeCount++;
    batch.forEach((q, i) => q.resolve(results[i]));
  }

  // ---------------------------------------------------------------- reading

  /** Replay the committed changes memory has not seen; reload everything when they were pruned. */
  private async catchUp(db: pg.Pool | pg.PoolClient): Promise<void> {
    const { rows } = await db.query<{ seq: string; record: JournalRecord }>(
      'SELECT seq, record FROM state_changes WHERE seq > $1 ORDER BY seq',
      [this.seq],
    );
    if (rows.length === 0) {
      const current = Number((await db.query<{ seq: string }>('SELECT seq FROM state_seq')).rows[0].seq);
      if (current !== this.seq) await this.reload(db);
      return;
    }
    if (Number(rows[0].seq) !== this.seq + 1) {
      await this.reload(db);
      return;
    }
    for (const row of rows) {
      applyRecord(this.data as unknown as Record<string, unknown>, row.record);
      this.shadows.absorb(row.record);
      this.seq = Number(row.seq);
    }
  }

  /** Read the whole state (at start, or after falling too far behind) in one consistent snapshot. */
  private async reload(db: pg.Pool | pg.PoolClient): Promise<void> {
    const client = 'release' in db ? db : await db.connect();
    const own = client !== db;
    try {
      if (own) await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const seq = Number((await client.query<{ seq: string }>('SELECT seq FROM state_seq')).rows[0].seq);
      const entries = await client.query<{ section: string; key: string; value: unknown }>('SELECT section, key, value FROM state_entries');
      const logs = await client.query<{ section: string; entry: unknown }>('SELECT section, entry FROM state_log ORDER BY id');
      if (own) await client.query('COMMIT');
      const data = emptyState() as unknown as Record<string, unknown>;
      for (const e of entries.rows) {
        if (e.section === VALUE) {
          const p = e.key.split('.');
          parentOf(data, p)[p[p.length - 1]] = e.value;
        } else {
          const p = e.section.split('.');
          const parent = parentOf(data, p);
          const map = (parent[p[p.length - 1]] ??= {}) as Record<string, unknown>;
          map[e.key] = e.value;
        }
      }
      for (const l of logs.rows) (get(data, [l.section]) as unknown[]).push(l.entry);
      const target = this.data as unknown as Record<string, unknown>;
      for (const k of Object.keys(target)) delete target[k];
      Object.assign(target, data);
      this.shadows.reset();
      this.seq = seq;
    } catch (err) {
      if (own) await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      if (own) client.release();
    }
  }

  /**
   * NOTIFY from other instances' commits: read their changes in soon (coalesced). The same connection
   * holds this instance's lock, so others know its claims are alive; it goes when the process dies (or,
   * for a vanished machine, when the server's TCP keepalive gives up: about 11 s).
   */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.url, keepAlive: true, application_name: 'duban-instance' });
    client.on('error', (err) => {
      if (this.closed) return;
      log.warn({ err: err.message }, '数据库通知连接中断，稍后重连（读取仍会先追上最新修改）');
      this.listenClient = undefined;
      setTimeout(() => void this.listen().catch(() => undefined), 2000).unref();
    });
    client.on('notification', (n) => {
      if (Number(n.payload) > this.seq && !this.refreshSoon) {
        this.refreshSoon = this.refresh()
          .catch((err) => log.warn({ err }, '读取其他实例的修改失败'))
          .finally(() => (this.refreshSoon = undefined));
      }
    });
    await client.connect();
    await client.query(`SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3; LISTEN ${NOTIFY_CHANNEL}`);
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCKS.instance, this.instanceId]);
    if (this.closed) await client.end();
    else this.listenClient = client;
  }

  private emit(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (err) {
        log.warn({ err }, 'state change listener failed');
      }
    }
  }
}

/** Write one change record's rows. */
async function writeChanges(client: pg.PoolClient, changes: Change[]): Promise<void> {
  for (const c of changes) {
    const name = c.p.join('.');
    if ('v' in c) {
      if (c.v === undefined) await client.query('DELETE FROM state_entries WHERE section = $1 AND key = $2', [VALUE, name]);
      else await upsert(client, VALUE, [name], [c.v]);
    } else if ('m' in c) {
      const set = Object.entries(c.m.s ?? {});
      if (set.length) await upsert(client, name, set.map(([k]) => k), set.map(([, v]) => v));
      if (c.m.d?.length) await client.query('DELETE FROM state_entries WHERE section = $1 AND key = ANY($2::text[])', [name, c.m.d]);
    } else {
      if (c.a.all) await client.query('DELETE FROM state_log WHERE section = $1', [name]);
      if (c.a.drop) {
        await client.query('DELETE FROM state_log WHERE id IN (SELECT id FROM state_log WHERE section = $1 ORDER BY id LIMIT $2)', [name, c.a.drop]);
      }
      const push = c.a.all ?? c.a.push ?? [];
      if (push.length) {
        await client.query(
          'INSERT INTO state_log (section, entry) SELECT $1, e::jsonb FROM unnest($2::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n',
          [name, push.map((e) => JSON.stringify(e))],
        );
      }
    }
  }
}

async function upsert(client: pg.PoolClient, section: string, keys: string[], values: unknown[]): Promise<void> {
  await client.query(
    `INSERT INTO state_entries (section, key, value)
     SELECT $1, k, v::jsonb FROM unnest($2::text[], $3::text[]) AS t(k, v)
     ON CONFLICT (section, key) DO UPDATE SET value = excluded.value`,
    [section, keys, values.map((v) => JSON.stringify(v))],
  );
}
