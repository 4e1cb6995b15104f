import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];

function tempDir() {
  const d = mkdtempSync(path.join(tmpdir(), 'duban-start-'));
  dirs.push(d);
  return d;
}

interface Started {
  exit: Promise<number | null>;
  stderr: () => string;
  stdout: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DEFAULT_PLAN_DIR: process.env.DEFAULT_PLAN_DIR, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return {
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    stderr: () => err,
    stdout: () => out,
    kill: (s) => child.kill(s),
  };
}

async function until(check: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('start-up and shutdown', () => {
  it('a wrong PORT stops start-up with one line naming the variable', async () => {
    const p = start({ PORT: 'abc', DATA_DIR: tempDir() });
    expect(await p.exit).toBe(1);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
  });

  it('a DEFAULT_PLAN_DIR without the plan stops start-up with one line naming the variable', async () => {
    const p = start({ PORT: '0', DATA_DIR: tempDir(), DEFAULT_PLAN_DIR: tempDir() });
    expect(await p.exit).toBe(1);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^配置错误 DEFAULT_PLAN_DIR: .*departments\.json/);
  });

  it('starts with embedded defaults, refuses a second process on the same data, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const first = start({ PORT: '0', DATA_DIR: dataDir });
    await until(() => first.stdout().includes('ready'));

    const second = start({ PORT: '0', DATA_DIR: dataDir, STATE_LOCK_WAIT_SECONDS: '0' });
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toMatch(/DATA_DIR|另一个|already|锁/);

    first.kill('SIGTERM');
    expect(await first.exit).toBe(0);
  });

  it('a SIGTERM during start-up (or just after "ready") stops it cleanly once started, and the data is free at once', async () => {
    const dataDir = tempDir();
    const early = start({ PORT: '0', DATA_DIR: dataDir });
    // its first log line is written while the store opens, well before "ready"
    await until(() => early.stdout().length > 0);
    early.kill('SIGTERM');
    expect(await early.exit).toBe(0);

    const next = start({ PORT: '0', DATA_DIR: dataDir, STATE_LOCK_WAIT_SECONDS: '0' });
    await until(() => next.stdout().includes('ready'));
    next.kill('SIGTERM');
    expect(await next.exit).toBe(0);
  }, 60_000);

  it('a restart right after a crash waits for the dead process’s lock and starts', async () => {
    const dataDir = tempDir();
    const crashed = start({ PORT: '0', DATA_DIR: dataDir });
    await until(() => crashed.stdout().includes('ready'));
    crashed.kill('SIGKILL');
    await crashed.exit;

    const restarted = start({ PORT: '0', DATA_DIR: dataDir });
    await until(() => restarted.stdout().includes('ready'), 40_000);
    restarted.kill('SIGTERM');
    expect(await restarted.exit).toBe(0);
  }, 60_000);
});
