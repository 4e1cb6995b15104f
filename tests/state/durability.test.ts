import { defaultTask } from '../helpers/task.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE, openStore, PersistError, QUARANTINE_FILE, type StateStore } from '../../src/state/store.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { FaultyDisk } from './faulty-disk.js';
import { plan, tempDir } from './helpers.js';

const by = { channel: 'cli' as const, name: '测试' };
const pairs = () => plan().plan.tasks.flatMap((t) => t.departments.map((d) => ({ id: t.id, d })));
const notesOf = (s: StateStore) => new Set(s.history({ action: 'status' }).map((h) => (h.new as { note?: string }).note));

/** Update number i: the i-th (task, department) pair of the plan gets `status` with the note 更新i. */
const update = (store: StateStore, i: number, status: '进行中' | '已完成' = '进行中') => {
  const p = pairs()[i];
  return store.setStatus(defaultTask(p.id), p.d, status, `更新${i}`, by);
};

const cleanups = cleanupsAfterEach();

/** A fresh data directory, removed when the test ends (whatever its outcome). */
async function dataDir(): Promise<string> {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Open a store as a process that will "crash": never closed, no lock (the test plays both processes). */
const openCrashy = (dir: string, disk?: FaultyDisk) => openStore({ dir, loaded: plan(), fsync: true, lock: false, disk, dailyBackups: false });

/** A crash-prone store in a fresh data directory, on a disk the test makes fail when it wants to. */
async function crashyStoreOnFaultyDisk(): Promise<{ dir: string; disk: FaultyDisk; store: StateStore }> {
  const dir = await dataDir();
  const disk = new FaultyDisk();
  return { dir, disk, store: await openCrashy(dir, disk) };
}

describe('a damaged journal record costs only that record', () => {
  it('a flipped byte in record 25 of 101: that update is lost and kept aside in the quarantine file, the 100 others survive', async () => {
    const dir = await dataDir();
    const store = await openCrashy(dir);
    for (let i = 1; i <= 101; i++) await update(store, i);
    // The process dies here; then one byte of the 25th record rots on disk.
    const file = path.join(dir, JOURNAL_FILE);
    const buf = await readFile(file);
    const lines = buf.toString('latin1').split('\n');
    expect(lines.filter(Boolean)).toHaveLength(101);
    const offset = lines.slice(0, 24).reduce((n, l) => n + l.length + 1, 0) + 60;
    buf[offset] ^= 0x04;
    await writeFile(file, buf);

    const after = await openCrashy(dir);
    const notes = notesOf(after);
    expect(notes.has('更新25')).toBe(false);
    for (let i = 1; i <= 101; i++) if (i !== 25) expect(notes.has(`更新${i}`), `更新${i}`).toBe(true);
    const last = pairs()[101];
    expect(after.status(defaultTask(last.id), last.d)?.note).toBe('更新101');
    const quarantined = await readFile(path.join(dir, QUARANTINE_FILE), 'utf8');
    expect(quarantined).toMatch(/第 25 行：校验和不符/);
    expect(quarantined).toContain('更新25');
    // Once quarantined, the damage is not reported again at the next start.
    const again = await openCrashy(dir);
    expect(notesOf(again).size).toBe(100);
    expect(await readFile(path.join(dir, QUARANTINE_FILE), 'utf8')).toBe(quarantined);
  });

  it('a torn record in the middle (a half-written line followed by good ones) loses nothing after it', async () => {
    const dir = await dataDir();
    const store = await openCrashy(dir);
    for (let i = 1; i <= 30; i++) await update(store, i);
    const file = path.join(dir, JOURNAL_FILE);
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    lines[16] = lines[16].slice(0, 40); // what a short write used to leave behind
    await writeFile(file, `${lines.join('\n')}\n`);
    const notes = notesOf(await openCrashy(dir));
    expect([...Array(30).keys()].map((i) => i + 1).filter((i) => !notes.has(`更新${i}`))).toEqual([17]);
  });
});

describe('the disk fills up, then has room again', () => {
  it('updates that fail are reported as failed and leave no trace; once space returns the store works again; after a crash every acknowledged update is there', async () => {
    const { dir, disk, store } = await crashyStoreOnFaultyDisk();
    const list = pairs();
    for (let i = 1; i <= 10; i++) await update(store, i, '已完成');
    disk.full = true;
    const failed = await Promise.allSettled(Array.from({ length: 20 }, (_, k) => update(store, 11 + k, '已完成')));
    for (const r of failed) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PersistError);
      expect(String((r as PromiseRejectedResult).reason.message)).toMatch(/磁盘已满.*没有生效/);
    }
    // Nothing of a failed update is in memory either.
    for (let i = 11; i <= 30; i++) expect(store.status(defaultTask(list[i].id), list[i].d)).toBeUndefined();
    expect(store.history()).toHaveLength(10);
    disk.full = false;
    for (let i = 31; i <= 40; i++) await update(store, i, '已完成');

    const after = await openCrashy(dir);
    const notes = notesOf(after);
    for (let i = 1; i <= 40; i++) expect(notes.has(`更新${i}`), `更新${i}`).toBe(i <= 10 || i > 30);
    expect(await readFile(path.join(dir, QUARANTINE_FILE), 'utf8').catch(() => '')).toBe('');
  });

  it('an fsync that fails with EIO, and a clean-up that fails too: the update is reported failed and never reappears after a crash', async () => {
    const { dir, disk, store } = await crashyStoreOnFaultyDisk();
    await update(store, 1);
    disk.syncFails = true;
    disk.truncateFails = true;
    await expect(update(store, 2)).rejects.toThrow(/磁盘读写出错/);
    disk.syncFails = false;
    disk.truncateFails = false;
    await update(store, 3);
    await update(store, 4);
    const notes = notesOf(await openCrashy(dir));
    expect([...notes].sort()).toEqual(['更新1', '更新3', '更新4']);
  });

  it('concurrent changes waiting behind a failed write fail with it, and memory matches the disk', async () => {
    const { dir, disk, store } = await crashyStoreOnFaultyDisk();
    const list = pairs();
    await update(store, 1);
    disk.full = true;
    const results = await Promise.allSettled([
      update(store, 2),
      store.rememberOnce('callback-1', 60_000),
      store.setDeadline(defaultTask(list[3].id), '2027-01-31', undefined, by),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    disk.full = false;
    expect(await store.rememberOnce('callback-1', 60_000)).toBe(true); // not seen: it was never stored
    const reopened = await openCrashy(dir);
    expect(JSON.stringify(reopened.data.progress)).toBe(JSON.stringify(store.data.progress));
    expect(reopened.deadline(defaultTask(list[3].id), list[3].d)).toBeUndefined();
    expect(reopened.history()).toEqual(store.history());
  });
});

// ---------------------------------------------------------------- a real full file system, then SIGKILL

const WRITER = path.resolve(import.meta.dirname, 'fixtures/disk-writer.ts');

/** A small tmpfs when running as root and mounting is permitted; otherwise false (the injected disk is used). */
function mountTmpfs(dir: string): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}

class Writer {
  readonly child: ChildProcess;
  private readonly waiting = new Map<string, (line: string) => void>();
  constructor(dir: string, mode: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, mode], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const key = line.startsWith('ok ') || line.startsWith('fail ') ? `u ${line.split(' ')[1]}` : line;
      this.waiting.get(key)?.(line);
      this.waiting.delete(key);
    });
  }
  private expect(key: string): Promise<string> {
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }
  ready() {
    return this.expect('ready');
  }
  async send(cmd: string): Promise<string> {
    const answer = this.expect(cmd === 'full' || cmd === 'free' ? 'done' : cmd);
    this.child.stdin!.write(`${cmd}\n`);
    return answer;
  }
  kill(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

/** The writer process on `dir`, ready for commands; SIGKILLed when the test ends if it still runs. */
async function startWriter(dir: string, mode: 'tmpfs' | 'inject'): Promise<Writer> {
  const writer = new Writer(dir, mode);
  cleanups.push(() => writer.kill());
  await writer.ready();
  return writer;
}

/** A data directory on a 1 MiB tmpfs when it can be mounted (`real`), else a plain one; unmounted and removed when the test ends. */
async function dataDirOnSmallFileSystem(): Promise<{ path: string; real: boolean }> {
  const dir = path.join(await dataDir(), 'data');
  await mkdir(dir);
  const real = mountTmpfs(dir);
  if (real) cleanups.push(async () => spawnSync('umount', [dir]));
  return { path: dir, real };
}

async function fillDisk(dir: string): Promise<string> {
  const file = path.join(dir, 'filler');
  const fh = await open(file, 'w');
  const chunk = Buffer.alloc(4096, 0x61);
  try {
    for (;;) await fh.write(chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await fh.close();
  }
  return file;
}

describe('DATA_DIR on a file system that fills up, then SIGKILL and restart', () => {
  it('every acknowledged update survives, none reported as failed appears, and writes succeed again once space is freed', async () => {
    const data = await dataDirOnSmallFileSystem();
    const writer = await startWriter(data.path, data.real ? 'tmpfs' : 'inject');
    const ok: number[] = [];
    const failed: number[] = [];
    const sendUpdate = async (id: number) => {
      const answer = await writer.send(`u ${id}`);
      if (answer.startsWith('ok ')) ok.push(id);
      else {
        expect(answer).toMatch(/保存失败（磁盘已满），这次修改没有生效/);
        failed.push(id);
      }
    };
    for (let i = 1; i <= 10; i++) await sendUpdate(i);
    const filler = data.real ? await fillDisk(data.path) : (await writer.send('full'), undefined);
    for (let i = 11; i <= 30; i++) await sendUpdate(i);
    expect(failed.length).toBeGreaterThan(0);
    if (filler) await rm(filler);
    else await writer.send('free');
    const before = failed.length;
    for (let i = 31; i <= 40; i++) await sendUpdate(i);
    expect(failed.length, 'writes fail after space returned').toBe(before);
    await writer.kill();

    const store = await openStore({ dir: data.path, loaded: plan(), fsync: false, dailyBackups: false });
    cleanups.push(() => store.close());
    const notes = new Set([...notesOf(store)].map((n) => Number(n?.slice(2))));
    expect(ok.filter((i) => !notes.has(i)), 'acknowledged but lost').toEqual([]);
    expect(failed.filter((i) => notes.has(i)), 'reported failed but present').toEqual([]);
  }, 60_000);
});
