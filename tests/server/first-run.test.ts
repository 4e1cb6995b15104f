/** The first hour: readable logs at a terminal, a start-up block naming the addresses, a fast command line. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prettyLine } from '../../src/core/log-pretty.js';
import { DEFAULT_PLAN_DIR } from '../../src/core/paths.js';
import { logFormat } from '../../src/core/log.js';
import { startupBlock } from '../../src/server/banner.js';
import { startServer } from '../../src/server/start.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('logs a person can read', () => {
  it('a pino record becomes one line with the time, the level in Chinese, the message and its fields', () => {
    const time = new Date(2026, 11, 7, 9, 5, 3).getTime();
    const line = prettyLine(JSON.stringify({ level: 40, time, msg: '群机器人发送失败', chatId: 'wr1', permanent: false }));
    expect(line).toBe('09:05:03 警告 群机器人发送失败  chatId=wr1 permanent=false');
  });

  it('a text of several lines (a reminder on the console) is shown below the line, as it reads', () => {
    const line = prettyLine(JSON.stringify({ level: 30, time: Date.now(), msg: 'console reminder', chatId: 'c1', text: '【督办周报】\n未完成 3 项' }));
    expect(line.split('\n')).toEqual([expect.stringMatching(/信息 console reminder  chatId=c1$/), '  【督办周报】', '  未完成 3 项']);
  });

  it('an error keeps its stack on the following lines', () => {
    const line = prettyLine(JSON.stringify({ level: 50, time: Date.now(), msg: 'handler failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } }));
    expect(line.split('\n')).toEqual([expect.stringMatching(/错误 handler failed$/), '  Error: boom', '      at x']);
  });

  it('LOG_FORMAT chooses; without it a pipe (as in this test) gets JSON', () => {
    expect(logFormat({ LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormat({})).toBe(process.stdout.isTTY ? 'pretty' : 'json');
  });
});

describe('the start-up block', () => {
  async function started(env: Record<string, string>) {
    const dir = await mkdtemp(path.join(tmpdir(), 'first-run-'));
    dirs.push(dir);
    return startServer({ env: { PORT: '0', DATA_DIR: dir, ...env }, scheduler: false });
  }

  it('names the chat page, the dashboard and the one-time password generated for this run', async () => {
    const running = await started({});
    try {
      const block = startupBlock(running);
      expect(block).toContain(`聊天页面：${running.url}/`);
      expect(block).toContain(`管理台：  ${running.url}/admin`);
      expect(running.oneTimePassword).toBeTruthy();
      expect(block).toContain(`管理台一次性密码：${running.oneTimePassword}`);
      expect(block).toContain(`${running.loaded.plan.tasks.length} 项任务`);
      // The browser's first request is for the tab icon: served, not a 404.
      const icon = await fetch(`${running.url}/favicon.ico`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    } finally {
      await running.close();
    }
  });

  it('shows no password when DASHBOARD_PASSWORD is set', async () => {
    const running = await started({ DASHBOARD_PASSWORD: 'a-configured-secret' });
    try {
      expect(running.oneTimePassword).toBeUndefined();
      expect(startupBlock(running)).not.toContain('a-configured-secret');
      expect(startupBlock(running)).not.toContain('密码：');
    } finally {
      await running.close();
    }
  });
});

describe('the command line runs compiled code', () => {
  it('`npm run --silent ask -- --json` prints one JSON object and nothing else, from the DATA_DIR the server uses', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'first-run-cli-'));
    dirs.push(dir);
    // The plan in DATA_DIR (as imported from the dashboard): the default one with a new phrase in its first task.
    const rows = readFileSync(path.join(DEFAULT_PLAN_DIR, 'plan.txt'), 'utf8').split('\n');
    const at = rows.findIndex((l) => /^\d+$/.test(l.split('\t')[2] ?? ''));
    const cells = rows[at].split('\t');
    cells[3] += '开展鲲鹏展翅专项行动。';
    rows[at] = cells.join('\t');
    await writeFile(path.join(dir, 'plan.txt'), rows.join('\n'));
    const r = spawnSync('npm', ['run', '--silent', 'ask', '--', '--json', '谁负责鲲鹏展翅专项行动?'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DEFAULT_PLAN_DIR: process.env.DEFAULT_PLAN_DIR, DATA_DIR: dir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]) as { intent: string; tasks: Array<{ id: number }> };
    expect(answer.intent).toBe('responsibility');
    expect(answer.tasks[0].id).toBe(Number(cells[2]));
    // Compiling (when sources changed) is reported on stderr only.
    expect(r.stderr).not.toMatch(/[{}]/);
  }, 130_000);
});
