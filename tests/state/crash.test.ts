import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/state/store.js';
import { plan, tempDir } from './helpers.js';

const WRITER = path.resolve(import.meta.dirname, 'fixtures/writer.ts');

/** Start the writer, SIGKILL it as soon as it has acknowledged `after` updates; resolve with every acknowledged number. */
function runAndKill(dir: string, after: number, mode: string, first: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, mode, String(first)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const acked: number[] = [];
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        const m = /^ok (\d+)$/.exec(l);
        if (!m) continue;
        acked.push(Number(m[1]));
        // Killed in the middle of the burst: the next writes are already under way.
        if (acked.length === after) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe('a bot killed in the middle of writing', () => {
  it('15 SIGKILLs during bursts of updates (journal appends and full rewrites) lose nothing acknowledged, and a restart needs no clean-up', async () => {
    const t = await tempDir();
    const modes = ['', 'small-journal', 'small-journal fsync'];
    const acked: number[] = [];
    try {
      for (let round = 0; round < 15; round++) {
        const got = await runAndKill(t.dir, 3 + ((round * 7) % 25), modes[round % 3], round * 10_000 + 1);
        acked.push(...got);
        // The dead process's lock is recognised as dead: no waiting, nothing to remove by hand.
        const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false, dailyBackups: false });
        const notes = new Set(store.history({ action: 'status' }).map((h) => Number(/n=(\d+)/.exec(String((h.new as { note: string }).note))?.[1])));
        const lost = acked.filter((n) => !notes.has(n));
        expect(lost, `round ${round + 1}`).toEqual([]);
        for (const n of got) expect(store.data.seen[`k${n}`], `seen k${n}`).toBeDefined();
        await store.close();
      }
    } finally {
      await t.cleanup();
    }
  }, 120_000);
});
