import { defaultTask } from '../helpers/task.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../../src/server/start.js';

let running: Running;
let dataDir: string;

async function ask(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${running.url}/api/ask`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'duban-api-'));
  running = await startServer({ env: { PORT: '0', DATA_DIR: dataDir }, scheduler: false });
});

afterAll(async () => {
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a newcomer tries the bot on the local page', () => {
  it('is told the server is healthy', async () => {
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('gets the chat page', async () => {
    const res = await fetch(`${running.url}/`);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('督办助手');
  });

  it('asks who handles mediator training and is told 第48项 with its six departments and 第57项 as related', async () => {
    const { status, json } = await ask({ text: '谁负责调解员培训?' });
    expect(status).toBe(200);
    expect(json.intent).toBe('responsibility');
    expect((json.tasks as Array<{ id: number }>)[0].id).toBe(48);
    expect(json.departments).toEqual(['人社', '法院', '司法行政', '总工会', '工商联', '企联']);
    expect(json.reply).toContain('第48项');
    expect(json.reply).toContain('第57项');
    expect(json.question).toBe('谁负责调解员培训?');
  });
});

describe('the same commands work on every platform', () => {
  it('/tasks 财政 lists 财政’s 12 tasks', async () => {
    const { json } = await ask({ text: '/tasks 财政' });
    expect(json.intent).toBe('department_tasks');
    expect(json.tasks).toHaveLength(12);
  });

  it('/task without a number answers with its usage', async () => {
    const { json } = await ask({ text: '/task' });
    expect(json.reply).toMatch(/^用法：\/task 任务编号/);
  });
});

describe('bad input gets a clear answer and never a 500', () => {
  it('malformed JSON → 400 in Chinese', async () => {
    const { status, json } = await ask('{"text": "谁负责', { 'content-type': 'application/json' });
    expect(status).toBe(400);
    expect(json.error).toContain('JSON');
  });

  it('a body that is not an object or array, or only spaces → 400 like malformed JSON', async () => {
    for (const body of ['"谁负责调解员培训"', 'null', '   ']) {
      const { status, json } = await ask(body);
      expect(status).toBe(400);
      expect(json.error).toContain('JSON');
    }
  });

  it('the same question with a byte order mark, with charset=utf-8, gzip-compressed or sent in pieces gets the same answer', async () => {
    const question = { text: '谁负责调解员培训?' };
    const plain = (await ask(question)).json;
    const post = (headers: Record<string, string>, body: BodyInit) =>
      fetch(`${running.url}/api/ask`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit).then((r) => r.json());
    const pieces = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"text":"谁负责调解'));
        c.enqueue(new TextEncoder().encode('员培训?"}'));
        c.close();
      },
    });
    expect((await ask(`\ufeff${JSON.stringify(question)}`)).json).toEqual(plain);
    expect((await ask(question, { 'content-type': 'application/json; charset=utf-8' })).json).toEqual(plain);
    expect(await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(JSON.stringify(question)))).toEqual(plain);
    expect(await post({ 'content-type': 'application/json' }, pieces)).toEqual(plain);
  });

  it('the usual request (answered without express) and one express reads (/api/ask/) get the same bytes back', async () => {
    const raw = async (url: string, body: string) => {
      const res = await fetch(`${running.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, type: res.headers.get('content-type'), length: res.headers.get('content-length'), body: await res.text() };
    };
    for (const body of [
      (session: string) => JSON.stringify({ text: '谁负责调解员培训?', session }),
      () => '{"text": "谁负责',
      () => JSON.stringify({ question: '第46项' }),
      () => JSON.stringify({ text: '48 已完成', as: '宣传部' }),
    ]) {
      const direct = await raw('/api/ask', body('a'));
      expect(direct.status).toBeLessThan(500);
      expect(await raw('/api/ask/', body('b'))).toEqual(direct);
    }
  });

  it('a charset other than UTF-8 → 415', async () => {
    const { status } = await ask(JSON.stringify({ text: 'x' }), { 'content-type': 'application/json; charset=latin1' });
    expect(status).toBe(415);
  });

  it('a wrong content type → 415', async () => {
    const { status } = await ask('text=谁负责', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(status).toBe(415);
  });

  it('a missing text field → 400 naming the field', async () => {
    const { status, json } = await ask({ question: '第46项' });
    expect(status).toBe(400);
    expect(json.error).toContain('text');
  });

  it('an over-size body → 413 naming the chat API\'s own limit', async () => {
    const { status, json } = await ask({ text: '调'.repeat(40_000) });
    expect(status).toBe(413);
    expect(json.error).toBe('请求体过大（上限 32 KB）');
  });

  it.each([
    ['empty text', ''],
    ['10,000 characters', '调解'.repeat(5000)],
    ['emoji and control characters', '😀\u0000\u0007\u001b[31m🚀'],
    ['a script tag', '<script>alert(1)</script>'],
    ['markdown', '*x* _y_ `z`'],
  ])('%s → a short reply, no task invented', async (_name, text) => {
    const { status, json } = await ask({ text });
    expect(status).toBe(200);
    expect(typeof json.reply).toBe('string');
    expect((json.reply as string).length).toBeLessThan(2000);
    expect(json.reply).not.toContain('<script>');
  });

  it('an unknown identity is refused with the list of departments', async () => {
    const { status, json } = await ask({ text: '48 已完成', as: '宣传部' });
    expect(status).toBe(400);
    expect(json.error).toContain('总工会');
  });
});

describe('on the local page, the coordinator sets a deadline and a department reports progress', () => {
  it('the coordinator sets a deadline for 第48项', async () => {
    const { json } = await ask({ text: '/deadline 48 2026-12-31', as: 'coordinator' });
    expect(json.reply).toContain('2026-12-31');
    expect(running.store.deadline(defaultTask(48), '法院')).toBe('2026-12-31');
  });

  it('法院 marks 第48项 done and only 法院’s row changes', async () => {
    const { json } = await ask({ text: '48 已完成', as: '法院' });
    expect(json.reply).toContain('已完成');
    expect(running.store.statusOf(defaultTask(48), '法院')).toBe('已完成');
    expect(running.store.statusOf(defaultTask(48), '人社')).toBe('未开始');
  });

  it('a guest can ask but cannot report progress', async () => {
    const { json } = await ask({ text: '48 已完成' });
    expect(running.store.statusOf(defaultTask(48), '人社')).toBe('未开始');
    expect(json.reply).not.toContain('已更新');
  });

  it('a client that is not loopback and has no admin token cannot speak as a department', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'duban-api-'));
    const strict = await startServer({ env: { PORT: '0', DATA_DIR: dir, WEB_TRUST_LOOPBACK: 'false', ADMIN_TOKEN: 'a-long-admin-token-123' }, scheduler: false });
    try {
      const post = (headers: Record<string, string>) =>
        fetch(`${strict.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ text: '48 已完成', as: '法院' }) });
      expect((await post({})).status).toBe(403);
      expect((await post({ 'x-admin-token': 'wrong-token-wrong-token' })).status).toBe(403);
      expect((await post({ 'x-admin-token': 'a-long-admin-token-123' })).status).toBe(200);
      expect(strict.store.statusOf(defaultTask(48), '法院')).toBe('已完成');
    } finally {
      await strict.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the coordinator’s dashboard sees what departments report in chat', () => {
  it('法院 reports 第9项 done on the chat page, and the overview counts it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'duban-api-'));
    const server = await startServer({ env: { PORT: '0', DATA_DIR: dir, DASHBOARD_PASSWORD: 'coordinator-pass-1' }, scheduler: false });
    try {
      const login = await fetch(`${server.url}/admin/login`, {
        method: 'POST',
        body: new URLSearchParams({ name: '督办员', password: 'coordinator-pass-1' }),
        redirect: 'manual',
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      expect(cookie).toMatch(/=/);
      const doneCount = async () => {
        const html = await (await fetch(`${server.url}/admin/`, { headers: { cookie } })).text();
        return Number(/已完成<\/[^>]+>\s*<[^>]+>(\d+)/.exec(html)?.[1] ?? NaN);
      };
      expect(await doneCount()).toBe(0);
      await fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: '9 已完成 已发布典型案例', as: '法院' }),
      });
      expect(await doneCount()).toBe(1);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
