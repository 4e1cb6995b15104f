/** The dashboard's task list by task: one row per task with its departments' statuses as badges; rows per department as a view. */
import { defaultTask } from '../helpers/task.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorLabel } from '../../src/dashboard/views/pages.js';
import { taskTerms } from '../../src/plan/examples.js';
import { PASSWORD, plan, startDashboard, type TestServer } from './harness.js';

let srv: TestServer;
let cookie = '';
const get = async (p: string) => (await fetch(`${srv.url}${p}`, { headers: { cookie } })).text();
const rowsOf = (html: string) => [...html.matchAll(/<tr[^>]*data-task="(\d+)"(?: data-dept="([^"]+)")?/g)].map((m) => ({ task: Number(m[1]), dept: m[2] }));
const sys = { channel: 'cli' as const, name: 'seed' };

beforeAll(async () => {
  srv = await startDashboard({ now: '2026-05-20T02:00:00Z' });
  const res = await fetch(`${srv.url}/login`, { method: 'POST', body: new URLSearchParams({ name: '张三', password: PASSWORD }), redirect: 'manual' });
  cookie = res.headers.get('set-cookie')!.split(';')[0];
  const many = plan().plan.tasks.find((t) => t.departments.length > 2)!;
  await srv.store.setStatus(defaultTask(many.id), many.departments[0], '已完成', '已印发', sys);
  await srv.store.setStatus(defaultTask(many.id), many.departments[1], '进行中', undefined, sys);
  await srv.store.setDeadline(defaultTask(many.id), '2026-05-01', many.departments[2], sys);
});
afterAll(() => srv?.close());

describe('the task list', () => {
  it('has one row per task, each task\'s text once, with a badge per responsible department', async () => {
    const html = await get('/tasks');
    const rows = rowsOf(html);
    const tasks = plan().plan.tasks;
    expect(rows.map((r) => r.task)).toEqual(tasks.map((t) => t.id));
    expect(html).toContain(`共 <strong>${tasks.length}</strong> 项任务`);
    const many = tasks.find((t) => t.departments.length > 2)!;
    const row = html.slice(html.indexOf(`data-task="${many.id}"`), html.indexOf('</tr>', html.indexOf(`data-task="${many.id}"`)));
    expect(row.match(/class="badge s-/g)?.length).toBe(many.departments.length * 2); // badges, and the badges inside 展开
    expect(row).toContain(`title="${many.departments[0]}：已完成"`);
    expect(row).toContain(`title="${many.departments[2]}：未开始，截止 2026-05-01（逾期）"`);
    expect(row).toContain(`<td data-h="完成" class="num">1/${many.departments.length}</td>`);
    expect(row).toContain('<details><summary>各部门进展</summary>');
    expect(row.split(many.text.slice(0, 20)).length - 1).toBe(1);
  });

  it('suggests a search from the loaded plan’s own words', async () => {
    const tasks = plan().plan.tasks;
    const term = taskTerms(tasks[Math.floor(tasks.length / 2)])[0];
    expect(await get('/tasks')).toContain(`placeholder="如：${term}"`);
  });

  it('filters keep one row per task: overdue shows the task with a late department', async () => {
    const many = plan().plan.tasks.find((t) => t.departments.length > 2)!;
    expect(rowsOf(await get('/tasks?due=overdue')).map((r) => r.task)).toEqual([many.id]);
  });

  it('rows per department remain: as a view, and whenever a department is chosen', async () => {
    const html = await get('/tasks?view=rows');
    const pairs = plan().plan.tasks.reduce((n, t) => n + t.departments.length, 0);
    expect(html).toContain(`共 <strong>${pairs}</strong> 条（任务 × 责任部门）`);
    expect(rowsOf(html).every((r) => r.dept)).toBe(true);
    expect(html).toContain('<input type="hidden" name="view" value="rows">');
    const union = rowsOf(await get(`/tasks?dept=${encodeURIComponent('总工会')}`));
    expect(new Set(union.map((r) => r.dept))).toEqual(new Set(['总工会']));
    expect(union.length).toBe(plan().plan.tasks.filter((t) => t.departments.includes('总工会')).length);
  });
});

describe('who changed what', () => {
  it('names the channel once: 法院（网页）, also for records whose name already says it', () => {
    expect(actorLabel({ channel: 'web', userId: 'dept:法院', name: '法院' })).toBe('法院（网页）');
    expect(actorLabel({ channel: 'web', userId: 'dept:法院', name: '法院（网页）' })).toBe('法院（网页）');
    expect(actorLabel({ channel: 'dashboard', userId: 'dashboard:张三', name: '张三' })).toBe('张三（管理台）');
  });
});
