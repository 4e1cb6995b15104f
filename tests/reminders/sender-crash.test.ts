import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/state/store.js';
import { plan, tempDir } from '../state/helpers.js';

const CHILD = path.resolve(import.meta.dirname, 'fixtures/sender.ts');

describe('the bot process is killed (SIGKILL) while it is sending reminders', () => {
  it('after a restart every reminder arrives; only the one on the wire at the kill may arrive twice', async () => {
    const t = await tempDir();
    const received: string[] = [];
    let child: ChildProcess | undefined;
    let killAt = 5;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push((JSON.parse(body) as { text: string }).text);
        if (received.length === killAt) {
          killAt = -1;
          child?.kill('SIGKILL'); // dies with this request in flight
          return;
        }
        setTimeout(() => res.end('{}'), 5);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = () =>
      new Promise<string>((resolve) => {
        child = spawn(process.execPath, ['--import', 'tsx', CHILD, t.dir, url], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
        let out = '';
        child.stdout!.on('data', (d) => (out += d));
        child.on('exit', (code, signal) => resolve(signal ?? `${code}:${out.trim()}`));
      });
    try {
      const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
      for (let i = 1; i <= 12; i++) {
        await store.enqueue({ key: `r${i}`, channel: 'telegram', chatId: 'g', department: '总工会', kind: 'notice', period: String(i), text: `提醒${i}` });
      }
      await store.close();

      expect(await run()).toBe('SIGKILL');
      await rm(path.join(t.dir, 'state.lock'), { recursive: true, force: true }); // stale lock of the dead process
      expect(await run()).toBe('0:done');

      const expected = Array.from({ length: 12 }, (_, i) => `提醒${i + 1}`);
      expect(new Set(received)).toEqual(new Set(expected)); // nothing lost
      expect(received.length).toBeLessThanOrEqual(13); // at most the in-flight one twice
      expect(received.filter((x) => x === '提醒5').length).toBeGreaterThanOrEqual(1);
      const after = await openStore({ dir: t.dir, loaded: plan(), readOnly: true });
      expect(after.outbox({ status: 'sent' })).toHaveLength(12);
    } finally {
      child?.kill('SIGKILL');
      server.closeAllConnections();
      server.close();
      await t.cleanup();
    }
  }, 30_000);
});
