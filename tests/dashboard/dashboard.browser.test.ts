import { defaultTask } from '../helpers/task.js';
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS } from '../../src/dashboard/ledger.js';
import { launchBrowser, PASSWORD, plan, startDashboard, type TestServer } from './harness.js';

// The committed screenshots are refreshed on request (UPDATE_SCREENSHOTS=1); ordinary runs write to a temp folder.
const SHOTS = process.env.UPDATE_SCREENSHOTS ? path.resolve('docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'duban-shots-'));
const ADMIN = '张三';

describe('dashboard in a real Chromium', () => {
  let srv: TestServer;
  let context: BrowserContext;
  let cleanup: () => Promise<void>;
  let page: Page;

  beforeAll(async () => {
    srv = await startDashboard({ now: '2026-05-20T02:00:00Z' });
    const sys = { channel: 'cli' as const, name: 'seed' };
    // Task 1 (nine departments) overdue; 人社 finished it. Task 20 due within 14 days. 总工会 late on one of its tasks.
    await srv.store.setDeadline(defaultTask(1), '2026-05-01', undefined, sys);
    const unionTask = plan().plan.tasks.find((t) => t.id > 1 && t.departments.includes('总工会'))!.id;
    await srv.store.setDeadline(defaultTask(unionTask), '2026-05-10', '总工会', sys);
    await srv.store.setDeadline(defaultTask(20), '2026-05-25', undefined, sys);
    await srv.store.setStatus(defaultTask(1), '人社', '已完成', '已印发通知', sys);
    await srv.store.setStatus(defaultTask(unionTask), '总工会', '进行中', '正在起草', sys);
    await srv.store.plan([
      {
        key: '总工会:overdue:2026-05-19@web:dept:总工会',
        channel: 'web',
        chatId: 'dept:总工会',
        department: '总工会',
        kind: 'overdue',
        period: '2026-05-19',
        text: '【逾期提醒】第48项',
        taskIds: [48],
        status: 'failed',
        lastError: '403 Forbidden: bot was kicked from the group chat',
      },
    ]);
    ({ context, cleanup } = await launchBrowser());
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await cleanup?.();
    await srv?.close();
  });

  const expectedOverdue = () => srv.store.rows().filter((r) => r.deadline && r.deadline < '2026-05-20' && r.status !== '已完成').length;

  it('refuses a wrong password', async () => {
    await page.goto(`${srv.url}/`);
    expect(page.url()).toMatch(/\/admin\/login$/);
    await page.getByLabel('姓名').fill(ADMIN);
    await page.getByLabel('密码').fill('not-the-password');
    const [resp] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.getByRole('button', { name: '登录' }).click()]);
    expect(resp.status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('姓名或密码不正确');
    expect((await context.cookies()).some((c) => c.name === 'duban_admin')).toBe(false);
  });

  it('signs in with an httpOnly SameSite=Strict cookie and shows the chart and the overdue count', async () => {
    await page.getByLabel('姓名').fill(ADMIN);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/admin\/$/);
    const cookie = (await context.cookies()).find((c) => c.name === 'duban_admin')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(await page.locator('svg.chart').count()).toBe(2);
    expect(await page.locator('svg.chart title').first().textContent()).toBe('各部门任务进度');
    const overdue = expectedOverdue();
    expect(overdue).toBe(9); // task 1: 8 departments still open + 总工会's late task
    expect(await page.locator('#overdue-count').textContent()).toBe(String(overdue));
    expect(await page.locator('#dept-table tbody tr').count()).toBe(plan().registry.names.length);
    expect(await page.locator('#h-due').textContent()).toContain(`（${plan().plan.tasks.find((t) => t.id === 20)!.departments.length} 条）`);
  });

  it('takes the overview screenshots (desktop and phone)', async () => {
    await mkdir(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.screenshot({ path: path.join(SHOTS, 'overview-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    // Nothing wider than the phone screen except inside the scrollable table regions.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'overview-phone.png'), fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1600 } });
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const f of ['overview-desktop.png', 'overview-phone.png']) expect((await stat(path.join(SHOTS, f))).size).toBeLessThan(200_000);
  });

  it('filters the task table by 总工会', async () => {
    await page.getByRole('link', { name: '任务', exact: true }).click();
    await page.getByLabel('部门').first().selectOption('总工会');
    await page.waitForURL(/dept=%E6%80%BB%E5%B7%A5%E4%BC%9A/);
    const depts = await page.locator('#tasks-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-dept')));
    const expected = plan().plan.tasks.filter((t) => t.departments.includes('总工会')).length;
    expect(depts.length).toBe(expected);
    expect(new Set(depts)).toEqual(new Set(['总工会']));
    expect(await page.locator('#result-count').textContent()).toContain(String(expected));
  });

  it('lists tasks by task: one row each, its departments as badges, details behind 各部门进展 (screenshots)', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/tasks`);
    const rows = page.locator('#tasks-table tbody tr');
    expect(await rows.count()).toBe(plan().plan.tasks.length);
    const first = plan().plan.tasks[0];
    const row = page.locator(`#tasks-table tr[data-task="${first.id}"]`);
    expect(await row.locator('.dept-badges .badge').count()).toBe(first.departments.length);
    await row.getByText('各部门进展').click();
    await expect.poll(() => row.locator('ul.dept-rows li').first().isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'tasks-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The whole list by task is a few screens on a phone, not one screen per department row.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(844 * 40);
    await page.screenshot({ path: path.join(SHOTS, 'tasks-phone.png'), clip: { x: 0, y: 0, width: 390, height: 1600 }, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const f of ['tasks-desktop.png', 'tasks-phone.png']) expect((await stat(path.join(SHOTS, f))).size).toBeLessThan(250_000);
  });

  it('finds 第48项 with the search box (QA engine)', async () => {
    await page.goto(`${srv.url}/tasks`);
    await page.getByLabel('搜索（按意思查找）').fill('调解员培训');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/q=/);
    expect(await page.locator('#tasks-table tbody tr').first().getAttribute('data-task')).toBe('48');
  });

  it('sets a deadline for a whole section', async () => {
    await page.goto(`${srv.url}/tasks`);
    const section = plan().plan.sections[1];
    const form = page.locator('#bulk-deadline');
    await form.getByLabel('范围').selectOption('section');
    await form.getByLabel('部分').selectOption(String(section.index));
    await form.getByLabel('截止日期', { exact: true }).fill('2026-06-30');
    page.once('dialog', (d) => void d.accept());
    await form.getByRole('button', { name: '应用' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('2026-06-30');
    const ids = plan().plan.tasks.filter((t) => t.section === section.index).map((t) => t.id);
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) expect(srv.store.deadlineEntry(defaultTask(id)).date).toBe('2026-06-30');
    const audit = srv.store.history({ action: 'deadline', taskId: ids[0] }).at(-1)!;
    expect(audit.actor).toMatchObject({ channel: 'dashboard', name: ADMIN });
  });

  it('marks a task done on behalf of 法院, recorded with the administrator name', async () => {
    await page.goto(`${srv.url}/tasks/48`);
    const row = page.locator('#dept-status tr[data-dept="法院"]');
    await row.getByLabel('状态').selectOption('已完成');
    await row.getByLabel('进展').fill('已完成全市调解员轮训');
    await row.getByRole('button', { name: '保存法院' }).click();
    await expect.poll(() => page.locator('#dept-status tr[data-dept="法院"] .badge').textContent()).toBe('已完成');
    expect(srv.store.statusOf(defaultTask(48), '法院')).toBe('已完成');
    const audit = srv.store.history({ action: 'status', taskId: 48 }).at(-1)!;
    expect(audit.actor).toMatchObject({ channel: 'dashboard', name: ADMIN });
    expect(await page.locator('#history').textContent()).toContain(ADMIN);
  });

  it('takes the task page screenshots (desktop and phone)', async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    // Every department's save button stays on the line of its status and note at desktop width (the longest name included).
    const offsets = await page.locator('#dept-status tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const select = r.querySelector('select')!.getBoundingClientRect();
        const save = r.querySelector('form button[type=submit]')!.getBoundingClientRect();
        return Math.abs(save.top + save.height / 2 - (select.top + select.height / 2));
      }),
    );
    expect(offsets.length).toBe(plan().plan.tasks.find((t) => t.id === 48)!.departments.length);
    expect(Math.max(...offsets)).toBeLessThan(6);
    await page.screenshot({ path: path.join(SHOTS, 'task-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'task-phone.png'), fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1600 } });
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const f of ['task-desktop.png', 'task-phone.png']) expect((await stat(path.join(SHOTS, f))).size).toBeLessThan(200_000);
  });

  it('exports the ledger as XLSX with one row per task and department', async () => {
    await page.goto(`${srv.url}/data`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-xlsx').click()]);
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([...LEDGER_COLUMNS]);
    const tasks = plan().plan.tasks;
    const expectedRows = tasks.reduce((n, t) => n + t.departments.length, 0);
    expect(tasks.length).toBe(61);
    expect(expectedRows).toBe(255);
    expect(ws.rowCount - 1).toBe(expectedRows);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const rows: Array<Record<string, unknown>> = [];
    ws.eachRow((r, n) => {
      if (n > 1) rows.push(Object.fromEntries(LEDGER_COLUMNS.map((h, i) => [h, r.getCell(i + 1).value])));
    });
    expect(new Set(rows.map((r) => r['序号'])).size).toBe(61);
    const r48 = rows.find((r) => r['序号'] === 48 && r['责任部门'] === '法院')!;
    expect(r48['状态']).toBe('已完成');
    expect(r48['最新进展']).toBe('已完成全市调解员轮训');
    // Overdue rows are highlighted.
    const overdueRow = rows.findIndex((r) => r['序号'] === 1 && r['责任部门'] === '法院') + 2;
    const fill = ws.getRow(overdueRow).getCell(1).fill as { fgColor?: { argb?: string } };
    expect(fill.fgColor?.argb).toBe('FFFFD7D7');
  });

  async function ledgerFile(rows: Array<Array<string | number>>): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow([...LEDGER_COLUMNS]);
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('imports a ledger with one bad date: the error names row and column, nothing is applied', async () => {
    const before = JSON.stringify(srv.store.rows());
    const buf = await ledgerFile([
      ['', 2, '', '', '', '人社', '进行中', '2026-07-01', ''],
      ['', 3, '', '', '', '人社', '', '2026-07-02', ''],
      ['', 4, '', '', '', '人社', '', '2026/7/3', ''],
      ['', 5, '', '', '', '人社', '已完成', '2026-13-01', ''],
    ]);
    await page.goto(`${srv.url}/data`);
    await page.locator('#import-ledger-file').setInputFiles({ name: '台账.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: buf });
    await page.locator('#import-ledger').getByRole('button', { name: '上传并预览' }).click();
    await expect.poll(() => page.locator('#import-errors').textContent()).toContain('第5行 截止日期列: 「2026-13-01」不是有效日期');
    expect(await page.locator('#confirm-import').count()).toBe(0);
    expect(JSON.stringify(srv.store.rows())).toBe(before);
  });

  it('imports a valid ledger after preview and confirmation', async () => {
    const buf = await ledgerFile([
      ['', 2, '', '', '', '人社', '进行中', '2026-07-01', '已召开推进会'],
      ['', 3, '', '', '', '人社', '', '2026/7/3', ''],
    ]);
    await page.goto(`${srv.url}/data`);
    await page.locator('#import-ledger-file').setInputFiles({ name: 'ok.xlsx', mimeType: 'application/octet-stream', buffer: buf });
    await page.locator('#import-ledger').getByRole('button', { name: '上传并预览' }).click();
    await page.locator('#confirm-import').waitFor();
    expect(await page.locator('#preview tbody tr').count()).toBe(2);
    expect(srv.store.statusOf(defaultTask(2), '人社')).toBe('未开始'); // not yet
    await page.locator('#confirm-import').click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('已导入');
    expect(srv.store.statusOf(defaultTask(2), '人社')).toBe('进行中');
    expect(srv.store.deadline(defaultTask(3), '人社')).toBe('2026-07-03');
    expect(srv.store.history({ taskId: 2, action: 'status' }).at(-1)!.actor.name).toBe(ADMIN);
  });

  it('shows the failed reminder and retries it', async () => {
    await page.goto(`${srv.url}/groups`);
    expect(await page.locator('#schedules tbody tr').count()).toBe(plan().registry.names.length);
    await page.locator('#outbox-failed').getByRole('button', { name: '重试' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('重新排队');
    expect(srv.store.outbox({ department: '总工会' })[0].status).toBe('pending');
  });

  it('refuses a change without the CSRF token (plain fetch with the session cookie)', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'duban_admin')!;
    const res = await fetch(`${srv.url}/tasks/7/status`, {
      method: 'POST',
      headers: { cookie: `duban_admin=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ department: '人社', status: '已完成' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(srv.store.statusOf(defaultTask(7), '人社')).toBe('未开始');
    const wrong = await fetch(`${srv.url}/tasks/7/status`, {
      method: 'POST',
      headers: { cookie: `duban_admin=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': 'forged' },
      body: new URLSearchParams({ department: '人社', status: '已完成' }).toString(),
      redirect: 'manual',
    });
    expect(wrong.status).toBe(403);
    const anon = await fetch(`${srv.url}/tasks/7/status`, { method: 'POST', body: 'department=人社&status=已完成', redirect: 'manual' });
    expect(anon.status).toBe(401);
    expect(srv.store.statusOf(defaultTask(7), '人社')).toBe('未开始');
  });
});
