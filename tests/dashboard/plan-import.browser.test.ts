/**
 * An administrator loads the second plan from its Word document in the dashboard of a running server, in a real
 * Chromium: a file with mistakes first (every problem listed at once, nothing stored), then plan2.docx — the
 * preview shows the new units with their derived short names — confirmed; the chat answers from it at once,
 * without a restart. Archived from the dashboard, it is no longer answered from.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentFile } from '../../src/plan/departments.js';
import { planShortName } from '../../src/plan/names.js';
import { listPlans, storePlan } from '../../src/plan/store.js';
import { startServer, type Running } from '../../src/server/start.js';
import { FIXTURES, PLAN1, PLAN2, plan1 } from '../plan/helpers.js';
import { launchBrowser, PASSWORD } from './harness.js';

describe('importing a plan from the dashboard in a real Chromium', () => {
  let running: Running;
  let dataDir: string;
  let context: BrowserContext;
  let cleanup: () => Promise<void>;
  let page: Page;

  const ask = async (text: string) => {
    const res = await fetch(`${running.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    return (await res.json()) as { tasks: Array<{ plan: string; id: number }>; reply: string };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'duban-plan-ui-'));
    const first = plan1();
    const departments = JSON.parse(readFileSync(path.join(PLAN1, 'departments.json'), 'utf8')) as DepartmentFile;
    storePlan(dataDir, { plan: { ...first.plan, id: 'default' }, departments, shipped: true });
    running = await startServer({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DASHBOARD_PASSWORD: PASSWORD }, scheduler: false });
    ({ context, cleanup } = await launchBrowser());
    page = await context.newPage();
    await page.goto(`${running.url}/admin/login`);
    await page.getByLabel('姓名').fill('王五');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/admin\/$/);
  }, 60_000);

  afterAll(async () => {
    await cleanup?.();
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists every problem of a faulty file at once and stores nothing', async () => {
    await page.goto(`${running.url}/admin/data`);
    await page.locator('#import-plan-file').setInputFiles(path.join(FIXTURES, 'hostile/several-errors.csv'));
    await page.locator('#import-plan').getByRole('button', { name: '上传并预览' }).click();
    await page.locator('#import-errors').waitFor();
    const problems = await page.locator('#import-errors li').allTextContents();
    expect(problems.length).toBeGreaterThanOrEqual(3);
    for (const p of problems) expect(p).toMatch(/^第\d+行/);
    expect(await page.locator('#confirm-plan').count()).toBe(0);
    expect(listPlans(dataDir).map((p) => p.id)).toEqual(['default']);
  });

  it('previews plan2.docx with its new units, and once confirmed the chat answers from it without a restart', async () => {
    await page.goto(`${running.url}/admin/data`);
    await page.locator('#import-plan-file').setInputFiles(path.join(PLAN2, 'plan2.docx'));
    await page.locator('#import-plan').getByRole('button', { name: '上传并预览' }).click();
    await page.locator('#confirm-plan').waitFor();
    expect(await page.locator('#plan-preview').textContent()).toContain('45 项任务');
    // The derived short name is offered for editing; the administrator renames one unit before confirming.
    const hr = page.getByLabel('市人力资源和社会保障局的简称');
    expect(await hr.inputValue()).toBe('市人社局');
    const talent = page.locator('#new-units tbody tr').filter({ hasText: '市科技和信息化局' }).locator('input[name$="-name"]');
    expect(await talent.count()).toBe(1);
    await talent.fill('市科信委');
    await page.locator('#confirm-plan').click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('已导入');
    expect(await page.locator('#plans tr[data-plan="p2"]').textContent()).toContain('使用中');

    // The router has the plan as soon as the dashboard stored it.
    const p2 = running.qa.plans().find((p) => p.plan.id === 'p2');
    expect(p2).toBeDefined();
    const a = await ask(`${planShortName(p2!.plan.title)}第5项是什么`);
    expect(a.tasks).toEqual([expect.objectContaining({ plan: 'p2', id: 5 })]);
    // The renamed unit is known by its new name, in the registry and in every task naming it.
    expect(p2!.registry.names).toContain('市科信委');
    expect(p2!.registry.names).not.toContain('市科信局');
    const own = p2!.plan.tasks.filter((t) => t.departments.includes('市科信委')).map((t) => t.id);
    expect(own.length).toBeGreaterThan(0);
    const listed = await ask('市科信委有哪些任务');
    expect(listed.tasks.filter((t) => t.plan === 'p2').map((t) => t.id).sort((x, y) => x - y)).toEqual(own);
  });

  it('archives the plan from the dashboard: it is no longer answered from', async () => {
    const title = running.qa.plans().find((p) => p.plan.id === 'p2')!.plan.title;
    page.once('dialog', (d) => void d.accept());
    await page.locator('#plans tr[data-plan="p2"]').getByRole('button', { name: '归档' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('已归档');
    expect(running.qa.plans().map((p) => p.plan.id)).toEqual(['default']);
    const a = await ask(`${planShortName(title)}第5项是什么`);
    expect(a.tasks.every((t) => t.plan === 'default')).toBe(true);
  });
});
