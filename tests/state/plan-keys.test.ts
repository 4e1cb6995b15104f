/**
 * A task is plan + number: what the state keeps for one plan's task never shows on another plan's task of the
 * same number, a revised plan's tasks keep their progress under their new numbers, and states written before
 * tasks had plans (schema 3, embedded or PostgreSQL) are read as the default plan's.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedPlan } from '../../src/plan/load.js';
import { PlanSet } from '../../src/plan/plan-set.js';
import { migrateDatabase, MIGRATIONS_DIR } from '../../src/state/pg/migrate.js';
import { openStore, rowTasks } from '../../src/state/store.js';
import { BACKENDS, stopSharedPostgres, sharedPostgres } from '../helpers/postgres.js';
import { defaultTask } from '../helpers/task.js';
import { coordinatorActor, plan, tempDir, withStore } from './helpers.js';

afterAll(() => stopSharedPostgres(), 60_000);

const actor = { channel: 'telegram' as const, chatId: '-100', userId: '7', name: '王五' };

/** Another plan that happens to use the same unit names and task numbers (another domain, another office's text). */
function lookalikePlan(): LoadedPlan {
  const base = plan();
  return { registry: base.registry, plan: { ...base.plan, id: 'p2', title: '关于推进人才集聚工程的实施意见', tasks: base.plan.tasks.map((t) => ({ ...t, text: `人才集聚：${t.text.slice(0, 8)}的第${t.id}条措施` })) } };
}

/** The default plan revised: task 3 dropped (the tasks after it move up one number), a new last task. */
function revisedPlan(): LoadedPlan {
  const base = plan();
  const kept = base.plan.tasks.filter((t) => t.id !== 3).map((t, i) => ({ ...t, id: i + 1 }));
  const added = { ...kept[kept.length - 1], id: kept.length + 1, text: '新增：建立劳动人事争议调解工作年度报告制度，每年向社会公布。' };
  return { registry: base.registry, plan: { ...base.plan, tasks: [...kept, added] } };
}

describe.each(BACKENDS)('two plans with the same numbers and unit names (%s)', (backend) => {
  it('a unit named like one of the other plan never inherits its progress or deadlines', async () => {
    const plans = new PlanSet([plan(), lookalikePlan()]);
    const s = await withStore({ plans }, backend);
    try {
      const t = plan().plan.tasks[4];
      const dept = t.departments[0];
      await s.store.setStatus({ plan: 'default', task: t.id }, dept, '已完成', '已印发', actor);
      await s.store.setDeadline({ plan: 'default', task: t.id }, '2026-12-31', undefined, coordinatorActor);
      expect(s.store.statusOf({ plan: 'p2', task: t.id }, dept)).toBe('未开始');
      expect(s.store.deadline({ plan: 'p2', task: t.id }, dept)).toBeUndefined();
      expect(s.store.rows({ department: dept }).filter((r) => r.status === '已完成')).toEqual([expect.objectContaining({ plan: 'default', taskId: t.id })]);
      const reopened = await s.reopen();
      expect(reopened.statusOf({ plan: 'default', task: t.id }, dept)).toBe('已完成');
      expect(reopened.statusOf({ plan: 'p2', task: t.id }, dept)).toBe('未开始');
    } finally {
      await s.cleanup();
    }
  });
});

describe.each(BACKENDS)('a revised plan keeps its tasks’ progress (%s)', (backend) => {
  it('renumbered tasks keep progress, deadlines and alert marks under their new numbers; a dropped task’s leave the active state for the history', async () => {
    const plans = new PlanSet([plan()]);
    const s = await withStore({ plans }, backend);
    try {
      const [t3, t5, last] = [3, 5, plan().plan.tasks.length].map((id) => plan().plan.tasks.find((t) => t.id === id)!);
      await s.store.setStatus(defaultTask(5), t5.departments[0], '进行中', '已起草', actor);
      await s.store.setDeadline(defaultTask(5), '2026-11-30', undefined, coordinatorActor);
      await s.store.setStatus(defaultTask(3), t3.departments[0], '已完成', '第三项已办结', actor);
      await s.store.setStatus(defaultTask(last.id), last.departments[0], '已完成', '最后一项', actor);
      await s.store.plan([], { alerted: [`default:5|${t5.departments[0]}|d7|2026-11-30`] });

      plans.replace([revisedPlan()]);
      const writes = s.store.writeCount;
      const [followed] = await s.store.followPlans();
      expect(s.store.writeCount).toBe(writes + 1); // one write
      expect(followed.revision.removed).toEqual([3]);
      expect(followed.dropped).toBe(1);

      expect(s.store.status(defaultTask(4), t5.departments[0])).toMatchObject({ status: '进行中', note: '已起草' });
      expect(s.store.deadline(defaultTask(4), t5.departments[0])).toBe('2026-11-30');
      expect(s.store.alerted(`default:4|${t5.departments[0]}|d7|2026-11-30`)).toBeDefined();
      expect(s.store.status(defaultTask(last.id - 1), last.departments[0])?.note).toBe('最后一项');
      // The new last task (same number as the old last one) starts afresh; task 3 is now the old task 4.
      expect(s.store.status(defaultTask(last.id), last.departments[0])).toBeUndefined();
      expect(s.store.rows().filter((r) => r.note === '第三项已办结')).toEqual([]);
      const entry = s.store.history({ action: 'plan-revision' }).at(-1)!;
      expect(JSON.stringify(entry.old)).toContain('第三项已办结');

      // Followed once: reopening (or another instance) finds nothing more to move.
      const reopened = await s.reopen({ plans });
      expect(await reopened.followPlans()).toEqual([]);
      expect(reopened.status(defaultTask(4), t5.departments[0])?.note).toBe('已起草');
    } finally {
      await s.cleanup();
    }
  });
});

/** What a schema-3 state holds about task 48 of the (then only) plan. */
const V3 = {
  progress: { '48|法院': { status: '进行中', note: '已起草', updatedAt: '2026-11-02T02:00:00.000Z', updatedBy: { channel: 'cli' } } },
  deadlines: { '48': { date: '2026-12-31', byDepartment: { 法院: '2026-12-15' } } },
  alerted: { '48|法院|d7|2026-12-15': '2026-12-08' },
  history: { at: '2026-11-02T02:00:00.000Z', action: 'status', actor: { channel: 'cli' }, taskId: 48, department: '法院', old: { status: '未开始' }, new: { status: '进行中' } },
  outbox: { key: 'k', seq: 1, channel: 'web', chatId: 'dept:法院', department: '法院', kind: 'due-soon', period: '2026-12-08', text: '【即将到期】', taskIds: [48], status: 'pending', attempts: 0, nextAttemptAt: '2026-12-08T01:00:00.000Z', createdAt: '2026-12-08T01:00:00.000Z' },
};

function expectV3Read(store: Awaited<ReturnType<typeof openStore>>): void {
  expect(store.status(defaultTask(48), '法院')).toMatchObject({ status: '进行中', note: '已起草' });
  expect(store.deadline(defaultTask(48), '法院')).toBe('2026-12-15');
  expect(store.deadline(defaultTask(48), '人社')).toBe('2026-12-31');
  expect(store.alerted('default:48|法院|d7|2026-12-15')).toBe('2026-12-08');
  expect(store.history({ plan: 'default', taskId: 48 })).toHaveLength(1);
  expect(rowTasks(store.outboxRow('k')!)).toEqual([defaultTask(48)]);
  expect(Object.keys(store.data.progress)).toEqual(['default:48|法院']);
  // The texts the keys were written for are recorded, so the next revision of the plan can move them.
  expect(store.data.planTexts.default?.['48']).toBe(plan().plan.tasks.find((t) => t.id === 48)!.text);
}

describe('a state written before tasks had plans (schema 3)', () => {
  it('embedded: the file’s bare task numbers are the default plan’s', async () => {
    const t = await tempDir();
    try {
      const file = path.join(t.dir, 'state.json');
      await writeFile(file, JSON.stringify({ schemaVersion: 3, progress: V3.progress, deadlines: V3.deadlines, planner: { alerted: V3.alerted }, history: [V3.history], outbox: { k: V3.outbox }, outboxSeq: 1 }));
      const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
      expectV3Read(store);
      await store.close();
      const saved = JSON.parse(await readFile(file, 'utf8'));
      expect(saved.schemaVersion).toBe(4);
      expect(Object.keys(saved.deadlines)).toEqual(['default:48']);
    } finally {
      await t.cleanup();
    }
  });

  it('PostgreSQL: rows written by schema 3 are rewritten by the versioned migration', async () => {
    const url = await (await sharedPostgres()).createDatabase();
    // The database as the previous version left it: only the first migration, and its rows.
    const old = await mkdtemp(path.join(tmpdir(), 'duban-mig-'));
    await copyFile(path.join(MIGRATIONS_DIR, '001_init.sql'), path.join(old, '001_init.sql'));
    const pool = new pg.Pool({ connectionString: url });
    const t = await tempDir();
    try {
      await migrateDatabase(pool, old);
      const entry = (section: string, key: string, value: unknown) => pool.query('INSERT INTO state_entries (section, key, value) VALUES ($1, $2, $3)', [section, key, JSON.stringify(value)]);
      for (const [k, v] of Object.entries(V3.progress)) await entry('progress', k, v);
      for (const [k, v] of Object.entries(V3.deadlines)) await entry('deadlines', k, v);
      for (const [k, v] of Object.entries(V3.alerted)) await entry('planner.alerted', k, v);
      await entry('outbox', 'k', V3.outbox);
      await entry('value', 'outboxSeq', 1);
      await pool.query("INSERT INTO state_log (section, entry) VALUES ('history', $1)", [JSON.stringify(V3.history)]);
      await pool.query('INSERT INTO state_changes (seq, record) VALUES (1, $1)', [JSON.stringify({ q: 1, c: [{ p: ['progress'], m: { s: V3.progress } }] })]);
      await pool.query('UPDATE state_seq SET seq = 1');

      const store = await openStore({ dir: t.dir, loaded: plan(), databaseUrl: url });
      try {
        expectV3Read(store);
      } finally {
        await store.close();
      }
      const keys = await pool.query<{ section: string; key: string }>("SELECT section, key FROM state_entries WHERE section <> 'value' ORDER BY section, key");
      expect(keys.rows.filter((r) => r.section !== 'outbox' && r.section !== 'planTexts').map((r) => `${r.section} ${r.key}`)).toEqual([
        'deadlines default:48',
        'planner.alerted default:48|法院|d7|2026-12-15',
        'progress default:48|法院',
      ]);
    } finally {
      await pool.end();
      await t.cleanup();
      await rm(old, { recursive: true, force: true });
    }
  });
});
