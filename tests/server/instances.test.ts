/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: what one acknowledges the
 * other shows; the leader is killed in the middle of the Monday digests and the other finishes them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/state/store.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { plan, tempDir } from '../state/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(ROOT, 'tests/server/fixtures/instance.ts');

interface Instance {
  child: ChildProcess;
  url: string;
  /** Resolves when this instance has become the leader. */
  leader: Promise<void>;
  exited: Promise<string>;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', PORT: '0', HOST: '127.0.0.1', REMINDER_CATCHUP_MINUTES: '180', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}: ${stderr.slice(-2000)}`)));
  let elected!: () => void;
  const leader = new Promise<void>((r) => (elected = r));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let msg: { url?: string; leader?: boolean };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.url) resolve({ child, url: msg.url, leader, exited });
      if (msg.leader) elected();
    });
    void exited.then((why) => reject(new Error(`instance stopped before listening: ${why}`)));
  });
}

const cleanups = cleanupsAfterEach();

/** An instance with a DATA_DIR of its own; SIGKILLed and its directory removed when the test ends, whatever its outcome. */
async function startInstanceInTempDir(env: Record<string, string>): Promise<Instance & { dataDir: string }> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const instance = await startInstance({ ...env, DATA_DIR: dir.dir });
  cleanups.push(async () => {
    instance.child.kill('SIGKILL');
    await instance.exited;
  });
  return { ...instance, dataDir: dir.dir };
}

async function ask(base: string, text: string, as: string): Promise<string> {
  const res = await fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, as }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { reply: string }).reply;
}

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => server?.stop(), 60_000);

describe('two instances on one database', () => {
  it('「48 已完成」 as 法院 on one instance; 「第48项进展如何」 on the other shows it; 1,000 updates over both, none lost', async () => {
    const url = await server.createDatabase();
    const env = { DATABASE_URL: url, REMINDERS_ENABLED: 'false' };
    const a = await startInstanceInTempDir(env);
    const b = await startInstanceInTempDir(env);
    const court = plan().plan.tasks.find((t) => t.id === 48)!.departments.find((d) => d === '法院') ?? plan().plan.tasks.find((t) => t.id === 48)!.departments[0];
    expect(await ask(a.url, '48 已完成', court)).toMatch(/已记录|已完成/);
    expect(await ask(b.url, '第48项进展如何', court)).toContain('已完成');

    const pairs = plan().plan.tasks.flatMap((t) => t.departments.map((d) => ({ id: t.id, d })));
    const jobs: Array<() => Promise<string>> = Array.from({ length: 1000 }, (_, i) => {
      const p = pairs[i % pairs.length];
      return () => ask(i % 2 ? a.url : b.url, `${p.id} 进行中 批量${i}`, p.d);
    });
    // 1,000 at once, 100 in flight at a time.
    await Promise.all(Array.from({ length: 100 }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    }));
    const store = await openStore({ dir: a.dataDir, loaded: plan(), readOnly: true, databaseUrl: url });
    try {
      const notes = store.history({ action: 'status' }).map((h) => (h.new as { note?: string }).note ?? '');
      expect(notes.filter((n) => n.startsWith('批量'))).toHaveLength(1000);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('the leader is SIGKILLed during the Monday digests: the other takes over within seconds; every digest arrives, only those on the wire at the kill may arrive twice (at most once more per group)', async () => {
    const url = await server.createDatabase();
    const departments = plan().registry.names;
    const keys = departments.map((_, i) => `pgtest-key-${String(i).padStart(4, '0')}`);
    // A WeCom group-robot webhook on 127.0.0.1. It holds the leader's first sends until both instances
    // run, then answers them one by one; after the 4th answer the leader dies with the rest in flight.
    const received: Array<{ key: string; body: string }> = [];
    const held: ServerResponse[] = [];
    let armed = false;
    let onWireAtKill = -1;
    const answer = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    const webhook = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ key: new URL(req.url ?? '/', 'http://x').searchParams.get('key') ?? '', body });
        if (armed) setTimeout(() => answer(res), 20);
        else held.push(res);
      });
    });
    async function answerThenKill(leader: Instance, answered: number, databaseUrl: string): Promise<void> {
      // Wait for the leader's sends to be on the wire, answer some and let it record them, then kill it.
      for (let i = 0; i < 600 && held.length < answered + 1; i++) await new Promise((r) => setTimeout(r, 50));
      for (const res of held.splice(0, answered)) answer(res);
      const watcher = await openStore({ dir: tmpdir(), loaded: plan(), readOnly: true, databaseUrl });
      try {
        for (let i = 0; i < 600 && watcher.outbox({ status: 'sent', channel: 'wecom-webhook' }).length < answered; i++) {
          await new Promise((r) => setTimeout(r, 50));
          await watcher.refresh();
        }
      } finally {
        await watcher.close();
      }
      onWireAtKill = held.length;
      leader.child.kill('SIGKILL');
      armed = true;
      // The other instance sends too: its sends held so far are answered now (the dead one's go nowhere).
      for (const res of held.splice(0)) answer(res);
    }
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      for (const res of held.splice(0)) answer(res);
      webhook.closeAllConnections();
      webhook.close();
    });
    const hookBase = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`;
    const env = {
      DATABASE_URL: url,
      TEST_CLOCK: '2026-12-07T10:00:00+08:00', // a Monday, after the 09:10 digests (caught up at start)
      WECOM_WEBHOOK_BASE: hookBase,
      WECOM_WEBHOOK_BINDINGS: departments.map((d, i) => `${d}:${keys[i]}`).join(','),
    };
    const a = await startInstanceInTempDir(env);
    await a.leader;
    const b = await startInstanceInTempDir(env);
    await answerThenKill(a, 4, url);
    expect(await a.exited).toBe('SIGKILL');
    await b.leader; // within the poll interval once the dead leader's session is gone
    const store = await openStore({ dir: a.dataDir, loaded: plan(), readOnly: true, databaseUrl: url });
    try {
      // Wait until the new leader has nothing left to send (polling the database's change log).
      const unfinished = () => store.outbox({ channel: 'wecom-webhook' }).filter((r) => r.status === 'pending' || r.status === 'sending').length;
      for (let i = 0; i < 1200; i++) {
        await store.refresh();
        if (store.outbox({ channel: 'wecom-webhook' }).length > 0 && unfinished() === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const rows = store.outbox({ channel: 'wecom-webhook' });
      expect(rows.length).toBeGreaterThanOrEqual(departments.length);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      // Every destination got its digest; none more than one extra copy.
      for (const key of keys) {
        const got = received.filter((r) => r.key === key);
        const distinct = new Set(got.map((r) => r.body));
        expect(distinct.size).toBeGreaterThanOrEqual(1);
        expect(got.length - distinct.size).toBeLessThanOrEqual(1);
      }
      // Only the sends on the wire at the kill may have been repeated; those answered and recorded never.
      const repeats = received.length - new Set(received.map((r) => `${r.key} ${r.body}`)).size;
      expect(onWireAtKill).toBeGreaterThan(0);
      expect(repeats).toBeLessThanOrEqual(onWireAtKill);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('a reminder for a department without a group reaches the chat page of every instance, whichever sent it', async () => {
    const url = await server.createDatabase();
    // A Monday after the 09:10 digests: the leader plans them at start, for the page's inbox (no groups bound).
    const env = { DATABASE_URL: url, TEST_CLOCK: '2026-12-07T10:00:00+08:00' };
    const a = await startInstanceInTempDir(env);
    await a.leader;
    const b = await startInstanceInTempDir(env);
    const dept = plan().registry.names[0];
    const inbox = async (base: string) => {
      const res = await fetch(`${base}/api/inbox?chat=${encodeURIComponent(`dept:${dept}`)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Array<{ text: string; at: string }> }).items;
    };
    const store = await openStore({ dir: a.dataDir, loaded: plan(), readOnly: true, databaseUrl: url });
    let sent: string[] = [];
    try {
      for (let i = 0; i < 600 && sent.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await store.refresh();
        sent = store.outbox({ channel: 'web', chatId: `dept:${dept}`, status: 'sent' }).map((r) => r.text);
      }
    } finally {
      await store.close();
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]).toContain(dept);
    // Both pages show what was delivered, as soon as it was recorded (no waiting on the follower).
    expect((await inbox(b.url)).map((i) => i.text)).toEqual(sent);
    expect((await inbox(a.url)).map((i) => i.text)).toEqual(sent);
  }, 180_000);
});
