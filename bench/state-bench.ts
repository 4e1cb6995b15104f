/**
 * State and reminder benchmark at a large synthetic size: 5,000 tasks across 300 departments.
 *   npx tsx bench/state-bench.ts [--fsync=false]
 * Measures (1) one scheduling tick: computing every department's reminders for Monday morning
 * (compute only, and compute + persisting the outbox rows), and (2) the persistence latency of a
 * status update (p50/p99) at that state size. Targets: tick < 1 s; update p99 < 50 ms.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DepartmentRegistry } from '../src/plan/departments.js';
import type { LoadedPlan } from '../src/plan/load.js';
import type { Plan, Task } from '../src/plan/types.js';
import { openStore } from '../src/state/store.js';
import { defaultReminderConfig } from '../src/reminders/config.js';
import { createReminderService } from '../src/reminders/service.js';

export interface StateBenchResult {
  tasks: number;
  departments: number;
  pairs: number;
  stateBytes: number;
  previewMs: number;
  tickMs: number;
  rowsPlanned: number;
  updateP50Ms: number;
  updateP99Ms: number;
  updateMaxMs: number;
  /** The 10:10 tick that plans escalations of every stalled overdue task. */
  escalationTickMs: number;
  escalationRows: number;
  /** Building and rendering one weekly 督办通报 (.docx) at this size. */
  reportMs: number;
  /** Longest event-loop delay while the report was built. */
  reportLoopMaxMs: number;
  reportBytes: number;
  /** Claiming every row the Monday tick planned, all at once, as the sender does before sending. */
  claimMs: number;
  claimed: number;
  fsync: boolean;
  backend: 'file' | 'postgres';
}

function syntheticPlan(tasks: number, departments: number): LoadedPlan {
  const names = Array.from({ length: departments }, (_, i) => `部门${i + 1}`);
  const registry = new DepartmentRegistry({
    version: 1,
    coordinator: names[0],
    departments: names.map((n) => ({ name: n, fullName: `${n}全称`, aliases: [] })),
  });
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const list: Task[] = Array.from({ length: tasks }, (_, i) => {
    const k = 1 + Math.floor(rand() * 5);
    const depts = new Set<string>();
    while (depts.size < k) depts.add(names[Math.floor(rand() * departments)]);
    return { id: i + 1, section: 1, subsection: 1, text: `第${i + 1}项合成任务：加强协商调解能力建设，完善工作机制，落实责任分工。`, departments: [...depts], lead: [], support: [], actors: [] };
  });
  const plan: Plan = {
    id: 'synthetic',
    title: 'synthetic',
    formatVersion: 1,
    sections: [{ no: '一', index: 1, title: '合成' }],
    subsections: [{ no: '一', index: 1, title: '合成', section: 1 }],
    tasks: list,
  };
  return { plan, registry };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runStateBench(
  options: { tasks?: number; departments?: number; updates?: number; fsync?: boolean; databaseUrl?: string; inspect?: (data: unknown) => void } = {},
): Promise<StateBenchResult> {
  const tasks = options.tasks ?? 5000;
  const departments = options.departments ?? 300;
  const updates = options.updates ?? 300;
  const fsync = options.fsync ?? true;
  const loaded = syntheticPlan(tasks, departments);
  const dir = await mkdtemp(path.join(tmpdir(), 'duban-bench-'));
  let now = new Date('2026-12-07T09:30:00+08:00');
  const store = await openStore({ dir, loaded, fsync, clock: () => now, databaseUrl: options.databaseUrl });
  try {
    // Realistic state: half of the pairs reported, every task with a deadline, every department bound.
    const by = { channel: 'cli' as const, name: 'bench' };
    let pairs = 0;
    await store.update((data) => {
      let i = 0;
      for (const t of loaded.plan.tasks) {
        const day = 1 + (t.id % 120);
        const d = new Date(Date.UTC(2026, 10, day));
        data.deadlines[`${loaded.plan.id}:${t.id}`] = { date: d.toISOString().slice(0, 10) };
        for (const dept of t.departments) {
          pairs++;
          if (i++ % 2 === 0) {
            const status = i % 3 === 0 ? '已完成' : '进行中';
            data.progress[`${loaded.plan.id}:${t.id}|${dept}`] = { status, note: '已部署，正在推进', updatedAt: now.toISOString(), updatedBy: by };
            data.history.push({ at: now.toISOString(), action: 'status', actor: by, taskId: t.id, department: dept, old: { status: '未开始' }, new: { status } });
          }
        }
      }
      for (const dept of loaded.registry.names) {
        data.bindings.push({ channel: 'console', chatId: `chat-${dept}`, role: 'department', department: dept, active: true, createdAt: now.toISOString(), updatedAt: now.toISOString(), by });
      }
    });
    const svc = createReminderService({ store, clock: () => now, config: defaultReminderConfig(), holidays: { days: {} } });

    // (1) One scheduling tick.
    let t0 = performance.now();
    const preview = svc.preview(new Date('2026-12-07T09:00:00+08:00'), undefined, 60);
    const previewMs = performance.now() - t0;
    await store.update((d) => {
      d.planner.lastPlannedAt = '2026-12-07T01:00:00.000Z';
    });
    t0 = performance.now();
    const planned = await svc.tick(now);
    const tickMs = performance.now() - t0;
    if (planned.length === 0 || preview.length === 0) throw new Error('bench: nothing planned');

    // (1b) The escalation tick: every overdue task of every department checked against the workday calendar.
    now = new Date('2026-12-07T10:40:00+08:00');
    t0 = performance.now();
    const escalated = await svc.tick(now);
    const escalationTickMs = performance.now() - t0;
    const escalationRows = escalated.filter((r) => r.kind === 'escalation').length;

    // (1c) One weekly report, built from the whole state and rendered to .docx (in a worker thread):
    // the wall time, and the longest the event loop was held meanwhile.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    t0 = performance.now();
    const report = await svc.buildReport('2026-12-07', '2026-12-11', now);
    const reportMs = performance.now() - t0;
    loop.disable();
    const reportLoopMaxMs = loop.max / 1e6;
    now = new Date('2026-12-07T11:00:00+08:00');

    // (1d) Claiming every planned row (PostgreSQL: FOR UPDATE SKIP LOCKED under the shared write lock).
    t0 = performance.now();
    const claims = await Promise.all(planned.map((r) => store.claimOutbox(r.key)));
    const claimMs = performance.now() - t0;
    const claimed = claims.filter(Boolean).length;

    // (2) Status update persistence latency at this size (sequential, each awaited to disk).
    const lat: number[] = [];
    const list = loaded.plan.tasks;
    for (let i = 0; i < updates; i++) {
      const t = list[(i * 7919) % list.length];
      now = new Date(now.getTime() + 1000);
      const s = performance.now();
      await store.setStatus({ plan: loaded.plan.id, task: t.id }, t.departments[0], i % 2 ? '已完成' : '进行中', `更新${i}`, by);
      lat.push(performance.now() - s);
    }
    lat.sort((a, b) => a - b);
    options.inspect?.(store.data);
    const stateBytes = store.backend === 'file' ? (await stat(path.join(dir, 'state.json'))).size : JSON.stringify(store.data).length;
    return {
      tasks,
      departments,
      pairs,
      stateBytes,
      previewMs: Math.round(previewMs),
      tickMs: Math.round(tickMs),
      rowsPlanned: planned.length,
      updateP50Ms: Math.round(pct(lat, 50) * 10) / 10,
      updateP99Ms: Math.round(pct(lat, 99) * 10) / 10,
      updateMaxMs: Math.round(lat[lat.length - 1] * 10) / 10,
      escalationTickMs: Math.round(escalationTickMs),
      escalationRows,
      reportMs: Math.round(reportMs),
      reportLoopMaxMs: Math.round(reportLoopMaxMs),
      reportBytes: report.docx.length,
      claimMs: Math.round(claimMs),
      claimed,
      fsync,
      backend: store.backend,
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatStateBench(r: StateBenchResult): string {
  return [
    `state bench (${r.backend === 'file' ? 'embedded: state.json + journal' : 'PostgreSQL'}): ${r.tasks} tasks × ${r.departments} departments (${r.pairs} task-department pairs), ${r.backend === 'file' ? `state file ${(r.stateBytes / 1e6).toFixed(1)} MB, fsync ${r.fsync ? 'on' : 'off'}` : `state ${(r.stateBytes / 1e6).toFixed(1)} M characters of JSON, server fsync on`}`,
    `  scheduling tick (compute only):      ${r.previewMs} ms   (target < 1000 ms)`,
    `  scheduling tick (compute + persist): ${r.tickMs} ms, ${r.rowsPlanned} outbox rows   (target < 1000 ms)`,
    `  escalation tick (compute + persist): ${r.escalationTickMs} ms, ${r.escalationRows} escalations   (target < 1000 ms)`,
    `  weekly 督办通报 (build + .docx):    ${r.reportMs} ms in a worker, ${(r.reportBytes / 1024).toFixed(0)} KB; event loop held ≤ ${r.reportLoopMaxMs} ms   (target < 250 ms)`,
    `  claiming the Monday rows for sending: ${r.claimMs} ms for ${r.claimed} rows (all at once)`,
    `  status update persisted: p50 ${r.updateP50Ms} ms, p99 ${r.updateP99Ms} ms, max ${r.updateMaxMs} ms   (target p99 < 50 ms)`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.LOG_LEVEL ??= 'silent';
  const fsync = !process.argv.includes('--fsync=false');
  const r = await runStateBench({ fsync });
  console.log(formatStateBench(r));
  const ok = r.tickMs < 1000 && r.previewMs < 1000 && r.updateP99Ms < 50 && r.escalationTickMs < 1000 && r.reportLoopMaxMs < 250;
  console.log(ok ? '  → targets met' : '  → TARGET MISSED');
  process.exitCode = ok ? 0 : 1;
}
