import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/state/store.js';
import { plan, tempDir } from './helpers.js';

const WRITER = path.resolve(import.meta.dirname, 'fixtures/writer.ts');

/** Start the writer, let it run for `ms` after it is ready, SIGKILL it; resolve with the last acknowledged write. */
function runAndKill(dir: string, ms: number, mode = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let acked = 0;
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (l === 'ready') setTimeout(() => child.kill('SIGKILL'), ms);
        const m = /^ok (\d+)$/.exec(l);
        if (m) acked = Number(m[1]);
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe('a bot killed in the middle of writing', () => {
  it('leaves a state file that loads, with every acknowledged update in it (SIGKILL, 4 rounds, during journal appends and full rewrites)', async () => {
    const t = await tempDir();
    try {
      for (const [ms, mode] of [[150, ''], [230, 'small-journal'], [310, 'small-journal fsync'], [190, '']] as const) {
        const acked = await runAndKill(t.dir, ms, mode);
        expect(acked).toBeGreaterThan(0);
        // The dead process's lock would turn stale after 15 s; an operator (or the stale check) removes it.
        await rm(path.join(t.dir, 'state.lock'), { recursive: true, force: true });
        const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
        const notes = store.history({ action: 'status' }).map((h) => Number(/n=(\d+)/.exec(String((h.new as { note: string }).note))?.[1]));
        expect(Math.max(...notes)).toBeGreaterThanOrEqual(acked);
        // Every acknowledged seen-key survived.
        expect(await store.rememberOnce(`k${acked}`, 1000)).toBe(false);
        await store.close();
      }
    } finally {
      await t.cleanup();
    }
  }, 30_000);
});
