import { defaultTask } from '../helpers/task.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE, openStore, PersistError, QUARANTINE_FILE, type StateStore } from '../../src/state/store.js';
import { FaultyDisk } from './faulty-disk.js';
import { plan, tempDir } from './helpers.js';

const by = { channel: 'cli' as const, name: '测试' };
const pairs = () => plan().plan.tasks.flatMap((t) => t.departments.map((d) => ({ id: t.id, d })));
const notesOf = (s: StateStore) => new Set(s.history({ action: 'status' }).map((h) => (h.new as { note?: string }).note));

/** Open a store as a process that will "crash": never closed, no lock (the test plays both processes). */
const openCrashy = (dir: string, disk?: FaultyDisk) => openStore({ dir, loaded: plan(), fsync: true, lock: false, disk, dailyBackups: false });

describe('a damaged journal record costs only that record', () => {
  it('a flipped byte in record 25 of 101: that update is lost and kept aside in the quarantine file, the 100 others survive', async () => {
    const t = await tempDir();
    try {
      const store = await openCrashy(t.dir);
      const list = pairs();
      for (let i = 1; i <= 101; i++) await store.setStatus(defaultTask(list[i].id), list[i].d, '进行中', `更新${i}`, by);
      // The process dies here; then one byte of the 25th record rots on disk.
      const file = path.join(t.dir, JOURNAL_FILE);
      const buf = await readFile(file);
      const lines = buf.toString('latin1').split('\n');
      expect(lines.filter(Boolean)).toHaveLength(101);
      const offset = lines.slice(0, 24).reduce((n, l) => n + l.length + 1, 0) + 60;
      buf[offset] ^= 0x04;
      await writeFile(file, buf);

      const after = await openCrashy(t.dir);
      const notes = notesOf(after);
      expect(notes.has('更新25')).toBe(false);
      for (let i = 1; i <= 101; i++) if (i !== 25) expect(notes.has(`更新${i}`), `更新${i}`).toBe(true);
      expect(after.status(defaultTask(list[101].id), list[101].d)?.note).toBe('更新101');
      const quarantined = await readFile(path.join(t.dir, QUARANTINE_FILE), 'utf8');
      expect(quarantined).toMatch(/第 25 行：校验和不符/);
      expect(quarantined).toContain('更新25');
      // Once quarantined, the damage is not reported again at the next start.
      const again = await openCrashy(t.dir);
      expect(notesOf(again).size).toBe(100);
      expect(await readFile(path.join(t.dir, QUARANTINE_FILE), 'utf8')).toBe(quarantined);
    } finally {
      await t.cleanup();
    }
  });

  it('a torn record in the middle (a half-written line followed by good ones) loses nothing after it', async () => {
    const t = await tempDir();
    try {
      const store = await openCrashy(t.dir);
      const list = pairs();
      for (let i = 1; i <= 30; i++) await store.setStatus(defaultTask(list[i].id), list[i].d, '进行中', `更新${i}`, by);
      const file = path.join(t.dir, JOURNAL_FILE);
      const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      lines[16] = lines[16].slice(0, 40); // what a short write used to leave behind
      await writeFile(file, `${lines.join('\n')}\n`);
      const notes = notesOf(await openCrashy(t.dir));
      expect([...Array(30).keys()].map((i) => i + 1).filter((i) => !notes.has(`更新${i}`))).toEqual([17]);
    } finally {
      await t.cleanup();
    }
  });
});

describe('the disk fills up, then has room again', () => {
  it('updates that fail are reported as failed and leave no trace; once space returns the store works again; after a crash every acknowledged update is there', async () => {
    const t = await tempDir();
    try {
      const disk = new FaultyDisk();
      const store = await openCrashy(t.dir, disk);
      const list = pairs();
      const set = (i: number) => store.setStatus(defaultTask(list[i].id), list[i].d, '已完成', `更新${i}`, by);
      for (let i = 1; i <= 10; i++) await set(i);
      disk.full = true;
      const failed = await Promise.allSettled(Array.from({ length: 20 }, (_, k) => set(11 + k)));
      for (const r of failed) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PersistError);
        expect(String((r as PromiseRejectedResult).reason.message)).toMatch(/磁盘已满.*没有生效/);
      }
      // Nothing of a failed update is in memory either.
      for (let i = 11; i <= 30; i++) expect(store.status(defaultTask(list[i].id), list[i].d)).toBeUndefined();
      expect(store.history()).toHaveLength(10);
      disk.full = false;
      for (let i = 31; i <= 40; i++) await set(i);

      const after = await openCrashy(t.dir);
      const notes = notesOf(after);
      for (let i = 1; i <= 40; i++) expect(notes.has(`更新${i}`), `更新${i}`).toBe(i <= 10 || i > 30);
      expect(await readFile(path.join(t.dir, QUARANTINE_FILE), 'utf8').catch(() => '')).toBe('');
    } finally {
      await t.cleanup();
    }
  });

  it('an fsync that fails with EIO, and a clean-up that fails too: the update is reported failed and never reappears after a crash', async () => {
    const t = await tempDir();
    try {
      const disk = new FaultyDisk();
      const store = await openCrashy(t.dir, disk);
      const list = pairs();
      await store.setStatus(defaultTask(list[1].id), list[1].d, '进行中', '更新1', by);
      disk.syncFails = true;
      disk.truncateFails = true;
      await expect(store.setStatus(defaultTask(list[2].id), list[2].d, '进行中', '更新2', by)).rejects.toThrow(/磁盘读写出错/);
      disk.syncFails = false;
      disk.truncateFails = false;
      await store.setStatus(defaultTask(list[3].id), list[3].d, '进行中', '更新3', by);
      await store.setStatus(defaultTask(list[4].id), list[4].d, '进行中', '更新4', by);
      const notes = notesOf(await openCrashy(t.dir));
      expect([...notes].sort()).toEqual(['更新1', '更新3', '更新4']);
    } finally {
      await t.cleanup();
    }
  });

  it('concurrent changes waiting behind a failed write fail with it, and memory matches the disk', async () => {
    const t = await tempDir();
    try {
      const disk = new FaultyDisk();
      const store = await openCrashy(t.dir, disk);
      const list = pairs();
      await store.setStatus(defaultTask(list[1].id), list[1].d, '进行中', '更新1', by);
      disk.full = true;
      const results = await Promise.allSettled([
        store.setStatus(defaultTask(list[2].id), list[2].d, '进行中', '更新2', by),
        store.rememberOnce('callback-1', 60_000),
        store.setDeadline(defaultTask(list[3].id), '2027-01-31', undefined, by),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      disk.full = false;
      expect(await store.rememberOnce('callback-1', 60_000)).toBe(true); // not seen: it was never stored
      const reopened = await openCrashy(t.dir);
      expect(JSON.stringify(reopened.data.progress)).toBe(JSON.stringify(store.data.progress));
      expect(reopened.deadline(defaultTask(list[3].id), list[3].d)).toBeUndefined();
      expect(reopened.history()).toEqual(store.history());
    } finally {
      await t.cleanup();
    }
  });
});

// ---------------------------------------------------------------- a real full file system, then SIGKILL

const WRITER = path.resolve(import.meta.dirname, 'fixtures/disk-writer.ts');

/** A small tmpfs when running as root and mounting is permitted; otherwise undefined (the injected disk is used). */
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
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
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
    const t = await tempDir();
    const dataDir = path.join(t.dir, 'data');
    await mkdir(dataDir);
    const real = mountTmpfs(dataDir);
    try {
      const writer = new Writer(dataDir, real ? 'tmpfs' : 'inject');
      await writer.ready();
      const ok: number[] = [];
      const failed: number[] = [];
      const update = async (id: number) => {
        const answer = await writer.send(`u ${id}`);
        if (answer.startsWith('ok ')) ok.push(id);
        else {
          expect(answer).toMatch(/保存失败（磁盘已满），这次修改没有生效/);
          failed.push(id);
        }
      };
      for (let i = 1; i <= 10; i++) await update(i);
      const filler = real ? await fillDisk(dataDir) : (await writer.send('full'), undefined);
      for (let i = 11; i <= 30; i++) await update(i);
      expect(failed.length).toBeGreaterThan(0);
      if (filler) await rm(filler);
      else await writer.send('free');
      const before = failed.length;
      for (let i = 31; i <= 40; i++) await update(i);
      expect(failed.length, 'writes fail after space returned').toBe(before);
      await writer.kill();

      const store = await openStore({ dir: dataDir, loaded: plan(), fsync: false, dailyBackups: false });
      const notes = new Set([...notesOf(store)].map((n) => Number(n?.slice(2))));
      expect(ok.filter((i) => !notes.has(i)), 'acknowledged but lost').toEqual([]);
      expect(failed.filter((i) => notes.has(i)), 'reported failed but present').toEqual([]);
      await store.close();
    } finally {
      if (real) spawnSync('umount', [dataDir]);
      await t.cleanup();
    }
  }, 60_000);
});
