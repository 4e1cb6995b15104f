import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startDashboard, type TestServer } from './harness.js';

/** The groups page: liaisons added and cleared by the coordinator, and the issued 督办通报 to download. */
describe('dashboard: liaisons and reports', () => {
  let srv: TestServer;
  let cookie = '';
  let csrf = '';
  const get = (p: string) => fetch(`${srv.url}${p}`, { headers: { cookie }, redirect: 'manual' });
  const post = (p: string, fields: Record<string, string>) =>
    fetch(`${srv.url}${p}`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf, ...fields }), redirect: 'manual' });

  beforeAll(async () => {
    srv = await startDashboard({ now: '2026-12-11T08:00:00Z' });
    const res = await fetch(`${srv.url}/login`, { method: 'POST', body: new URLSearchParams({ name: '张三', password: PASSWORD }), redirect: 'manual' });
    cookie = res.headers.get('set-cookie')!.split(';')[0];
    csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get('/groups')).text())![1];
  });
  afterAll(() => srv?.close());

  it('adds a WeCom and a Telegram liaison, refuses a bad mobile number, and clears them', async () => {
    expect((await post('/liaisons', { op: 'add', department: '法院', kind: 'userid', id: 'zhangsan', name: '张三' })).status).toBe(303);
    expect((await post('/liaisons', { op: 'add', department: '法院', kind: 'telegram', id: '2001', name: '李四' })).status).toBe(303);
    expect(srv.store.liaisons('法院').map((l) => [l.platform, l.kind, l.id, l.name])).toEqual([
      ['wecom', 'userid', 'zhangsan', '张三'],
      ['telegram', 'telegram', '2001', '李四'],
    ]);
    expect(srv.store.liaisons('法院')[0].by).toMatchObject({ channel: 'dashboard', name: '张三' });
    const page = await (await get('/groups')).text();
    expect(page).toContain('张三（企业微信 zhangsan）、李四（Telegram）');

    await post('/liaisons', { op: 'add', department: '法院', kind: 'mobile', id: '1380000' });
    expect(await (await get('/groups')).text()).toContain('「1380000」不是 11 位手机号');
    expect(srv.store.liaisons('法院')).toHaveLength(2);
    expect((await post('/liaisons', { op: 'add', department: '法院', kind: 'userid', id: 'x', _csrf: 'forged' })).status).toBe(403);

    await post('/liaisons', { op: 'clear', department: '法院' });
    expect(srv.store.liaisons('法院')).toEqual([]);
  });

  it('lists issued reports and serves only those files', async () => {
    const dir = path.join(srv.dir, 'reports');
    await mkdir(dir, { recursive: true });
    const file = '督办通报-第1期-2026-W50.docx';
    await writeFile(path.join(dir, file), 'PK fake docx bytes');
    await writeFile(path.join(srv.dir, 'secret.txt'), 'not for download');
    await srv.store.recordReport({ week: '2026-W50', number: 1, periodStart: '2026-12-07', periodEnd: '2026-12-11', file, bytes: 18 }, { channel: 'cli', name: 't' });
    const page = await (await get('/groups')).text();
    expect(page).toContain(`href="/admin/reports/${encodeURIComponent(file)}"`);
    expect(page).toContain('第1期（2026-12-07—2026-12-11）');
    const res = await get(`/reports/${encodeURIComponent(file)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(await res.text()).toBe('PK fake docx bytes');
    expect((await get('/reports/secret.txt')).status).toBe(404);
    expect((await get(`/reports/${encodeURIComponent('../secret.txt')}`)).status).toBe(404);
  });
});
