import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCoreConfig } from '../../src/config.js';
import { startServer, type Running } from '../../src/server/start.js';

const TOKEN = 'admin-token-for-tests-1';
const MONDAY = new Date('2026-12-07T10:30:00+08:00');
const dirs: string[] = [];

/** The server on a Monday morning: at start-up it sends the digests it missed (unbound departments' to the page's inbox). */
async function start(env: Record<string, string>): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), 'duban-visibility-'));
  dirs.push(dir);
  return startServer({ env: { PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', ...env }, clock: () => MONDAY });
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const ask = (s: Running, text: string, as?: string, headers: Record<string, string> = {}) =>
  fetch(`${s.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ text, as }) }).then(
    async (r) => ({ status: r.status, json: (await r.json()) as { reply: string; error?: string } }),
  );

describe('a visitor from another machine (WEB_TRUST_LOOPBACK=false, no token) reads only the plan', () => {
  let s: Running;
  let dept: string;
  beforeAll(async () => {
    s = await start({ WEB_TRUST_LOOPBACK: 'false', ADMIN_TOKEN: TOKEN });
    dept = s.loaded.plan.tasks.find((t) => t.id === 48)!.departments[1];
    await s.reminders.idle();
  });
  afterAll(() => s.close());

  it('is refused a department\'s reminder inbox; the department (with the token) reads it', async () => {
    const guest = await fetch(`${s.url}/api/inbox?chat=${encodeURIComponent(`dept:${dept}`)}`);
    expect(guest.status).toBe(403);
    expect((await guest.json()).error).toContain('X-Admin-Token');
    expect((await fetch(`${s.url}/api/inbox?chat=coordinator`)).status).toBe(403);
    const own = await fetch(`${s.url}/api/inbox?chat=${encodeURIComponent(`dept:${dept}`)}`, { headers: { 'x-admin-token': TOKEN } });
    expect(own.status).toBe(200);
    const items = (await own.json()).items as Array<{ text: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items[0].text).toContain(dept);
  });

  it('gets an empty guest inbox and a clear 400 for a chat that is no one\'s', async () => {
    expect(await (await fetch(`${s.url}/api/inbox?chat=guest`)).json()).toEqual({ items: [] });
    expect((await fetch(`${s.url}/api/inbox?chat=dept:${encodeURIComponent('外交部')}`)).status).toBe(400);
  });

  it('asks "第48项进展如何" and sees the status, not the department\'s note or who wrote it', async () => {
    const report = await ask(s, '/progress 48 进行中 已联系三家培训机构', dept, { 'x-admin-token': TOKEN });
    expect(report.json.reply).toContain('进行中');
    const guest = await ask(s, '第48项进展如何');
    expect(guest.json.reply).toMatch(new RegExp(`· ${dept}：进行中`));
    expect(guest.json.reply).not.toContain('已联系三家培训机构');
    expect(guest.json.reply).not.toContain('（网页）');
    const own = await ask(s, '第48项进展如何', dept, { 'x-admin-token': TOKEN });
    expect(own.json.reply).toContain('备注：已联系三家培训机构');
  });
});

describe('behind a reverse proxy on the same host (TRUST_PROXY=loopback)', () => {
  let s: Running;
  const viaProxy = (client: string, more: Record<string, string> = {}) => ({ 'x-forwarded-for': client, ...more });
  beforeAll(async () => {
    s = await start({ TRUST_PROXY: 'loopback', DASHBOARD_PASSWORD: 'proxy-test-password' });
  });
  afterAll(() => s.close());

  it('a visitor forwarded by the proxy is not "loopback": cannot speak as a department or read its inbox', async () => {
    const whoami = await (await fetch(`${s.url}/api/whoami`, { headers: viaProxy('203.0.113.9') })).json();
    expect(whoami.canSpeakAs).toBe(false);
    expect((await ask(s, '48 已完成', '法院', viaProxy('203.0.113.9'))).status).toBe(403);
    expect((await fetch(`${s.url}/api/inbox?chat=coordinator`, { headers: viaProxy('203.0.113.9') })).status).toBe(403);
  });

  it('someone on the server machine itself (no forwarding) still is', async () => {
    expect((await (await fetch(`${s.url}/api/whoami`)).json()).canSpeakAs).toBe(true);
    expect((await fetch(`${s.url}/api/inbox?chat=coordinator`)).status).toBe(200);
  });

  it('signs in to the dashboard over HTTPS at the proxy and gets a Secure session cookie', async () => {
    const login = (headers: Record<string, string>) =>
      fetch(`${s.url}/admin/login`, { method: 'POST', headers, body: new URLSearchParams({ name: '张三', password: 'proxy-test-password' }), redirect: 'manual' });
    const https = await login(viaProxy('203.0.113.9', { 'x-forwarded-proto': 'https' }));
    expect(https.status).toBe(303);
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
    const http = await login(viaProxy('203.0.113.10'));
    expect(http.headers.get('set-cookie')).not.toMatch(/Secure/);
  });
});

describe('behind a reverse proxy, a dashboard without DASHBOARD_PASSWORD', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start({ TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => s.close());

  it('answers only someone on the server machine, not every visitor the proxy forwards', async () => {
    expect((await fetch(`${s.url}/admin/login`, { headers: { 'x-forwarded-for': '198.51.100.4' } })).status).toBe(403);
    expect((await fetch(`${s.url}/admin/login`)).status).toBe(200);
  });
});

describe('without TRUST_PROXY, forwarding headers are not believed', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start({ DASHBOARD_PASSWORD: 'no-proxy-test-password' });
  });
  afterAll(() => s.close());

  it('a forged X-Forwarded-Proto does not make the cookie Secure, nor X-Forwarded-For change the client', async () => {
    const res = await fetch(`${s.url}/admin/login`, {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      body: new URLSearchParams({ name: '张三', password: 'no-proxy-test-password' }),
      redirect: 'manual',
    });
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/);
    expect((await (await fetch(`${s.url}/api/whoami`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).json()).canSpeakAs).toBe(true);
  });
});

describe('TRUST_PROXY configuration', () => {
  it('takes a hop count or the proxies\' addresses and names the variable when wrong', () => {
    expect(readCoreConfig({}).trustProxy).toBe(false);
    expect(readCoreConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(readCoreConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, ::1, loopback' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'loopback']);
    expect(() => readCoreConfig({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY/);
    expect(() => readCoreConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });
});
