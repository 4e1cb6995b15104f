/**
 * Several instances sending from one PostgreSQL outbox: a row is claimed with SELECT … FOR UPDATE SKIP
 * LOCKED, so two senders never send it twice and never wait for each other; a sender killed with rows
 * claimed leaves them to another as soon as its instance is gone, a sender that hangs once its lease has run out.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookChatId } from '../../src/channels/wecom/index.js';
import type { OutboundChannel, SendResult } from '../../src/core/types.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService } from '../../src/reminders/service.js';
import { openStore, type NewOutboxRow, type StateStore } from '../../src/state/store.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { startPgSender } from '../helpers/pg-sender.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { plan, tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => server?.stop(), 60_000);

/** Group robots of the first `n` departments, one key each, on the fake WeCom. */
function robots(n: number): { keys: string[]; bindings: string; chatIds: string[] } {
  const departments = plan().registry.names.slice(0, n);
  const keys = departments.map((_, i) => `claim-test-key-${String(i).padStart(4, '0')}`);
  return {
    keys,
    bindings: departments.map((d, i) => `${d}:${keys[i]}`).join(','),
    chatIds: departments.map((d, i) => webhookChatId(d, keys[i])),
  };
}

/** `perChat` notices to each chat, due now. */
function notices(chatIds: string[], perChat: number): NewOutboxRow[] {
  return chatIds.flatMap((chatId, c) =>
    Array.from({ length: perChat }, (_, i) => ({
      key: `claim-${c}-${i}`,
      channel: 'wecom-webhook' as const,
      chatId,
      department: '',
      kind: 'notice' as const,
      period: `p${i}`,
      text: `通知 ${c}-${i}`,
    })),
  );
}

/** Every text the fake WeCom accepted, how many times. */
function deliveries(fake: FakeWecom): Map<string, number> {
  const out = new Map<string, number>();
  for (const list of fake.webhook.values()) {
    for (const r of list) {
      const text = String(r.body.markdown?.content ?? r.body.text?.content ?? '');
      out.set(text, (out.get(text) ?? 0) + 1);
    }
  }
  return out;
}

async function allSent(store: StateStore, n: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    await store.refresh();
    if (store.outbox({ status: 'sent' }).length >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('claiming outbox rows with several instances', () => {
  it('rows another instance is claiming (locked) are skipped at once, not waited for', async () => {
    const url = await server.createDatabase();
    const t = await tempDir();
    const store = await openStore({ dir: t.dir, loaded: plan(), databaseUrl: url });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      const rows = notices(['chat-a'], 10).map((r, i) => ({ ...r, chatId: `chat-${i}` }));
      await store.plan(rows);
      // Another instance in the middle of its claim: it holds the first five rows.
      await other.query('BEGIN');
      await other.query("SELECT key FROM state_entries WHERE section = 'outbox' AND key = ANY($1::text[]) FOR UPDATE", [rows.slice(0, 5).map((r) => r.key)]);
      const claims = await Promise.all(rows.map((r) => store.claimOutbox(r.key)));
      expect(claims.map((c) => c?.key ?? null)).toEqual([...Array(5).fill(null), ...rows.slice(5).map((r) => r.key)]);
      await other.query('ROLLBACK');
      // Once that instance let go, they can be claimed; a row already claimed cannot be again.
      expect((await store.claimOutbox(rows[0].key))?.status).toBe('sending');
      expect(await store.claimOutbox(rows[5].key)).toBeUndefined();
    } finally {
      await other.end();
      await store.close();
      await t.cleanup();
    }
  });

  it('a claim of a running instance is left alone; once that instance stops, it is taken over at once', async () => {
    const url = await server.createDatabase();
    const t = await tempDir();
    const [a, b] = await Promise.all([0, 1].map(() => openStore({ dir: t.dir, loaded: plan(), databaseUrl: url })));
    try {
      expect(a.instanceId).not.toBe(b.instanceId);
      await a.enqueue({ key: 'r1', channel: 'console', chatId: 'c1', department: '', kind: 'notice', period: 'p', text: '通知' });
      expect(await a.claimOutbox('r1')).toMatchObject({ status: 'sending', claimedBy: a.instanceId });
      const lease = { staleBefore: new Date(Date.now() - 60_000).toISOString() }; // the claim is not old
      expect(await b.claimOutbox('r1', lease)).toBeUndefined();
      await a.close();
      expect(await b.claimOutbox('r1', lease)).toMatchObject({ status: 'sending', claimedBy: b.instanceId, interrupted: 1 });
      expect(b.reminderLog({ rowKey: 'r1' }).map((e) => e.event)).toEqual(['planned', 'resumed']);
    } finally {
      await a.close();
      await b.close();
      await t.cleanup();
    }
  });

  it('two instances sending the same 300 due rows at once: each delivered exactly once, both took part', async () => {
    const url = await server.createDatabase();
    const { keys, bindings, chatIds } = robots(30);
    const fake = await startFakeWecom({ webhookKeys: keys });
    const [d1, d2] = [await tempDir(), await tempDir()];
    const rows = notices(chatIds, 10);
    const seed = await openStore({ dir: d1.dir, loaded: plan(), databaseUrl: url });
    await seed.plan(rows);
    await seed.close();
    const [a, b] = await Promise.all([
      startPgSender({ databaseUrl: url, dir: d1.dir, wecomUrl: fake.url, bindings, leaseMs: 60_000 }),
      startPgSender({ databaseUrl: url, dir: d2.dir, wecomUrl: fake.url, bindings, leaseMs: 60_000 }),
    ]);
    try {
      await allSent(a.store, rows.length);
      expect(a.store.outbox({ status: 'sent' })).toHaveLength(rows.length);
      const got = deliveries(fake);
      expect(got.size).toBe(rows.length);
      expect([...got.values()].every((n) => n === 1)).toBe(true);
      expect(a.sends + b.sends).toBe(rows.length);
      expect(a.sends).toBeGreaterThan(0);
      expect(b.sends).toBeGreaterThan(0);
    } finally {
      await a.stop();
      await b.stop();
      await fake.close();
      await d1.cleanup();
      await d2.cleanup();
    }
  }, 120_000);

  it('a sender SIGKILLed with rows claimed: the other sends them as soon as that instance is gone, long before the lease, none lost', async () => {
    const url = await server.createDatabase();
    const { keys, bindings, chatIds } = robots(8);
    const fake = await startFakeWecom({ webhookKeys: keys });
    const [d1, d2] = [await tempDir(), await tempDir()];
    const rows = notices(chatIds, 4);
    const leaseMs = 120_000;
    const seed = await openStore({ dir: d1.dir, loaded: plan(), databaseUrl: url });
    await seed.plan(rows);
    await seed.close();
    // The platform receives the first sends but its answers are held: the child dies with them claimed.
    fake.holdWebhookAnswers = true;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/state/fixtures/pg-sender.ts'), url, d1.dir, fake.url, bindings, String(leaseMs)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let survivor: Awaited<ReturnType<typeof startPgSender>> | undefined;
    try {
      await new Promise<void>((resolve) => createInterface({ input: child.stdout! }).once('line', () => resolve()));
      await fake.waitFor(() => fake.heldWebhookAnswers === chatIds.length, 60_000);
      // The other instance runs meanwhile: the heads of every chat are claimed, so it sends nothing yet.
      survivor = await startPgSender({ databaseUrl: url, dir: d2.dir, wecomUrl: fake.url, bindings, leaseMs });
      const claimedAt = survivor.store.outbox({ status: 'sending' }).map((r) => Date.parse(r.claimedAt!));
      expect(claimedAt).toHaveLength(chatIds.length);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      fake.releaseWebhookAnswers();

      await allSent(survivor.store, rows.length);
      const store = survivor.store;
      expect(store.outbox({ status: 'sent' })).toHaveLength(rows.length);
      // Taken over because the instance is gone (its lock went with its connection), not by the lease;
      // counted as interrupted, not as a failed attempt.
      const resumed = store.reminderLog().filter((e) => e.event === 'resumed');
      expect(resumed).toHaveLength(chatIds.length);
      for (const e of resumed) {
        expect(Date.parse(e.at)).toBeLessThan(Math.min(...claimedAt) + leaseMs);
        expect(e.detail).toContain('实例已停止');
      }
      const interrupted = store.outbox().filter((r) => r.interrupted);
      expect(interrupted.map((r) => [r.interrupted, r.attempts])).toEqual(Array(chatIds.length).fill([1, 0]));
      // Every row arrived; only the ones whose answer the killed sender never got arrived twice.
      const got = deliveries(fake);
      expect(got.size).toBe(rows.length);
      const twice = [...got.entries()].filter(([, n]) => n > 1).map(([text]) => text).sort();
      expect(twice).toEqual(interrupted.map((r) => r.text).sort());
      expect(Math.max(...got.values())).toBe(2);
      expect(survivor.sends).toBe(rows.length);
    } finally {
      child.kill('SIGKILL');
      fake.releaseWebhookAnswers();
      await survivor?.stop();
      await fake.close();
      await d1.cleanup();
      await d2.cleanup();
    }
  }, 120_000);

  it('a send slower than its lease: the row is taken over, and the slow sender\'s late failure does not undo the delivery', async () => {
    const url = await server.createDatabase();
    const t = await tempDir();
    const [a, b] = await Promise.all([0, 1].map(() => openStore({ dir: t.dir, loaded: plan(), databaseUrl: url })));
    const config = defaultReminderConfig({ claimLeaseMs: 300, retryBaseMs: 20 });
    let releaseSlow!: () => void;
    const slowAnswer = new Promise<void>((r) => (releaseSlow = r));
    const sent: string[] = [];
    const channel = (who: string, answer: () => Promise<SendResult>): OutboundChannel => ({
      name: 'console',
      limit: { max: 4000, measure: 'chars' },
      perDestinationPerMinute: 600,
      send: async (chatId) => (sent.push(`${who} ${chatId}`), answer()),
    });
    // Instance A's platform never answers in time, then fails; instance B's answers at once.
    const slow = createReminderService({ store: a, config, channels: [channel('a', async () => (await slowAnswer, { ok: false, permanent: false, error: '超时' }))], holidays: { days: {} } });
    const quick = createReminderService({ store: b, config, channels: [channel('b', async () => ({ ok: true }))], holidays: { days: {} } });
    try {
      await a.enqueue({ key: 'slow-1', channel: 'console', chatId: 'c1', department: '', kind: 'notice', period: 'p', text: '通知' });
      slow.startSending();
      for (let i = 0; i < 200 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(sent).toEqual(['a c1']);
      await b.refresh();
      quick.startSending(); // sees the row claimed; takes it over once the lease has run out
      for (let i = 0; i < 500 && b.outboxRow('slow-1')?.status !== 'sent'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        await b.refresh();
      }
      expect(sent).toEqual(['a c1', 'b c1']);
      releaseSlow();
      await slow.idle(10_000);
      await a.refresh();
      expect(a.outboxRow('slow-1')).toMatchObject({ status: 'sent', attempts: 0, interrupted: 1 });
      expect(a.reminderLog({ rowKey: 'slow-1' }).map((e) => e.event)).toEqual(['planned', 'resumed', 'sent']);
    } finally {
      releaseSlow();
      await slow.stop();
      await quick.stop();
      await a.close();
      await b.close();
      await t.cleanup();
    }
  });
});
