import { readFile, open, unlink, mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { StoreError } from './errors.js';

/**
 * One process per data directory. The lock file names its holder (pid, the process's start time from
 * /proc, host). A holder is alive while that pid runs with that start time — no timers, no refresh:
 * a process whose event loop is busy for minutes keeps its lock, and one killed with SIGKILL loses it
 * the moment it is gone (a reused pid has another start time). Taking over a dead holder's lock goes
 * through a short-lived guard directory, so two starters never both win.
 */
export interface LockHolder {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22); absent off Linux. */
  start?: string;
  host: string;
  at: string;
}

export interface HeldLock {
  readonly file: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for a live holder to go away (default: not at all). */
  waitMs?: number;
  /** Called when the lock file no longer names this process (someone removed or replaced it). */
  onLost?: (holder: LockHolder | undefined) => void;
  /** How often to check that the lock file still names this process (default 10 s; 0: never). */
  checkEveryMs?: number;
}

async function startTime(pid: number | 'self'): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the holder is certainly gone; a holder on another host is assumed alive. */
export async function holderGone(h: LockHolder): Promise<boolean> {
  if (h.host !== hostname()) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  if (h.start === undefined) return false;
  const now = await startTime(h.pid);
  return now !== undefined && now !== h.start;
}

export async function readHolder(file: string): Promise<LockHolder | 'unreadable' | 'directory' | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    const h = JSON.parse(text) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : 'unreadable';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') return 'directory';
    return 'unreadable';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ageMs = async (file: string) => Date.now() - (await stat(file)).mtimeMs;

/** Whether whatever is at `file` may be removed: a dead holder, or debris old enough that no live starter can still be writing it. */
async function isStale(file: string, h: Exclude<Awaited<ReturnType<typeof readHolder>>, undefined>): Promise<boolean> {
  if (h === 'unreadable') return (await ageMs(file).catch(() => 0)) > 5_000;
  // The mkdir lock of versions before this one, refreshed every 5 s while its process lives.
  if (h === 'directory') return (await ageMs(file).catch(() => 0)) > 15_000;
  return holderGone(h);
}

export function describeHolder(h: LockHolder): string {
  return h.host === hostname() ? `进程 ${h.pid}` : `主机 ${h.host} 上的进程 ${h.pid}`;
}

export async function acquireLock(file: string, options: LockOptions = {}): Promise<HeldLock> {
  const me: LockHolder = { pid: process.pid, start: await startTime('self'), host: hostname(), at: new Date().toISOString() };
  const mine = JSON.stringify(me);
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    try {
      const fh = await open(file, 'wx', 0o644);
      try {
        await fh.writeFile(mine);
        await fh.sync();
      } finally {
        await fh.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const h = await readHolder(file);
    if (h === undefined) continue;
    if (await isStale(file, h)) {
      await takeOver(file, h);
      continue;
    }
    if (Date.now() < deadline) {
      await sleep(250);
      continue;
    }
    const who = typeof h === 'object' ? describeHolder(h) : '另一个进程';
    const remote = typeof h === 'object' && h.host !== hostname();
    throw new StoreError(
      `数据目录 ${path.dirname(file)} 正被另一个督办助手进程使用（${who}，锁 ${file}）。同一数据目录只能运行一个进程；` +
        (remote ? '如确认该主机上的进程已停止，删除该锁文件后再启动。' : '请先停止它再启动。'),
    );
  }

  let timer: NodeJS.Timeout | undefined;
  const every = options.checkEveryMs ?? 10_000;
  if (every > 0) {
    timer = setInterval(() => {
      void readHolder(file).then((h) => {
        if (typeof h === 'object' && h.pid === me.pid && h.start === me.start && h.host === me.host) return;
        clearInterval(timer);
        options.onLost?.(typeof h === 'object' ? h : undefined);
      });
    }, every);
    timer.unref();
  }
  return {
    file,
    async release() {
      if (timer) clearInterval(timer);
      const h = await readHolder(file);
      if (typeof h === 'object' && h.pid === me.pid && h.start === me.start) await unlink(file).catch(() => undefined);
    },
  };
}

/** Remove a dead holder's lock, unless someone else got there first. */
async function takeOver(file: string, seen: Exclude<Awaited<ReturnType<typeof readHolder>>, undefined>): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    await mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another starter is taking over; its guard lives for milliseconds unless it died holding it.
    if ((await ageMs(guard).catch(() => 0)) > 10_000) await rmdir(guard).catch(() => undefined);
    else await sleep(50);
    return;
  }
  try {
    const now = await readHolder(file);
    const same =
      now === seen || (typeof now === 'object' && typeof seen === 'object' && now.pid === seen.pid && now.start === seen.start && now.at === seen.at);
    if (same) await rm(file, { recursive: true, force: true });
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}
