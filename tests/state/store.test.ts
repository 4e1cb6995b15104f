import { defaultTask } from '../helpers/task.js';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, stopSharedPostgres } from '../helpers/postgres.js';
import { openStore, type StateStore } from '../../src/state/store.js';
import { clockAt, coordinatorActor, plan, tempDir, withStore } from './helpers.js';

const actor = { channel: 'telegram' as const, chatId: '-100', userId: '7', name: '张三' };
afterAll(stopSharedPostgres, 60_000);

describe.each(BACKENDS)('progress state survives restarts and records who changed what (%s)', (backend) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('a department marks task 48 done; after a restart the status, note and audit entry are still there', async () => {
    const s = await withStore({ clock: clockAt('2026-12-01T10:00:00+08:00') }, backend);
    cleanup = s.cleanup;
    const dept = plan().plan.tasks.find((t) => t.id === 48)!.departments[0];
    expect(s.store.statusOf(defaultTask(48), dept)).toBe('未开始');
    await s.store.setStatus(defaultTask(48), dept, '进行中', '已起草', actor);
    await s.store.setStatus(defaultTask(48), dept, '已完成', '已印发', actor);
    const store = await s.reopen();
    expect(store.status(defaultTask(48), dept)).toMatchObject({ status: '已完成', note: '已印发', updatedBy: actor });
    const h = store.history({ taskId: 48 });
    expect(h.map((e) => [e.old, e.new])).toEqual([
      [{ status: '未开始' }, { status: '进行中', note: '已起草' }],
      [{ status: '进行中', note: '已起草' }, { status: '已完成', note: '已印发' }],
    ]);
    expect(h[0]).toMatchObject({ actor, department: dept, action: 'status' });
  });

  it('refuses a department that is not responsible for the task, and an unknown task', async () => {
    const s = await withStore({}, backend);
    cleanup = s.cleanup;
    const t = plan().plan.tasks.find((x) => x.departments.length < plan().registry.names.length)!;
    const outsider = plan().registry.names.find((n) => !t.departments.includes(n))!;
    await expect(s.store.setStatus(defaultTask(t.id), outsider, '已完成', undefined, actor)).rejects.toThrow(/责任部门不包括/);
    await expect(s.store.setStatus(defaultTask(9999), '人社', '已完成', undefined, actor)).rejects.toThrow(/没有第9999项/);
  });

  it('deadlines: a per-department override wins over the task deadline; a whole section is set in one write', async () => {
    const s = await withStore({}, backend);
    cleanup = s.cleanup;
    const task = plan().plan.tasks.find((t) => t.departments.length >= 2)!;
    const [a, b] = task.departments;
    await s.store.setDeadline(defaultTask(task.id), '2026-12-31', undefined, coordinatorActor);
    await s.store.setDeadline(defaultTask(task.id), '2026-12-15', b, coordinatorActor);
    expect(s.store.deadline(defaultTask(task.id), a)).toBe('2026-12-31');
    expect(s.store.deadline(defaultTask(task.id), b)).toBe('2026-12-15');
    await expect(s.store.setDeadline(defaultTask(task.id), '2026-02-30', undefined, coordinatorActor)).rejects.toThrow(/无效/);

    const section = plan().plan.tasks.filter((t) => t.section === 2);
    const before = s.store.writeCount;
    await s.store.setDeadlines(section.map((t) => ({ task: defaultTask(t.id), date: '2027-03-31' })), coordinatorActor);
    expect(s.store.writeCount - before).toBe(1);
    expect(s.store.rows().filter((r) => section.some((t) => t.id === r.taskId)).every((r) => r.deadline === '2027-03-31')).toBe(true);
    await s.store.setDeadline(defaultTask(task.id), null, b, coordinatorActor);
    expect(s.store.deadline(defaultTask(task.id), b)).toBe(s.store.deadline(defaultTask(task.id), a));
  });

  it('rows() lists every task and department of the plan', async () => {
    const s = await withStore({}, backend);
    cleanup = s.cleanup;
    const expected = plan().plan.tasks.reduce((n, t) => n + t.departments.length, 0);
    expect(s.store.rows()).toHaveLength(expected);
  });
});

describe.each(BACKENDS)('1,000 people update progress at the same moment (%s)', (backend) => {
  it('loses none of the updates and writes only a few times', async () => {
    const s = await withStore({}, backend);
    try {
      const pairs = plan().plan.tasks.flatMap((t) => t.departments.map((d) => ({ id: t.id, d })));
      const jobs = Array.from({ length: 1000 }, (_, i) => {
        const p = pairs[i % pairs.length];
        return s.store.setStatus(defaultTask(p.id), p.d, i % 2 ? '已完成' : '进行中', `更新${i}`, { ...actor, userId: String(i) });
      });
      await Promise.all(jobs);
      expect(s.store.writeCount).toBeLessThan(20);
      const store = await s.reopen();
      expect(store.history({ action: 'status' })).toHaveLength(1000);
      // The last update of each pair wins.
      for (let i = 1000 - pairs.length; i < 1000; i++) {
        const p = pairs[i % pairs.length];
        expect(store.status(defaultTask(p.id), p.d)?.note).toBe(`更新${i}`);
      }
    } finally {
      await s.cleanup();
    }
  });
});

describe('one process per data directory', () => {
  it('a second bot on the same DATA_DIR is refused with a clear message; after close it may start', async () => {
    const t = await tempDir();
    const first = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
    try {
      await expect(openStore({ dir: t.dir, loaded: plan() })).rejects.toThrow(/正被另一个督办助手进程使用/);
    } finally {
      await first.close();
    }
    const second = await openStore({ dir: t.dir, loaded: plan() });
    await second.close();
    await t.cleanup();
  });
});

describe('the state file', () => {
  it('an old file without schemaVersion is migrated and keeps its data; a newer version is refused', async () => {
    const t = await tempDir();
    const file = path.join(t.dir, 'state.json');
    const dept = plan().plan.tasks[0].departments[0];
    await writeFile(file, JSON.stringify({ progress: { [`1|${dept}`]: { status: '进行中', updatedAt: 'x', updatedBy: { channel: 'cli' } } } }));
    const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
    expect(store.statusOf(defaultTask(1), dept)).toBe('进行中');
    expect(store.bindings()).toEqual([]);
    expect(store.liaisons(dept)).toEqual([]);
    expect(store.reports()).toEqual([]);
    expect(store.dashboardSessions.get('any')).toBeUndefined();
    expect(store.data.uploads).toEqual({});
    await store.close();
    expect(JSON.parse(await readFile(file, 'utf8')).schemaVersion).toBe(4);

    await writeFile(file, JSON.stringify({ schemaVersion: 99 }));
    await expect(openStore({ dir: t.dir, loaded: plan() })).rejects.toThrow(/版本 99/);
    await writeFile(file, '');
    await expect(openStore({ dir: t.dir, loaded: plan() })).rejects.toThrow(/空文件/);
    await writeFile(file, '{"progress": {');
    await expect(openStore({ dir: t.dir, loaded: plan() })).rejects.toThrow(/不是有效的 JSON/);
    await t.cleanup();
  });

  it('temp files a killed writer left behind are removed at start', async () => {
    const t = await tempDir();
    await mkdir(t.dir, { recursive: true });
    await writeFile(path.join(t.dir, 'state.json.1234.5.tmp'), '{"half');
    const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
    await store.close();
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(t.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await t.cleanup();
  });
});

describe.each(BACKENDS)('chat bindings and dedupe (%s)', (backend) => {
  let s: Awaited<ReturnType<typeof withStore>>;
  afterEach(async () => s.cleanup());

  it('binds, deactivates, migrates a Telegram group to a supergroup with its pending reminders, and unbinds', async () => {
    s = await withStore({}, backend);
    const store: StateStore = s.store;
    await store.bind({ channel: 'telegram', chatId: '-1', role: 'department', department: '总工会', title: '工会群' }, coordinatorActor);
    expect(store.bindingFor('telegram', '-1')).toMatchObject({ department: '总工会', active: true, title: '工会群' });
    await store.enqueue({ key: 'k1', channel: 'telegram', chatId: '-1', department: '总工会', kind: 'weekly-digest', period: '2026-W49', text: 'x' });
    await store.migrateChat('telegram', '-1', '-1001');
    expect(store.bindingFor('telegram', '-1')).toBeUndefined();
    expect(store.bindingFor('telegram', '-1001')?.department).toBe('总工会');
    expect(store.outboxRow('k1')?.chatId).toBe('-1001');
    await store.setBindingActive('telegram', '-1001', false, '机器人被移出群');
    expect(store.bindingsForDepartment('总工会')).toEqual([]);
    expect(store.bindingFor('telegram', '-1001')?.inactiveReason).toBe('机器人被移出群');
    expect(await store.unbind('telegram', '-1001', coordinatorActor)).toBe(true);
    expect(store.bindings()).toEqual([]);
    expect(store.history().map((h) => h.action)).toEqual(['bind', 'migrate-chat', 'binding-active', 'unbind']);
    await expect(store.bind({ channel: 'web', chatId: 'x', role: 'department', department: '不存在' }, coordinatorActor)).rejects.toThrow(/未登记/);
  });

  it('rememberOnce: a redelivered Telegram update is recognised even after a restart, and forgotten after its ttl', async () => {
    let now = new Date('2026-12-01T00:00:00Z').getTime();
    s = await withStore({ clock: () => new Date(now) }, backend);
    expect(await s.store.rememberOnce('tg:update:1', 60_000)).toBe(true);
    expect(await s.store.rememberOnce('tg:update:1', 60_000)).toBe(false);
    const store = await s.reopen();
    expect(await store.rememberOnce('tg:update:1', 60_000)).toBe(false);
    now += 61_000;
    expect(await store.rememberOnce('tg:update:1', 60_000)).toBe(true);
  });

  it('prunes sent outbox rows and expired seen keys older than the retention', async () => {
    let now = new Date('2026-01-01T00:00:00Z').getTime();
    s = await withStore({ clock: () => new Date(now), retentionDays: 30 }, backend);
    await s.store.enqueue({ key: 'old', channel: 'web', chatId: 'c', department: '人社', kind: 'notice', period: 'p', text: 't' });
    await s.store.enqueue({ key: 'pending', channel: 'web', chatId: 'c', department: '人社', kind: 'notice', period: 'p2', text: 't' });
    await s.store.updateOutbox('old', { status: 'sent', sentAt: new Date(now).toISOString() }, 'sent');
    await s.store.rememberOnce('m1', 1000);
    now += 31 * 86_400_000;
    const r = await s.store.prune();
    expect(r).toMatchObject({ outbox: 1, seen: 1 });
    expect(s.store.outbox().map((x) => x.key)).toEqual(['pending']);
    // A long digest delivered 20 days ago keeps only its first line.
    await s.store.enqueue({ key: 'digest', channel: 'web', chatId: 'c', department: '人社', kind: 'weekly-digest', period: 'w', text: `【督办周报】人社\n${'· 第1项 …\n'.repeat(60)}` });
    await s.store.updateOutbox('digest', { status: 'sent', sentAt: new Date(now).toISOString() }, 'sent');
    now += 20 * 86_400_000;
    expect((await s.store.prune()).compacted).toBe(1);
    expect(s.store.outboxRow('digest')?.text).toMatch(/^【督办周报】人社\n…（全文 \d+ 字，已精简）$/);
  });
});

describe.each(BACKENDS)('what is stored is exactly the state in memory (%s)', (backend) => {
  it('after every kind of change: what another process reads from the store equals the memory', async () => {
    const s = await withStore({ maxHistory: 5 }, backend);
    try {
      const { store } = s;
      const check = async () => {
        await store.flush();
        // What a process started now would see (the writer is still running: no clean close).
        const reader = await openStore({ dir: s.dir, loaded: plan(), readOnly: true, databaseUrl: s.databaseUrl });
        const { journalSeq: _a, ...onDisk } = reader.data;
        const { journalSeq: _b, ...inMemory } = JSON.parse(JSON.stringify(store.data));
        await reader.close();
        expect(onDisk).toEqual(inMemory);
      };
      const dept = plan().plan.tasks[0].departments[0];
      await store.setStatus(defaultTask(1), dept, '进行中', 'a', actor);
      await check();
      await store.bind({ channel: 'telegram', chatId: '-1', role: 'department', department: dept }, coordinatorActor);
      await store.setDeadline(defaultTask(1), '2026-12-31', dept, coordinatorActor);
      await check();
      await store.enqueue({ key: 'k', channel: 'telegram', chatId: '-1', department: dept, kind: 'notice', period: 'p', text: 't' });
      await store.claimOutbox('k');
      await check();
      await store.updateOutbox('k', { status: 'failed', lastError: 'x' }, 'failed');
      await store.retryOutbox('k', coordinatorActor);
      await store.migrateChat('telegram', '-1', '-2');
      await check();
      await store.setBindingActive('telegram', '-2', false, 'kicked');
      await store.rememberOnce('seen-1', 60_000);
      await store.setSchedule('总工会', { weeklyDigest: { weekday: 3 } }, coordinatorActor);
      await store.setHoliday('2027-01-01', 'off', '元旦', coordinatorActor);
      for (let i = 0; i < 8; i++) await store.setStatus(defaultTask(1), dept, i % 2 ? '已完成' : '进行中', `n${i}`, actor); // history trimmed at the front
      await check();
      await store.update((d) => {
        d.progress[`default:1|${dept}`].note = 'edited in place by an outside caller';
      });
      await check();
      await store.prune();
      await check();
      // A journal big enough to trigger a full rewrite, then more changes on top.
      const big = await s.reopen({ journalMaxBytes: 2000 });
      for (let i = 0; i < 30; i++) await big.setStatus(defaultTask(1), dept, '进行中', `m${i}`.padEnd(100, '.'), actor);
      await big.flush();
      const reader = await openStore({ dir: s.dir, loaded: plan(), readOnly: true, databaseUrl: s.databaseUrl });
      expect(reader.status(defaultTask(1), dept)?.note).toBe('m29'.padEnd(100, '.'));
      expect(reader.history({ action: 'status' }).length).toBe(big.history({ action: 'status' }).length);
      await reader.close();
    } finally {
      await s.cleanup();
    }
  });
});
