import { defaultTask } from '../helpers/task.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPlans } from '../../src/plan/store.js';
import { listBackups } from '../../src/state/backup.js';
import { FIXTURES, PLAN2 } from '../plan/helpers.js';
import { PASSWORD, plan, startDashboard, type TestServer } from './harness.js';

/** The dashboard over plain HTTP (no browser): sessions, backoff, CSRF, escaping, CSV, uploads. */
describe('dashboard over HTTP', () => {
  let srv: TestServer;
  let cookie = '';
  let csrf = '';

  const login = async (name: string, password: string, url = srv.url) =>
    fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ name, password }), redirect: 'manual' });
  const get = (p: string, c = cookie) => fetch(`${srv.url}${p}`, { headers: { cookie: c }, redirect: 'manual' });
  const upload = (p: string, filename: string, content: string, token = csrf) => {
    const fd = new FormData();
    fd.set('_csrf', token);
    fd.set('file', new Blob([content]), filename);
    return fetch(`${srv.url}${p}`, { method: 'POST', headers: { cookie }, body: fd, redirect: 'manual' });
  };

  beforeAll(async () => {
    srv = await startDashboard({ env: { DASHBOARD_ADMINS: '张三,李四' } });
    const res = await login('李四', PASSWORD);
    expect(res.status).toBe(303);
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/admin/);
    cookie = set.split(';')[0];
    const html = await (await get('/')).text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
  });
  afterAll(() => srv?.close());

  it('sends visitors without a session to the sign-in page and sets security headers', async () => {
    const res = await get('/tasks', '');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login');
    const page = await get('/login', '');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const body = await page.text();
    expect(body).toContain('<option>张三</option>');
    expect(body).not.toMatch(/<script>|https?:\/\/(?!www\.w3\.org)/); // no inline scripts, no CDN
  });

  it('refuses a name that is not on DASHBOARD_ADMINS', async () => {
    const res = await login('王五', PASSWORD);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('不在管理员名单');
  });

  it('slows down further attempts after a few failures from the same IP', async () => {
    // The previous test already failed once from 127.0.0.1.
    expect((await login('张三', 'wrong-1')).status).toBe(401);
    const third = await login('张三', 'wrong-2');
    expect(third.status).toBe(401);
    expect(await third.text()).toMatch(/请 \d+ 秒后再试/);
    const blocked = await login('张三', PASSWORD); // even the right password waits
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('escapes what departments write', async () => {
    await srv.store.setStatus(defaultTask(3), '人社', '进行中', '<img src=x onerror=alert(1)> & "引号"', { channel: 'telegram', name: '<b>坏人</b>' });
    const html = await (await get('/tasks/3')).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;引号&quot;');
    expect(html).toContain('&lt;b&gt;坏人&lt;/b&gt;');
    expect(html).not.toContain('<img src=x');
  });

  it('exports the ledger as CSV with a BOM and one line per task and department', async () => {
    const res = await get('/export/ledger.csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E5%8F%B0%E8%B4%A6");
    const buf = Buffer.from(await res.arrayBuffer());
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = buf.toString('utf8').trim().split('\r\n');
    expect(lines.length - 1).toBe(plan().plan.tasks.reduce((n, t) => n + t.departments.length, 0));
  });

  it('validates a CSV ledger upload and applies nothing while there are errors', async () => {
    const csv = '\uFEFF序号,责任部门,状态,截止日期\r\n4,人社,已完成,2026-07-01\r\n4,法院,进行中,2026-13-01\r\n';
    const res = await upload('/import/ledger', 'ledger.csv', csv);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('第3行 截止日期列: 「2026-13-01」不是有效日期');
    expect(srv.store.statusOf(defaultTask(4), '人社')).toBe('未开始');
  });

  it('refuses an upload without the CSRF token', async () => {
    const res = await upload('/import/ledger', 'ledger.csv', '序号,责任部门,状态\r\n4,人社,已完成\r\n', 'forged');
    expect(res.status).toBe(403);
  });

  it('previews a plan file (the second plan as a CSV) and stores it in DATA_DIR/plans only when confirmed', async () => {
    const csv = readFileSync(path.join(PLAN2, 'source.tsv'), 'utf8');
    const res = await upload('/import/plan', 'plan2.csv', csv);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('新方案，编号 p2');
    expect(html).toMatch(/新单位（\d+ 个/);
    expect(html).toContain('市人力资源和社会保障局');
    expect(listPlans(srv.dir).map((p) => p.id)).toEqual(['default']);
    const id = /name="id" value="([^"]+)"/.exec(html)![1];
    const confirm = await fetch(`${srv.url}/import/plan/confirm`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf, id }), redirect: 'manual' });
    expect(confirm.status).toBe(303);
    const stored = listPlans(srv.dir).find((p) => p.id === 'p2')!;
    expect(stored).toMatchObject({ status: 'active', tasks: 45, source: { name: 'plan2.csv' } });
    // The state as it was is kept in a backup taken just before.
    expect((await listBackups(srv.dir)).map((b) => b.reason)).toContain('plan-import');
    // Listed on the data page with its archive button; archiving takes it out of use.
    expect(await (await get('/data')).text()).toContain('<tr data-plan="p2">');
    const archive = await fetch(`${srv.url}/plans/archive`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf, id: 'p2', status: 'archived' }), redirect: 'manual' });
    expect(archive.status).toBe(303);
    expect(listPlans(srv.dir).find((p) => p.id === 'p2')!.status).toBe('archived');
  });

  it('lists every problem of a bad plan at once, with row and column, and stores nothing', async () => {
    const res = await upload('/import/plan', 'bad.csv', readFileSync(path.join(FIXTURES, 'hostile/several-errors.csv')).toString('utf8'));
    expect(res.status).toBe(422);
    const html = await res.text();
    const problems = [...html.matchAll(/<li>(第\d+行[^<]*)<\/li>/g)].map((m) => m[1]);
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toContain('confirm-plan');
    expect(listPlans(srv.dir).filter((p) => p.status === 'active').map((p) => p.id)).toEqual(['default']);
  });

  it('refuses to archive the only plan in use', async () => {
    const res = await fetch(`${srv.url}/plans/archive`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf, id: 'default', status: 'archived' }), redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(listPlans(srv.dir).find((p) => p.id === 'default')!.status).toBe('active');
  });

  it('shows the next workday reminder runs, honouring a holiday override added from the dashboard', async () => {
    const cell = async () => {
      const html = await (await get('/groups')).text();
      return /<th scope="row" data-h="部门">人社<\/th>.*?<td data-h="工作日">([^<]*)<\/td>/s.exec(html)![1];
    };
    // 2026-05-20 10:00 in Shanghai: today's 09:xx run has passed.
    expect(await cell()).toMatch(/^05-21 09:\d\d；05-22 09:\d\d；05-25 09:\d\d$/);
    const res = await fetch(`${srv.url}/holidays`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf, date: '2026-05-21', type: 'off', note: '临时调休' }), redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(await cell()).toMatch(/^05-22 09:\d\d；05-25 09:\d\d；05-26 09:\d\d$/);
    expect(srv.store.history({ action: 'holiday' }).at(-1)!.actor).toMatchObject({ channel: 'dashboard', name: '李四' });
  });

  it('signs out: the session no longer works', async () => {
    const res = await fetch(`${srv.url}/logout`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }), redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await get('/')).status).toBe(303);
  });
});
