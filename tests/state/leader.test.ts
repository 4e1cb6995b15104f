import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLeadership } from '../../src/state/pg/leader.js';
import { LOCKS } from '../../src/state/pg/migrate.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => server?.stop(), 60_000);

const signal = () => {
  let fire!: (v?: unknown) => void;
  const p = new Promise((r) => (fire = r));
  return { p, fire };
};

describe('one leader among the instances on a database', () => {
  it('only one of three is elected; when it stops, another takes over at its next try', async () => {
    const url = await server.createDatabase();
    const elected: string[] = [];
    const next = signal();
    const start = (name: string) =>
      startLeadership({ url, pollMs: 100, onElected: async () => void (elected.push(name), elected.length === 2 && next.fire()), onLost: () => undefined });
    const a = await start('a');
    const [b, c] = await Promise.all([start('b'), start('c')]);
    try {
      expect(elected).toEqual(['a']);
      expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, false]);
      await a.stop();
      await next.p;
      expect(elected).toHaveLength(2);
      expect([b.isLeader, c.isLeader].filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });

  it("a leader whose lock connection is cut is told at once (it must stop), and a follower takes over", async () => {
    const url = await server.createDatabase();
    const lost = signal();
    const takeover = signal();
    const a = await startLeadership({ url, pollMs: 100, onElected: async () => undefined, onLost: (err) => lost.fire(err) });
    const b = await startLeadership({ url, pollMs: 100, onElected: async () => void takeover.fire(), onLost: () => undefined });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      expect(a.isLeader).toBe(true);
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted",
        [LOCKS.leader],
      );
      expect(rows[0].n).toBe(1);
      expect(await lost.p).toBeInstanceOf(Error);
      expect(a.isLeader).toBe(false);
      await takeover.p;
      expect(b.isLeader).toBe(true);
    } finally {
      await admin.end();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
