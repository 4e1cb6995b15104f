/**
 * The dashboard with two plans: the overview and task pages show one plan at a time (a switcher names each by
 * its short name), a task page and its forms act on that plan's task, and the 督办台账 export has every plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlan } from '../../src/plan/load.js';
import { planShortName } from '../../src/plan/names.js';
import { plan1, sharedUnitPlan } from '../plan/helpers.js';
import { PASSWORD, startDashboard, type TestServer } from './harness.js';

let srv: TestServer;
let second: LoadedPlan;
let cookie = '';
let csrf = '';
const get = (p: string) => fetch(`${srv.url}${p}`, { headers: { cookie }, redirect: 'manual' });

beforeAll(async () => {
  second = await sharedUnitPlan();
  srv = await startDashboard({ plans: [plan1(), second] });
  const res = await fetch(`${srv.url}/login`, { method: 'POST', body: new URLSearchParams({ name: '管理员', password: PASSWORD }), redirect: 'manual' });
  cookie = res.headers.get('set-cookie')!.split(';')[0];
  csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get('/')).text())![1];
}, 60_000);
afterAll(() => srv?.close());

describe('the dashboard of two plans', () => {
  it('shows one plan at a time, with a switcher naming both', async () => {
    const first = await (await get('/tasks')).text();
    expect(first).toContain(`<strong title="${plan1().plan.title}" aria-current="true">${planShortName(plan1().plan.title)}</strong>`);
    expect(first).toContain(`href="/admin/tasks?plan=p3"`);
    const other = await (await get('/tasks?plan=p3')).text();
    expect(other).toContain(`共 <strong>${second.plan.tasks.length}</strong> 项任务`);
    expect(other).toContain('对基层调解组织建设经费使用情况');
    expect(other).toContain('href="/admin/tasks/7?plan=p3"');
    const overview = await (await get('/?plan=p3')).text();
    expect(overview).toContain(planShortName(second.plan.title));
  });

  it('a task page and its forms act on that plan’s task only', async () => {
    const page = await (await get('/tasks/2?plan=p3')).text();
    expect(page).toContain('建立调解组织与人民法院的诉调对接机制');
    expect(page).toContain('action="/admin/tasks/2/status?plan=p3"');
    const res = await fetch(`${srv.url}/tasks/2/status?plan=p3`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, department: '法院', status: '已完成', note: '对接机制已建立' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/tasks/2?plan=p3');
    expect(srv.store.status({ plan: 'p3', task: 2 }, '法院')).toMatchObject({ status: '已完成', note: '对接机制已建立' });
    expect(srv.store.status({ plan: 'default', task: 2 }, '法院')).toBeUndefined();
  });

  it('exports one 督办台账 with a 方案 column for both plans', async () => {
    const csv = await (await get('/export/ledger.csv')).text();
    expect(csv.split('\r\n')[0]).toBe('方案,序号,部分,小节,任务内容,责任部门,状态,截止日期,最新进展,更新时间');
    expect(csv).toContain(`${planShortName(second.plan.title)},2,一、健全组织,,建立调解组织与人民法院的诉调对接机制，明确对接流程和责任人。,法院,已完成`);
    expect(csv).toContain(`${planShortName(plan1().plan.title)},1,`);
  });

  it('searches the plan shown by meaning, with that plan’s own engine: 「调解员培训」 finds the second plan’s 调解员队伍…业务培训', async () => {
    const training = second.plan.tasks.find((t) => /调解员/.test(t.text) && /培训/.test(t.text))!;
    expect(training.text).not.toContain('调解员培训'); // not found by its words alone
    const links = (html: string) => [...html.matchAll(/href="\/admin\/tasks\/(\d+)(\?plan=\w+)?"/g)].map((m) => `${m[1]}${m[2] ?? ''}`);
    const other = await (await get(`/tasks?plan=p3&q=${encodeURIComponent('调解员培训')}`)).text();
    expect(other).toContain('“调解员培训”的搜索结果按相关程度排列');
    expect(links(other)[0]).toBe(`${training.id}?plan=p3`);
    // The default plan's search still ranks its own tasks by its engine.
    const own = plan1().plan.tasks.find((t) => t.id === 48)!;
    expect(own.text).not.toContain('调解员培训');
    const first = await (await get(`/tasks?q=${encodeURIComponent('调解员培训')}`)).text();
    expect(links(first)[0]).toMatch(/^48(\?plan=default)?$/);
  });
});
