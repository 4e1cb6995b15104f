import { open, readFile, type FileHandle } from 'node:fs/promises';

/**
 * Write-ahead journal for the state file. A change appends one small JSON line (the entries that
 * changed, found by comparing with a shadow copy of the last journaled state) and fsyncs it, instead
 * of rewriting the whole file; the full file is rewritten (atomically, through lowdb) when the
 * journal grows, at start and at close. Lines carry a sequence number; the snapshot records the last
 * one it contains, so replay after a crash is exact. A torn last line (killed mid-append) was never
 * acknowledged and is ignored.
 *
 * Contract with the store: entries of map sections are replaced, never changed in place; the
 * append-only arrays are only pushed to and trimmed at the front.
 */

type Kind = 'map' | 'append' | 'value';
export interface SectionSpec {
  /** Top-level key the store marks dirty. */
  section: string;
  path: string[];
  kind: Kind;
}

export const STATE_SECTIONS: SectionSpec[] = [
  { section: 'progress', path: ['progress'], kind: 'map' },
  { section: 'deadlines', path: ['deadlines'], kind: 'map' },
  { section: 'outbox', path: ['outbox'], kind: 'map' },
  { section: 'seen', path: ['seen'], kind: 'map' },
  { section: 'schedules', path: ['schedules'], kind: 'map' },
  { section: 'holidays', path: ['holidays'], kind: 'map' },
  { section: 'history', path: ['history'], kind: 'append' },
  { section: 'reminderLog', path: ['reminderLog'], kind: 'append' },
  { section: 'liaisons', path: ['liaisons'], kind: 'map' },
  { section: 'people', path: ['people'], kind: 'map' },
  { section: 'reports', path: ['reports'], kind: 'map' },
  { section: 'reportSeq', path: ['reportSeq'], kind: 'value' },
  { section: 'bindings', path: ['bindings'], kind: 'value' },
  { section: 'outboxSeq', path: ['outboxSeq'], kind: 'value' },
  { section: 'planner', path: ['planner', 'lastPlannedAt'], kind: 'value' },
  { section: 'planner', path: ['planner', 'alerted'], kind: 'map' },
];

type Change =
  | { p: string[]; m: { s?: Record<string, unknown>; d?: string[] } }
  | { p: string[]; a: { drop?: number; push?: unknown[]; all?: unknown[] } }
  | { p: string[]; v: unknown };

interface Line {
  q: number;
  c: Change[];
}

type Shadow = Map<string, unknown> | { len: number; last: unknown } | { value: string };

function get(obj: Record<string, unknown>, path: string[]): unknown {
  let o: unknown = obj;
  for (const k of path) o = o == null ? undefined : (o as Record<string, unknown>)[k];
  return o;
}

function parentOf(obj: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (o[k] == null || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  return o;
}

export function applyLine(data: Record<string, unknown>, line: Line): void {
  for (const c of line.c) {
    const parent = parentOf(data, c.p);
    const key = c.p[c.p.length - 1];
    if ('v' in c) {
      if (c.v === undefined) delete parent[key];
      else parent[key] = c.v;
    } else if ('m' in c) {
      const map = (parent[key] ??= {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.m.s ?? {})) map[k] = v;
      for (const k of c.m.d ?? []) delete map[k];
    } else {
      if (c.a.all) parent[key] = [...c.a.all];
      else {
        const arr = (parent[key] ??= []) as unknown[];
        if (c.a.drop) arr.splice(0, c.a.drop);
        if (c.a.push) arr.push(...c.a.push);
      }
    }
  }
}

/** Read the journal lines after `afterSeq`; stops at a torn or corrupt line. */
export async function readJournal(file: string, afterSeq: number): Promise<{ lines: Line[]; lastSeq: number; torn: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], lastSeq: afterSeq, torn: false };
    throw err;
  }
  const lines: Line[] = [];
  let lastSeq = afterSeq;
  let torn = false;
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      torn = true;
      break;
    }
    if (typeof line.q !== 'number' || !Array.isArray(line.c)) {
      torn = true;
      break;
    }
    if (line.q <= afterSeq) continue;
    lines.push(line);
    lastSeq = line.q;
  }
  return { lines, lastSeq, torn };
}

export class Journal {
  private fh: FileHandle | undefined;
  private readonly shadows = new Map<string, Shadow>();
  private dirty = new Set<string>();
  private needSnapshot = false;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private running = false;
  bytes = 0;
  appends = 0;
  snapshots = 0;

  constructor(
    readonly file: string,
    private readonly data: () => Record<string, unknown>,
    public seq: number,
    /** Rewrite the whole state file (through lowdb) with journalSeq = seq. */
    private readonly snapshot: (seq: number) => Promise<void>,
    private readonly options: { fsync: boolean; maxBytes: number },
  ) {}

  async open(): Promise<void> {
    this.fh = await open(this.file, 'a');
    this.bytes = (await this.fh.stat()).size;
    this.resetShadows();
  }

  private resetShadows(): void {
    const data = this.data();
    for (const s of STATE_SECTIONS) {
      const v = get(data, s.path);
      const k = s.path.join('.');
      if (s.kind === 'map') this.shadows.set(k, new Map(Object.entries((v as Record<string, unknown>) ?? {})));
      else if (s.kind === 'append') {
        const arr = (v as unknown[]) ?? [];
        this.shadows.set(k, { len: arr.length, last: arr[arr.length - 1] });
      } else this.shadows.set(k, { value: JSON.stringify(v) ?? 'undefined' });
    }
  }

  /** Sections changed by the mutation just made; undefined: unknown changes, rewrite everything. */
  markDirty(sections?: readonly string[]): void {
    if (!sections) this.needSnapshot = true;
    else for (const s of sections) this.dirty.add(s);
  }

  /** Resolves when every change marked so far is on disk. */
  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.running) void this.pump();
    });
  }

  /** Force a full rewrite now (close, or after replay). */
  compact(): Promise<void> {
    this.needSnapshot = true;
    return this.commit();
  }

  private diff(): Change[] {
    const data = this.data();
    const changes: Change[] = [];
    for (const s of STATE_SECTIONS) {
      if (!this.dirty.has(s.section)) continue;
      const k = s.path.join('.');
      const v = get(data, s.path);
      if (s.kind === 'map') {
        const shadow = this.shadows.get(k) as Map<string, unknown>;
        const obj = (v as Record<string, unknown>) ?? {};
        const set: Record<string, unknown> = {};
        const del: string[] = [];
        let n = 0;
        for (const key of Object.keys(obj)) {
          const e = obj[key];
          if (shadow.get(key) !== e || !shadow.has(key)) {
            set[key] = e;
            shadow.set(key, e);
            n++;
          }
        }
        if (shadow.size > Object.keys(obj).length - 0) {
          for (const key of shadow.keys()) if (!(key in obj)) del.push(key);
          for (const key of del) shadow.delete(key);
        }
        if (n || del.length) changes.push({ p: s.path, m: { ...(n ? { s: set } : {}), ...(del.length ? { d: del } : {}) } });
      } else if (s.kind === 'append') {
        const shadow = this.shadows.get(k) as { len: number; last: unknown };
        const arr = (v as unknown[]) ?? [];
        let change: Change | undefined;
        if (shadow.len === 0) {
          if (arr.length) change = { p: s.path, a: { push: arr.slice() } };
        } else {
          const i = arr.lastIndexOf(shadow.last);
          if (i < 0) change = { p: s.path, a: { all: arr.slice() } };
          else {
            const drop = shadow.len - 1 - i;
            const push = arr.slice(i + 1);
            if (drop > 0 || push.length) change = { p: s.path, a: { ...(drop > 0 ? { drop } : {}), ...(push.length ? { push } : {}) } };
          }
        }
        if (change) changes.push(change);
        this.shadows.set(k, { len: arr.length, last: arr[arr.length - 1] });
      } else {
        const json = JSON.stringify(v) ?? 'undefined';
        const shadow = this.shadows.get(k) as { value: string };
        if (shadow.value !== json) {
          changes.push({ p: s.path, v });
          shadow.value = json;
        }
      }
    }
    this.dirty.clear();
    return changes;
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.length) {
        const batch = this.waiters;
        this.waiters = [];
        try {
          if (this.needSnapshot || this.bytes > this.options.maxBytes) {
            this.needSnapshot = false;
            // The shadows must match what the snapshot serializes: lowdb stringifies synchronously
            // inside this call, so changes made while it is written are diffed into the next line.
            this.dirty.clear();
            this.resetShadows();
            const written = this.snapshot(this.seq);
            await written;
            this.snapshots++;
            // The snapshot holds everything up to seq: the journal can start over.
            await this.fh!.truncate(0);
            this.bytes = 0;
          } else {
            const changes = this.diff();
            if (changes.length) {
              const line = `${JSON.stringify({ q: ++this.seq, c: changes })}\n`;
              await this.fh!.appendFile(line, 'utf8');
              if (this.options.fsync) await this.fh!.datasync();
              this.bytes += Buffer.byteLength(line);
              this.appends++;
            }
          }
          for (const w of batch) w.resolve();
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }
}
