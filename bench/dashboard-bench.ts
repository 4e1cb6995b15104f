/**
 * Dashboard benchmark: the overview page rendered over HTTP for a synthetic 5,000-task state
 * (9 departments, ~15,000 task×department rows, ~10,000 audit entries, deadlines on every task).
 *   npx tsx bench/dashboard-bench.ts
 * Target: overview well under 1 s (we aim for < 200 ms).
 */
import express from 'express';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDashboard } from '../src/dashboard/index.js';
import { readDashboardConfig } from '../src/dashboard/config.js';
import { loadRegistry, type LoadedPlan } from '../src/plan/load.js';
import type { Plan, Task } from '../src/plan/types.js';
import { emptyState } from '../src/state/schema.js';
import { openStore } from '../src/state/store.js';
import type { AuditEntry, StateData } from '../src/state/types.js';

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

function syntheticPlan(n: number): LoadedPlan {
  const registry = loadRegistry();
  const names = registry.names;
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const tasks: Task[] = Array.from({ length: n }, (_, i) => {
    const k = 1 + Math.floor(rand() * 5);
    const d = new Set<string>();
    while (d.size < k) d.add(names[Math.floor(rand() * names.length)]);
    const sub = 1 + Math.floor((i * 20) / n);
    return { id: i + 1, section: 1 + Math.floor((sub - 1) / 4), subsection: sub, text: `第${i + 1}项合成任务：加强协商调解能力建设，完善工作机制，落实责任分工。`, departments: [...d], lead: [], support: [], actors: [] };
  });
  const plan: Plan = {
    id: 'synthetic',
    title: 'synthetic',
    formatVersion: 1,
    sections: [1, 2, 3, 4, 5].map((i) => ({ no: CN[i - 1], index: i, title: `合成部分${i}` })),
    subsections: CN.map((no, i) => ({ no, index: i + 1, title: `合成小节${i + 1}`, section: 1 + Math.floor(i / 4) })),
    tasks,
  };
  return { plan, registry };
}

function syntheticState(loaded: LoadedPlan, now: Date): StateData {
  const s = emptyState();
  let seed = 11;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const day = (offset: number) => new Date(now.getTime() + offset * 86400_000).toISOString().slice(0, 10);
  const actor = { channel: 'telegram' as const, name: 'bench' };
  const history: AuditEntry[] = [];
  for (const t of loaded.plan.tasks) {
    s.deadlines[`${loaded.plan.id}:${t.id}`] = { date: day(Math.floor(rand() * 120) - 40) };
    for (const d of t.departments) {
      const r = rand();
      if (r < 0.35) continue;
      const status = r < 0.7 ? '进行中' : '已完成';
      const at = new Date(now.getTime() - Math.floor(rand() * 90 * 86400_000)).toISOString();
      s.progress[`${loaded.plan.id}:${t.id}|${d}`] = { status, note: `第${t.id}项进展说明`, updatedAt: at, updatedBy: actor };
      history.push({ at, action: 'status', actor, taskId: t.id, department: d, old: { status: '进行中' }, new: { status } });
    }
  }
  s.history = history.sort((a, b) => (a.at < b.at ? -1 : 1));
  return s;
}

export async function dashboardBench(tasks = 5000): Promise<string> {
  const now = new Date('2026-05-20T02:00:00Z');
  const loaded = syntheticPlan(tasks);
  const dir = await mkdtemp(path.join(tmpdir(), 'duban-dash-bench-'));
  await writeFile(path.join(dir, 'state.json'), JSON.stringify(syntheticState(loaded, now)));
  const store = await openStore({ dir, loaded, clock: () => now, fsync: false });
  const dash = createDashboard({
    config: readDashboardConfig({ DASHBOARD_PASSWORD: 'bench-password-1' }),
    store,
    qa: { searchIn: () => [] },
    clock: () => now,
  });
  const app = express();
  app.use('/admin', dash.router);
  const server = await new Promise<import('node:http').Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`;
  try {
    const login = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ name: 'bench', password: 'bench-password-1' }), redirect: 'manual' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const time = async (p: string, runs = 7) => {
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const res = await fetch(`${base}${p}`, { headers: { cookie } });
        const body = await res.arrayBuffer();
        ms.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${p} → ${res.status}`);
        bytes = body.byteLength;
      }
      const sorted = [...ms].sort((a, b) => a - b);
      return { first: ms[0], median: sorted[Math.floor(sorted.length / 2)], bytes };
    };
    const ov = await time('/');
    const tl = await time('/tasks');
    const fl = await time('/tasks?dept=%E6%80%BB%E5%B7%A5%E4%BC%9A&due=overdue');
    const tp = await time('/tasks/2500');
    const xl = await time('/export/ledger.xlsx', 2);
    const rows = store.rows().length;
    const f = (x: { first: number; median: number; bytes: number }) => `${x.median.toFixed(0)} ms median (first ${x.first.toFixed(0)} ms), ${(x.bytes / 1024).toFixed(0)} KB`;
    return [
      `  synthetic state:        ${tasks} tasks, ${rows} task×department rows, ${store.history().length} audit entries`,
      `  overview  GET /admin/:  ${f(ov)}   (target < 1000 ms)`,
      `  task list (200/page):   ${f(tl)}`,
      `  filtered task list:     ${f(fl)}`,
      `  task page:              ${f(tp)}`,
      `  ledger export .xlsx:    ${f(xl)}`,
    ].join('\n');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`督办助手 dashboard bench — node ${process.version}`);
  console.log(await dashboardBench());
}
