import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultTask } from '../helpers/task.js';
import pg from 'pg';
import { HOOKS_FILE, webhookChatId } from '../../src/channels/wecom/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStateCli } from '../../src/cli/state.js';
import { openStore, PersistError, type StateStore } from '../../src/state/store.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { coordinatorActor, plan, tempDir } from './helpers.js';

const actor = { channel: 'wecom-app' as const, chatId: 'g1', userId: 'u1', name: '李四' };
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => server?.stop(), 60_000);

/** Two instances on one fresh database, as two servers behind a load balancer would be. */
async function twoInstances(): Promise<{ a: StateStore; b: StateStore; url: string; close: () => Promise<void> }> {
  const url = await server.createDatabase();
  const t = await tempDir();
  // Started together: the migrations run once, under their lock.
  const [a, b] = await Promise.all([
    openStore({ dir: t.dir, loaded: plan(), databaseUrl: url }),
    openStore({ dir: t.dir, loaded: plan(), databaseUrl: url }),
  ]);
  return { a, b, url, close: async () => { await a.close(); await b.close(); await t.cleanup(); } };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('two instances on one PostgreSQL database', () => {
  it('start together and migrate once; an update acknowledged on one is read on the other', async () => {
    const { a, b, url, close } = await twoInstances();
    try {
      expect(await query(url, 'SELECT version FROM schema_migrations')).toEqual([{ version: 1 }, { version: 2 }]);
      const task = plan().plan.tasks.find((t) => t.id === 48)!;
      await a.setStatus(defaultTask(48), task.departments[0], '已完成', '已印发', actor);
      await b.refresh();
      expect(b.status(defaultTask(48), task.departments[0])).toMatchObject({ status: '已完成', note: '已印发' });
      expect(b.history({ taskId: 48 })).toHaveLength(1);
      // And the other way round, with a binding (a whole-section value).
      await b.bind({ channel: 'wecom-app', chatId: 'g1', role: 'department', department: task.departments[0] }, coordinatorActor);
      await a.refresh();
      expect(a.bindingFor('wecom-app', 'g1')?.department).toBe(task.departments[0]);
    } finally {
      await close();
    }
  });

  it('a change made on one instance reaches the other by itself (NOTIFY), without a request', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const changed = new Promise<void>((resolve) => b.onChange(() => resolve()));
      await a.setHoliday('2027-01-01', 'off', '元旦', coordinatorActor);
      await changed;
      expect(b.holidayOverrides()['2027-01-01']?.type).toBe('off');
    } finally {
      await close();
    }
  });

  it('a WeCom retry landing on the other instance is recognised: of 20 racing deliveries exactly one is new', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).rememberOnce('wecom:msg:42', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('an outbox row is claimed by exactly one instance', async () => {
    const { a, b, close } = await twoInstances();
    try {
      await a.enqueue({ key: 'r1', channel: 'web', chatId: 'c', department: '', kind: 'notice', period: 'p', text: 't' });
      const claims = await Promise.all([a.claimOutbox('r1'), b.claimOutbox('r1'), a.claimOutbox('r1'), b.claimOutbox('r1')]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('1,000 updates spread over two instances at once: none lost, each instance ends with all of them', async () => {
    const { a, b, url, close } = await twoInstances();
    try {
      const pairs = plan().plan.tasks.flatMap((t) => t.departments.map((d) => ({ id: t.id, d })));
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) => {
          const p = pairs[i % pairs.length];
          return (i % 2 ? a : b).setStatus(defaultTask(p.id), p.d, '进行中', `更新${i}`, { ...actor, userId: String(i) });
        }),
      );
      await a.refresh();
      await b.refresh();
      expect(a.history({ action: 'status' })).toHaveLength(1000);
      expect(b.history({ action: 'status' })).toHaveLength(1000);
      expect(b.data.progress).toEqual(a.data.progress);
      expect(await query(url, "SELECT count(*)::int AS n FROM state_log WHERE section = 'history'")).toEqual([{ n: 1000 }]);
    } finally {
      await close();
    }
  });

  it('a change the database refuses is reported and leaves no trace, here or on the other instance', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const dept = plan().plan.tasks[0].departments[0];
      await a.setStatus(defaultTask(1), dept, '进行中', '第一次', actor);
      // PostgreSQL's jsonb cannot hold a NUL character: the transaction fails.
      await expect(a.setStatus(defaultTask(1), dept, '已完成', 'bad\u0000note', actor)).rejects.toBeInstanceOf(PersistError);
      expect(a.status(defaultTask(1), dept)).toMatchObject({ status: '进行中', note: '第一次' });
      expect(a.history()).toHaveLength(1);
      // The store goes on working.
      await a.setStatus(defaultTask(1), dept, '已完成', '第二次', actor);
      await b.refresh();
      expect(b.history().map((h) => (h.new as { note?: string }).note)).toEqual(['第一次', '第二次']);
    } finally {
      await close();
    }
  });

  it('an instance that fell behind further than the kept changes reloads the whole state', async () => {
    const { a, b, url, close } = await twoInstances();
    try {
      const dept = plan().plan.tasks[0].departments[0];
      await a.setStatus(defaultTask(1), dept, '进行中', 'x', actor);
      await query(url, 'DELETE FROM state_changes');
      await a.setStatus(defaultTask(1), dept, '已完成', 'y', actor);
      await b.refresh();
      expect(b.status(defaultTask(1), dept)?.note).toBe('y');
      expect(b.history()).toHaveLength(2);
    } finally {
      await close();
    }
  });
});

describe('moving an office from the embedded store to PostgreSQL', () => {
  it('npm run state -- migrate --to copies everything with its history, checks the counts, and refuses a database in use', async () => {
    const t = await tempDir();
    try {
      const embedded = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
      const dept = plan().plan.tasks[0].departments[0];
      await embedded.setStatus(defaultTask(1), dept, '进行中', '起草中', actor);
      await embedded.setStatus(defaultTask(1), dept, '已完成', '已印发', actor);
      await embedded.setDeadline(defaultTask(1), '2026-12-31', undefined, coordinatorActor);
      await embedded.bind({ channel: 'telegram', chatId: '-1', role: 'department', department: dept }, coordinatorActor);
      await embedded.enqueue({ key: 'k1', channel: 'telegram', chatId: '-1', department: dept, kind: 'notice', period: 'p', text: '提醒' });
      await embedded.rememberOnce('tg:update:9', 86_400_000);
      const before = JSON.parse(JSON.stringify(embedded.data));
      await embedded.close();
      delete before.journalSeq;
      // Two group robots the coordinator added with /hook, kept beside the state.
      const robots = [{ department: dept, key: 'aaaaaaaa-1111-2222-3333-444444444444' }, { department: '督办', key: 'bbbbbbbb-1111-2222-3333-444444444444' }];
      await writeFile(path.join(t.dir, HOOKS_FILE), JSON.stringify(robots));

      const url = await server.createDatabase();
      let text = '';
      const code = await runStateCli(['migrate', '--to', url], { env: { DATA_DIR: t.dir }, out: (x) => (text += x) });
      expect(text).toContain('已迁移到');
      expect(code).toBe(0);
      expect(text).toMatch(/✓ history：4\n/); // two updates, a deadline, a binding
      expect(text).toMatch(/✓ robots：2\n/);
      expect(text).toContain('plans/'); // what stays a file, said
      const moved = await openStore({ dir: t.dir, loaded: plan(), databaseUrl: url, readOnly: true });
      expect(JSON.parse(JSON.stringify(moved.data))).toEqual({
        ...before,
        robots: {
          [webhookChatId(dept, robots[0].key)]: { department: dept, key: robots[0].key },
          [webhookChatId('督办', robots[1].key)]: { department: '督办', key: robots[1].key, coordinator: true },
        },
      });
      await moved.close();

      await expect(runStateCli(['migrate', '--to', url], { env: { DATA_DIR: t.dir }, out: () => undefined })).rejects.toThrow(/已经有督办助手的数据/);
    } finally {
      await t.cleanup();
    }
  });
});
