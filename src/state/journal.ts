import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { realDisk, type AppendFile, type Disk } from './disk.js';
import { PersistError } from './errors.js';
import { SectionShadows, parentOf } from './shadows.js';

/**
 * Write-ahead journal for the state file (see README.md in this folder for the invariant).
 *
 * A change appends one record — the entries that changed since the last durable write, found by
 * comparing with a shadow copy of the durable state — and fsyncs it, instead of rewriting the whole
 * file; the full file is rewritten (atomically) when the journal grows, at start and at close.
 *
 * A record is one line `#<bytes> <crc32> <json>`: a torn or flipped record fails its own check and
 * costs only itself. Records carry a sequence number; the snapshot records the last one it contains.
 *
 * Memory never runs ahead of the disk for long: when a write fails, every change not yet durable is
 * undone in memory (back to the shadows) and every caller waiting on it gets the error. A failed
 * append is cut off the file; if even that fails, the next record starts on a fresh line and the next
 * write is a full snapshot that covers the failed record's sequence number, so it is never replayed.
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
  { section: 'sessions', path: ['sessions'], kind: 'map' },
  { section: 'logins', path: ['logins'], kind: 'map' },
  { section: 'uploads', path: ['uploads'], kind: 'map' },
  { section: 'robots', path: ['robots'], kind: 'map' },
  { section: 'planTexts', path: ['planTexts'], kind: 'map' },
  { section: 'chatPlans', path: ['chatPlans'], kind: 'map' },
  { section: 'reportSeq', path: ['reportSeq'], kind: 'value' },
  { section: 'bindings', path: ['bindings'], kind: 'value' },
  { section: 'outboxSeq', path: ['outboxSeq'], kind: 'value' },
  { section: 'planner', path: ['planner', 'lastPlannedAt'], kind: 'value' },
  { section: 'planner', path: ['planner', 'alerted'], kind: 'map' },
];

export type Change =
  | { p: string[]; m: { s?: Record<string, unknown>; d?: string[] } }
  | { p: string[]; a: { drop?: number; push?: unknown[]; all?: unknown[] } }
  | { p: string[]; v: unknown };

export interface JournalRecord {
  q: number;
  c: Change[];
}

export function applyRecord(data: Record<string, unknown>, record: JournalRecord): void {
  for (const c of record.c) {
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

// ---------------------------------------------------------------- record format

const NL = 0x0a;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** One self-checking line: `#<byte length> <crc32 hex> <json>\n`. */
export function encodeRecord(record: JournalRecord): Buffer {
  const body = Buffer.from(JSON.stringify(record), 'utf8');
  return Buffer.concat([Buffer.from(`#${body.length} ${hex8(crc32(body))} `, 'latin1'), body, Buffer.from('\n')]);
}

const HEADER = /^#(\d{1,10}) ([0-9a-f]{8}) /;

/** A line's record, or why it is unusable. Lines of older versions (bare JSON) are accepted when they parse. */
export function decodeLine(line: Buffer): { record: JournalRecord } | { error: string } {
  let json: string;
  if (line[0] === 0x23 /* # */) {
    const head = HEADER.exec(line.subarray(0, 24).toString('latin1'));
    if (!head) return { error: '记录头损坏' };
    const body = line.subarray(head[0].length);
    if (body.length !== Number(head[1])) return { error: `长度不符（应为 ${head[1]} 字节，实际 ${body.length}）` };
    if (hex8(crc32(body)) !== head[2]) return { error: '校验和不符' };
    json = body.toString('utf8');
  } else if (line[0] === 0x7b /* { */) json = line.toString('utf8');
  else return { error: '不是日志记录' };
  try {
    const record = JSON.parse(json) as JournalRecord;
    if (typeof record.q !== 'number' || !Array.isArray(record.c)) return { error: '记录结构不对' };
    return { record };
  } catch {
    return { error: '不是有效的 JSON' };
  }
}

export interface DamagedRecord {
  /** 1-based line number in the journal. */
  line: number;
  error: string;
  raw: Buffer;
}

export interface JournalContents {
  /** Records after `afterSeq`, in file order. */
  records: JournalRecord[];
  lastSeq: number;
  /** Lines that failed their check: each costs only itself; everything after it is still read. */
  damaged: DamagedRecord[];
  /** Lines read in total (the journal's length in records). */
  lines: number;
}

/** Read every line of the journal; damaged lines are reported, never a reason to stop reading. */
export async function readJournal(file: string, afterSeq: number): Promise<JournalContents> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], lastSeq: afterSeq, damaged: [], lines: 0 };
    throw err;
  }
  const records: JournalRecord[] = [];
  const damaged: DamagedRecord[] = [];
  let lastSeq = afterSeq;
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    let end = buf.indexOf(NL, start);
    if (end < 0) end = buf.length;
    const line = buf.subarray(start, end);
    start = end + 1;
    lineNo++;
    if (line.length === 0) continue;
    const r = decodeLine(line);
    if ('error' in r) {
      damaged.push({ line: lineNo, error: r.error, raw: Buffer.from(line) });
      continue;
    }
    if (r.record.q <= afterSeq) continue;
    records.push(r.record);
    lastSeq = Math.max(lastSeq, r.record.q);
  }
  return { records, lastSeq, damaged, lines: lineNo };
}

// ---------------------------------------------------------------- the writer

export interface JournalOptions {
  fsync: boolean;
  /** Journal size that triggers a full rewrite. */
  maxBytes: number;
  disk?: Disk;
}

export interface SnapshotWriter {
  /** The whole state as text, with journalSeq = seq. Called synchronously: it is what the shadows will match. */
  serialize(seq: number): string;
  write(text: string): Promise<void>;
}

export class Journal {
  private fh: AppendFile | undefined;
  private readonly shadows: SectionShadows;
  private needSnapshot = false;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private running = false;
  /** Length of the journal up to the end of its last good record. */
  private goodBytes = 0;
  /** A failed append could not be cut off: the next record starts on a new line. */
  private freshLine = false;
  appends = 0;
  snapshots = 0;

  constructor(
    readonly file: string,
    private readonly data: () => Record<string, unknown>,
    public seq: number,
    private readonly snapshot: SnapshotWriter,
    private readonly options: JournalOptions,
  ) {
    this.shadows = new SectionShadows(data);
  }

  async open(): Promise<void> {
    this.fh = await (this.options.disk ?? realDisk).openAppend(this.file);
    this.goodBytes = await this.fh.size();
    this.shadows.reset();
  }

  /** Sections changed by the mutation just made; undefined: unknown changes, rewrite everything. */
  markDirty(sections?: readonly string[]): void {
    if (!sections) this.needSnapshot = true;
    else this.shadows.markDirty(sections);
  }

  /** Resolves when every change marked so far is on disk; rejects (with the changes undone) when that failed. */
  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.running) void this.pump();
    });
  }

  /** Force a full rewrite now (close, start, after replay). */
  compact(): Promise<void> {
    this.needSnapshot = true;
    return this.commit();
  }

  private async writeSnapshot(): Promise<void> {
    // Serialized synchronously together with the shadows it will become: changes made while it is
    // written are diffed into the next record.
    const next = this.shadows.capture();
    this.shadows.clearDirty();
    this.needSnapshot = false;
    const text = this.snapshot.serialize(this.seq);
    try {
      await this.snapshot.write(text);
    } catch (err) {
      this.needSnapshot = true;
      throw err;
    }
    this.shadows.adopt(next);
    this.snapshots++;
    // The snapshot holds everything up to seq: the journal can start over. If it cannot be emptied
    // now, its records are all ≤ seq and replay skips them.
    try {
      await this.fh!.truncate(0);
      this.goodBytes = 0;
      this.freshLine = false;
    } catch {
      this.freshLine = true;
    }
  }

  private async appendChanges(): Promise<void> {
    const { changes, advance } = this.shadows.diff();
    if (!changes.length) return;
    // The number is used up even if the write fails: a record that reached the disk in spite of an
    // error must never be mistaken for a later one.
    const q = ++this.seq;
    const record = encodeRecord({ q, c: changes });
    const bytes = this.freshLine ? Buffer.concat([Buffer.from('\n'), record]) : record;
    try {
      await this.fh!.append(bytes);
      if (this.options.fsync) await this.fh!.sync();
    } catch (err) {
      try {
        await this.fh!.truncate(this.goodBytes);
      } catch {
        this.freshLine = true;
        this.needSnapshot = true;
      }
      throw err;
    }
    this.goodBytes += bytes.length;
    this.freshLine = false;
    advance();
    this.appends++;
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.length) {
        const batch = this.waiters;
        this.waiters = [];
        try {
          if (this.needSnapshot || this.goodBytes > this.options.maxBytes) await this.writeSnapshot();
          else await this.appendChanges();
          for (const w of batch) w.resolve();
        } catch (err) {
          // Every change not on disk is undone, and everyone waiting for one of them is told.
          this.shadows.revert();
          const failed = [...batch, ...this.waiters];
          this.waiters = [];
          const error = new PersistError(err);
          for (const w of failed) w.reject(error);
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
