import { defaultTask } from '../helpers/task.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres, stopSharedPostgres } from '../helpers/postgres.js';
import { PASSWORD, startDashboard, type TestServer } from './harness.js';

/**
 * Two dashboards on one PostgreSQL database, as two instances behind a load balancer: whichever
 * instance a browser's next request reaches, it is still signed in, sees its message, can confirm
 * what it previewed, and the sign-in back-off counts what the other instance saw.
 */
describe('the dashboard on two instances sharing PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const url = await (await sharedPostgres()).createDatabase();
    [a, b] = await Promise.all([startDashboard({ databaseUrl: url }), startDashboard({ databaseUrl: url })]);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await stopSharedPostgres();
  }, 60_000);

  const login = (srv: TestServer, password: string) =>
    fetch(`${srv.url}/login`, { method: 'POST', body: new URLSearchParams({ name: '李四', password }), redirect: 'manual' });
  const get = (srv: TestServer, p: string, cookie: string) => fetch(`${srv.url}${p}`, { headers: { cookie }, redirect: 'manual' });
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

  it('signed in on A, the same cookie works on B; a ledger previewed on A is confirmed on B and its message shown on A', async () => {
    const res = await login(a, PASSWORD);
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const page = await get(b, '/', cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('李四');
    const csrf = csrfOf(html);

    const fd = new FormData();
    fd.set('_csrf', csrf);
    fd.set('file', new Blob(['序号,责任部门,状态\r\n4,人社,已完成\r\n']), 'ledger.csv');
    const preview = await fetch(`${a.url}/import/ledger`, { method: 'POST', headers: { cookie }, body: fd, redirect: 'manual' });
    expect(preview.status).toBe(200);
    const id = /name="id" value="([^"]+)"/.exec(await preview.text())![1];
    const confirm = await fetch(`${b.url}/import/ledger/confirm`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf, id }), redirect: 'manual' });
    expect(confirm.status).toBe(303);
    await a.store.refresh();
    expect(a.store.statusOf(defaultTask(4), '人社')).toBe('已完成');
    // The message is shown once, by whichever instance serves the next page.
    expect(await (await get(a, '/tasks', cookie)).text()).toContain('已导入：0 个截止日期，1 条状态/进展。');
    expect(await (await get(b, '/tasks', cookie)).text()).not.toContain('已导入：');

    // Signed out on B: A no longer knows the cookie.
    const out = await fetch(`${b.url}/logout`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }), redirect: 'manual' });
    expect(out.status).toBe(303);
    const after = await get(a, '/', cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/admin/login');
  });

  it('failed sign-ins on A count on B: after three, even the right password waits on B', async () => {
    for (let i = 0; i < 3; i++) expect((await login(a, `wrong-${i}`)).status).toBe(401);
    const blocked = await login(b, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain('登录失败次数过多');
  });
});
