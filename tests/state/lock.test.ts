import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, utimes, writeFile, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, openStore } from '../../src/state/store.js';
import { plan, tempDir } from './helpers.js';

const HOLDER = path.resolve(import.meta.dirname, 'fixtures/lock-holder.ts');

function holder(dir: string, mode = ''): { child: ChildProcess; first: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir, mode], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
  const first = new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, first };
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('one bot per data directory', () => {
  it('a holder whose event loop is blocked keeps the lock however old the lock file looks; once it is killed the next start takes over at once', async () => {
    const t = await tempDir();
    const h = holder(t.dir, 'block');
    try {
      expect(await h.first).toBe('locked');
      const lock = path.join(t.dir, LOCK_FILE);
      const old = new Date(Date.now() - 3_600_000);
      await utimes(lock, old, old); // a timer-refreshed lock would look an hour stale
      await expect(openStore({ dir: t.dir, loaded: plan(), lock: { waitMs: 1000 } })).rejects.toThrow(
        new RegExp(`正被另一个督办助手进程使用（进程 ${h.child.pid}`),
      );
      expect(h.child.exitCode).toBeNull();
      await killed(h.child);
      const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false, dailyBackups: false });
      expect(JSON.parse(await readFile(lock, 'utf8')).pid).toBe(process.pid);
      await store.close();
    } finally {
      h.child.kill('SIGKILL');
      await t.cleanup();
    }
  }, 30_000);

  it('a lock left by a dead process, by a reused pid, or by an old version long gone is taken over', async () => {
    const t = await tempDir();
    const lock = path.join(t.dir, LOCK_FILE);
    try {
      const open = () => openStore({ dir: t.dir, loaded: plan(), fsync: false, dailyBackups: false });
      await writeFile(lock, JSON.stringify({ pid: 2 ** 22 + 7, start: '1', host: hostname(), at: '2026-01-01T00:00:00Z' }));
      await (await open()).close();
      // pid 1 is alive, but it is not the process that wrote this lock (another start time).
      await writeFile(lock, JSON.stringify({ pid: 1, start: '123456789012', host: hostname(), at: '2026-01-01T00:00:00Z' }));
      await (await open()).close();
      await mkdir(lock); // proper-lockfile's directory, last refreshed an hour ago
      const old = new Date(Date.now() - 3_600_000);
      await utimes(lock, old, old);
      await (await open()).close();
    } finally {
      await t.cleanup();
    }
  });

  it('four bots started at once over a dead holder\'s lock: exactly one runs', async () => {
    const t = await tempDir();
    await writeFile(path.join(t.dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 9, start: '1', host: hostname(), at: '2026-01-01T00:00:00Z' }));
    const bots = Array.from({ length: 4 }, () => holder(t.dir));
    try {
      const answers = await Promise.all(bots.map((b) => b.first));
      expect(answers.filter((a) => a === 'locked')).toHaveLength(1);
      expect(answers.filter((a) => a.startsWith('refused: ') && a.includes('正被另一个督办助手进程使用'))).toHaveLength(3);
    } finally {
      for (const b of bots) b.child.kill('SIGKILL');
      await t.cleanup();
    }
  }, 30_000);
});
