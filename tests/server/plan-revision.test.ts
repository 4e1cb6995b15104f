/**
 * The office receives a revised version of its plan: one task dropped, so every task after it moves up one
 * number. Imported with `npm run plan -- import … --id default --yes` while the server runs, the preview says
 * which tasks moved and what happens to the dropped one; the running server then shows each department's
 * progress under the task's new number, and the dropped task's progress is gone from the active state.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPlanCli } from '../../src/cli/plan.js';
import type { DepartmentFile } from '../../src/plan/departments.js';
import { storePlan } from '../../src/plan/store.js';
import { startServer, type Running } from '../../src/server/start.js';
import { PLAN1, plan1, planWithoutTask3 } from '../plan/helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'duban-revision-'));
let running: Running | undefined;
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});


async function say(text: string, as: string): Promise<string> {
  const res = await fetch(`${running!.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, as }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { reply: string }).reply;
}

describe('a revised plan keeps its tasks’ progress', () => {
  it('progress follows the renumbered tasks; the dropped task’s progress leaves the active state', async () => {
    const first = plan1();
    storePlan(dir, { plan: { ...first.plan, id: 'default' }, departments: JSON.parse(readFileSync(path.join(PLAN1, 'departments.json'), 'utf8')) as DepartmentFile, shipped: true });
    let reloaded!: () => void;
    const reload = new Promise<void>((r) => (reloaded = r));
    running = await startServer({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir }, scheduler: false, onPlansReloaded: () => reloaded() });

    expect(await say('5 进行中 已起草实施细则', '法院')).toContain('已记录第5项进展');
    expect(await say('3 已完成 已办结', '法院')).toContain('已记录第3项进展');
    expect(await say('/deadline 5 2026-12-31', 'coordinator')).toContain('已将第5项期限设为 2026-12-31');

    const file = path.join(dir, 'revised.txt');
    writeFileSync(file, planWithoutTask3());
    let out = '';
    const code = await runPlanCli(['import', file, '--id', 'default', '--yes'], { env: { DATA_DIR: dir }, out: (s) => (out += s) });
    expect(code, out).toBe(0);
    expect(out).toContain('第4项 → 第3项');
    expect(out).toContain('删除：第3项（其进展和期限留在历史记录中，不再列入台账和提醒）');
    expect(out).toContain('确认后，改了序号或文字的任务保留原有的进展和期限（按新序号）');

    await reload;
    const status = await say('第4项进展如何', '法院');
    expect(status).toMatch(/法院：进行中（截止(?:2026年)?12月31日/);
    expect(status).toContain('备注：已起草实施细则');
    // The old task 4 is task 3 now, and has no progress: the dropped task's 已完成 did not pass to it.
    expect(await say('第3项进展如何', '法院')).toContain('法院：未开始');
    expect(running.store.history({ action: 'plan-revision' })).toHaveLength(1);
  });
});
