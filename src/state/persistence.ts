import { appendFile, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { log } from '../core/log.js';
import { dailyBackupAge, newestGoodBackup, writeBackup } from './backup.js';
import type { StateBackend } from './backend.js';
import type { Disk } from './disk.js';
import { StoreError } from './errors.js';
import { DamagedFileError, SnapshotFile } from './file.js';
import { Journal, applyRecord, readJournal, type DamagedRecord, type JournalContents } from './journal.js';
import { acquireLock, describeHolder, type HeldLock, type LockHolder } from './lock.js';
import { migrate } from './schema.js';
import type { StateData } from './types.js';

export const STATE_FILE = 'state.json';
export const LOCK_FILE = 'state.lock';
export const JOURNAL_FILE = 'state.journal';
/** Damaged journal records are kept here, never thrown away. */
export const QUARANTINE_FILE = 'state.journal.quarantine';

export interface PersistenceOptions {
  dir: string;
  clock?: () => Date;
  /** fsync file and directory on every write (default true). */
  fsync?: boolean;
  /** Open without the lock and never write: changes stay in memory (previews, inspection while the bot runs). */
  readOnly?: boolean;
  /** Single-writer lock on dir; false only for tests. */
  lock?: false | { waitMs?: number; onLost?: (holder: LockHolder | undefined) => void; checkEveryMs?: number };
  /** Journal size that triggers a full rewrite (default 8 MB). */
  journalMaxBytes?: number;
  /** File operations (the fault-injection tests pass a failing disk). */
  disk?: Disk;
  /** Daily backups in DATA_DIR/backups (default on for a writer). */
  dailyBackups?: boolean;
}

const DAY = 86_400_000;

/**
 * The persistence core: one state object in memory, a snapshot file plus an fsynced journal on disk,
 * one writer per directory. See README.md in this folder for what it guarantees.
 */
export class DurableState implements StateBackend {
  private closed = false;
  private backupTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly dir: string,
    readonly data: StateData,
    readonly readOnly: boolean,
    private readonly journal: Journal | undefined,
    private readonly snapshotFile: SnapshotFile,
    private readonly lock: HeldLock | undefined,
    private readonly opts: PersistenceOptions,
  ) {}

  get file(): string {
    return this.snapshotFile.file;
  }

  static async open(opts: PersistenceOptions): Promise<DurableState> {
    const dir = path.resolve(opts.dir);
    const readOnly = opts.readOnly === true;
    const fsync = opts.fsync ?? true;
    if (!readOnly) await mkdir(dir, { recursive: true });
    let lock: HeldLock | undefined;
    if (opts.lock !== false && !readOnly) {
      lock = await acquireLock(path.join(dir, LOCK_FILE), {
        waitMs: opts.lock?.waitMs,
        checkEveryMs: opts.lock?.checkEveryMs,
        onLost:
          opts.lock?.onLost ??
          ((holder) => {
            log.fatal({ dir, holder }, `数据目录的锁已不属于本进程（${holder ? `现在属于${describeHolder(holder)}` : '锁文件被删除'}），为避免数据损坏立即退出`);
            process.exit(1);
          }),
      });
    }
    try {
      const snapshotFile = new SnapshotFile(path.join(dir, STATE_FILE), { fsync, disk: opts.disk });
      if (!readOnly) await snapshotFile.cleanTemp();
      const journalFile = path.join(dir, JOURNAL_FILE);
      const { data, replay, fresh, migratedFrom } = await load(dir, snapshotFile, journalFile, readOnly);
      if (replay.damaged.length) await quarantine(dir, replay.damaged, readOnly);
      if (replay.records.length) log.info({ file: journalFile, records: replay.records.length }, '已从日志恢复最近的修改');
      if (readOnly) return new DurableState(dir, data, true, undefined, snapshotFile, undefined, opts);

      if (fresh) log.info({ file: snapshotFile.file }, '状态文件不存在，从空状态开始');
      if (migratedFrom !== undefined) log.info({ file: snapshotFile.file, from: migratedFrom }, '状态文件已升级');
      delete data.journalSeq;
      const journal = new Journal(
        journalFile,
        () => state.data as unknown as Record<string, unknown>,
        replay.lastSeq,
        {
          serialize: (seq) => JSON.stringify({ ...state.data, journalSeq: seq }),
          write: (text) => snapshotFile.write(text),
        },
        { fsync, maxBytes: opts.journalMaxBytes ?? 8 * 1024 * 1024, disk: opts.disk },
      );
      const state: DurableState = new DurableState(dir, data, false, journal, snapshotFile, lock, opts);
      await journal.open();
      // Start from one clean file: the replayed journal folded in, the journal emptied (its damaged
      // records are in the quarantine file by now).
      await journal.compact();
      if (opts.dailyBackups !== false) {
        await state.dailyBackup();
        state.backupTimer = setInterval(() => void state.dailyBackup(), 3_600_000);
        state.backupTimer.unref();
      }
      return state;
    } catch (err) {
      await lock?.release().catch(() => undefined);
      throw err;
    }
  }

  /** Physical writes so far (journal appends and full rewrites). */
  get writeCount(): number {
    return this.journal ? this.journal.appends + this.journal.snapshots : 0;
  }

  /**
   * Apply `fn` to the state and resolve once the change is durable. `sections` lists the top-level
   * parts it touches (all when omitted: the whole file is rewritten). If the write fails, the change
   * (and any other not yet durable) is undone in memory and the promise rejects with a PersistError.
   * Read-only: the change stays in memory and is never written.
   */
  async mutate<R>(fn: (data: StateData) => R, sections?: ReadonlyArray<keyof StateData>): Promise<R> {
    if (this.closed) throw new StoreError('状态存储已关闭');
    const result = fn(this.data);
    if (this.journal) {
      this.journal.markDirty(sections as readonly string[] | undefined);
      await this.journal.commit();
    }
    return result;
  }

  /** One process owns DATA_DIR: memory is always the latest state. */
  async refresh(): Promise<void> {}

  onChange(): () => void {
    return () => undefined;
  }

  /** Wait for pending writes. */
  async flush(): Promise<void> {
    await this.journal?.commit();
  }

  /** Write a snapshot of the durable state to DATA_DIR/backups; returns its path. */
  async backup(reason: string): Promise<string> {
    await this.flush();
    const { journalSeq: _seq, ...rest } = this.data;
    return writeBackup(this.dir, JSON.stringify(rest), reason, (this.opts.clock ?? (() => new Date()))(), {
      fsync: this.opts.fsync ?? true,
      disk: this.opts.disk,
    });
  }

  /** Take the daily backup when the newest is a day old (a state with no history yet has nothing to keep). */
  async dailyBackup(): Promise<string | undefined> {
    if (this.closed || (this.data.history.length === 0 && Object.keys(this.data.outbox).length === 0)) return undefined;
    try {
      const now = (this.opts.clock ?? (() => new Date()))();
      if ((await dailyBackupAge(this.dir, now)) < DAY - 60_000) return undefined;
      return await this.backup('daily');
    } catch (err) {
      log.error({ err, dir: this.dir }, '每日备份失败');
      return undefined;
    }
  }

  /** Persist pending writes and release the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.backupTimer) clearInterval(this.backupTimer);
    if (this.journal) {
      try {
        await this.journal.compact();
      } catch (err) {
        // Everything acknowledged is in the journal already; the next start folds it in.
        log.error({ err }, '关闭时未能重写状态文件（已确认的修改都在日志里，下次启动时恢复）');
      }
      await this.journal.close();
    }
    this.closed = true;
    await this.lock?.release();
  }
}

/**
 * Read the snapshot and replay the journal over it. A damaged snapshot stops start-up with one line
 * naming the newest good backup. A reader without the lock re-reads when the writer replaced the
 * snapshot in between (its journal would then belong to the new snapshot).
 */
async function load(
  dir: string,
  snapshotFile: SnapshotFile,
  journalFile: string,
  readOnly: boolean,
): Promise<{ data: StateData; replay: JournalContents; fresh: boolean; migratedFrom?: number }> {
  for (let attempt = 0; ; attempt++) {
    const before = await identity(snapshotFile.file);
    let raw: unknown;
    let migrated: ReturnType<typeof migrate>;
    try {
      raw = await snapshotFile.read();
      migrated = migrate(raw, snapshotFile.file);
    } catch (err) {
      if (!(err instanceof DamagedFileError)) throw err;
      const good = await newestGoodBackup(dir);
      throw new StoreError(
        `${err.message}。` +
          (good ? `最新的完好备份：${good.file}（恢复：npm run state -- restore ${good.file}）` : `${path.join(dir, 'backups')} 里没有可用的备份。`),
      );
    }
    const { data, migratedFrom } = migrated;
    const replay = await readJournal(journalFile, data.journalSeq ?? 0);
    if (readOnly && attempt < 5 && (await identity(snapshotFile.file)) !== before) continue;
    for (const record of replay.records) applyRecord(data as unknown as Record<string, unknown>, record);
    return { data, replay, fresh: raw === null, migratedFrom };
  }
}

async function identity(file: string): Promise<string> {
  const s = await stat(file).catch(() => undefined);
  return s ? `${s.ino}:${s.mtimeMs}:${s.size}` : 'none';
}

/** Keep damaged records aside (appended, fsynced) before the journal is emptied; say so loudly. */
async function quarantine(dir: string, damaged: DamagedRecord[], readOnly: boolean): Promise<void> {
  const file = path.join(dir, QUARANTINE_FILE);
  const lines = damaged.map((d) => `line ${d.line}: ${d.error}`);
  if (readOnly) {
    log.warn({ damaged: damaged.length, lines }, '日志中有损坏的记录（只读打开，未处理）');
    return;
  }
  const at = new Date().toISOString();
  const text = Buffer.concat(damaged.flatMap((d) => [Buffer.from(`# ${at} ${JOURNAL_FILE} 第 ${d.line} 行：${d.error}\n`), d.raw, Buffer.from('\n')]));
  await appendFile(file, text);
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  log.error(
    { damaged: damaged.length, lines, quarantine: file },
    `日志中有 ${damaged.length} 条记录损坏，已跳过并保存到 ${file}；其余记录已恢复`,
  );
}

/** Remove a journal (restore replaces the state it belonged to). */
export async function removeJournal(dir: string): Promise<void> {
  await rm(path.join(dir, JOURNAL_FILE), { force: true });
}
