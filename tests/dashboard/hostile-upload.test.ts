import ExcelJS from 'exceljs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImportLimits } from '../../src/dashboard/config.js';
import { readTable, runningImportWorkers } from '../../src/dashboard/read-table.js';
import { understated, xlsxBomb } from '../fakes/xlsx-bomb.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'hostile-upload-test-1';

/** The real server (npm run dev's entry) in a child process, so its peak RSS and its log are its own. */
class Server {
  private out = '';
  private readonly waiters: Array<() => void> = [];
  readonly child: ChildProcess;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'duban-hostile-'));
  url = '';

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DEFAULT_PLAN_DIR: process.env.DEFAULT_PLAN_DIR, PORT: '0', DATA_DIR: this.dir, LOG_LEVEL: 'info', DASHBOARD_PASSWORD: PASSWORD, REMINDERS_ENABLED: 'false' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child.stdout!.on('data', (d) => {
      this.out += d;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  logLines(): Array<Record<string, unknown>> {
    return this.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Resolves when a log line matching `test` has been written (event-driven: on each chunk of output). */
  async logged(test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (;;) {
      const hit = this.logLines().find(test);
      if (hit) return hit;
      if (this.child.exitCode !== null) throw new Error(`server exited: ${this.out}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  peakRssMb(): number {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))![1]) / 1024;
  }

  async stop() {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('a hostile upload cannot stall the server', () => {
  let server: Server;
  let cookie = '';
  let csrf = '';

  beforeAll(async () => {
    server = new Server();
    server.url = String((await server.logged((l) => l.msg === '督办助手 ready')).url);
    const login = await fetch(`${server.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ name: '张三', password: PASSWORD }), redirect: 'manual' });
    cookie = login.headers.get('set-cookie')!.split(';')[0];
    const page = await (await fetch(`${server.url}/admin/data`, { headers: { cookie } })).text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
  }, 60_000);
  afterAll(() => server?.stop());

  const upload = (filename: string, content: Buffer | string) => {
    const fd = new FormData();
    fd.set('_csrf', csrf);
    fd.set('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), filename);
    return fetch(`${server.url}/admin/import/ledger`, { method: 'POST', headers: { cookie }, body: fd, redirect: 'manual' });
  };

  /** Ask /healthz and the chat API back to back until `work` settles; every answer must be a success. */
  async function whilePolling<T>(work: Promise<T>): Promise<{ result: T; polls: number; failures: number }> {
    let settled = false;
    let polls = 0;
    let failures = 0;
    const poller = (async () => {
      while (!settled) {
        const health = await fetch(`${server.url}/healthz`);
        const ask = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '第1项是什么' }) });
        polls++;
        if (health.status !== 200 || ask.status !== 200) failures++;
      }
    })();
    const result = await work.finally(() => (settled = true));
    await poller;
    return { result, polls, failures };
  }

  it('refuses a decompression-bomb ledger (5 million identical rows) naming the limit, while /healthz and chat keep answering', async () => {
    const bomb = await xlsxBomb(5_000_000);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { result, polls, failures } = await whilePolling(upload('ledger.xlsx', bomb).then(async (r) => ({ status: r.status, body: await r.text() })));
    expect(result.status).toBe(422);
    expect(result.body).toContain('表格过大：解压后超过 20 MB 的上限');
    expect(polls).toBeGreaterThan(0);
    expect(failures).toBe(0);
    const refusal = await server.logged((l) => l.msg === '导入文件被拒绝' && l.filename === 'ledger.xlsx');
    // Logged after the worker exited: no parse is left running.
    expect(refusal).toMatchObject({ workersRunning: 0, refusal: '表格过大：解压后超过 20 MB 的上限' });
    expect(server.peakRssMb()).toBeLessThan(300);
  }, 60_000);

  it('refuses the same bomb when its zip header understates the unpacked size', async () => {
    const res = await upload('lying.xlsx', understated(await xlsxBomb(1_000_000)));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('表格过大：解压后超过 20 MB 的上限');
    expect(server.peakRssMb()).toBeLessThan(300);
  }, 60_000);

  it('refuses a 9.9 MB CSV of one huge cell, while /healthz keeps answering', async () => {
    const csv = `序号,责任部门,最新进展\r\n1,人社,${'很'.repeat(3_300_000)}\r\n`;
    const { result, failures } = await whilePolling(upload('ledger.csv', csv).then(async (r) => ({ status: r.status, body: await r.text() })));
    expect(result.status).toBe(422);
    expect(result.body).toContain('单元格过大：超过 32,767 字的上限');
    expect(failures).toBe(0);
  }, 60_000);

  it('refuses 9.9 MB of dashes (which make the multipart boundary search slow) while /healthz keeps answering', async () => {
    const { result, failures } = await whilePolling(upload('dashes.csv', '-'.repeat(9.9 * 1024 * 1024)).then(async (r) => ({ status: r.status, body: await r.text() })));
    expect(result.status).toBe(422);
    expect(result.body).toContain('单元格过大：超过 32,767 字的上限');
    expect(failures).toBe(0);
  }, 60_000);

  it('answers an upload over the size limit with the real limit', async () => {
    const res = await upload('big.csv', Buffer.alloc(11 * 1024 * 1024, 0x41));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('请求体过大（上限 10 MB）');
  }, 60_000);
});

describe('import limits', () => {
  const limits = readImportLimits({});

  it('refuses a real workbook with more rows than the limit, and stops the worker', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['序号', '责任部门', '状态']);
    for (let i = 0; i < 5_000; i++) ws.addRow([1, '人社', '进行中']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    await expect(readTable(file, 'ledger.xlsx', limits)).rejects.toMatchObject({ message: '表格过大：超过 5,000 行的上限' });
    expect(runningImportWorkers()).toBe(0);
  });

  it('refuses a CSV wider than the column limit', async () => {
    const csv = `${Array.from({ length: 51 }, (_, i) => `列${i}`).join(',')}\r\n`;
    await expect(readTable(Buffer.from(csv), 'wide.csv', limits)).rejects.toMatchObject({ message: '表格过大：超过 50 列的上限' });
  });

  it('terminates a parse that runs past the time limit', async () => {
    await expect(readTable(Buffer.from('序号,责任部门\r\n1,人社\r\n'), 'ledger.csv', { ...limits, timeoutMs: 1 })).rejects.toMatchObject({
      message: '表格解析超时：超过 0.001 秒的上限',
    });
    expect(runningImportWorkers()).toBe(0);
  });

  it('names a bad IMPORT_* variable', () => {
    expect(() => readImportLimits({ IMPORT_MAX_ROWS: 'many' })).toThrow(/IMPORT_MAX_ROWS/);
  });
});
