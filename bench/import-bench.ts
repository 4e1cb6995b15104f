/**
 * Hostile uploads against `npm start`'s server (a child process): the decompression-bomb .xlsx (5 million identical
 * rows) and a 9.9 MB CSV of one cell. For each: time to the refusal, the server's peak RSS, and the slowest
 * /healthz answer while the upload was being handled (/healthz asked back to back).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { xlsxBomb } from '../tests/fakes/xlsx-bomb.js';
import { buildOnce, startArgs } from './http-bench.js';
import { freePort } from '../tests/helpers/free-port.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PASSWORD = 'import-bench-password';

const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function waitReady(url: string): Promise<void> {
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
  }
  throw new Error('server not ready');
}

export interface UploadFigures {
  label: string;
  bytes: number;
  refusalMs: number;
  status: number;
  message: string;
  healthzMaxMs: number;
  healthzCount: number;
  peakRssMb: number;
}

/** Ask /healthz back to back until `stop` resolves; the slowest answer and how many. */
async function pollHealthz(base: string, stop: Promise<unknown>): Promise<{ maxMs: number; count: number }> {
  let done = false;
  void stop.finally(() => (done = true));
  let maxMs = 0;
  let count = 0;
  while (!done) {
    const t = performance.now();
    await (await fetch(`${base}/healthz`)).arrayBuffer();
    maxMs = Math.max(maxMs, performance.now() - t);
    count++;
  }
  return { maxMs, count };
}

export async function importBench(): Promise<UploadFigures[]> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'duban-import-bench-'));
  const child = spawn(process.execPath, startArgs(), {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', DASHBOARD_PASSWORD: PASSWORD, REMINDERS_ENABLED: 'false', DOTENV_CONFIG_QUIET: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${base}/healthz`);
    const login = await fetch(`${base}/admin/login`, { method: 'POST', body: new URLSearchParams({ name: 'bench', password: PASSWORD }), redirect: 'manual' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await fetch(`${base}/admin/data`, { headers: { cookie } })).text())![1];
    const cases: Array<[string, string, Uint8Array<ArrayBuffer>]> = [
      ['XLSX bomb, 5,000,000 identical rows', 'bomb.xlsx', new Uint8Array(await xlsxBomb(5_000_000))],
      ['CSV of one 3,300,000-character cell', 'cell.csv', new Uint8Array(Buffer.from(`序号,责任部门,最新进展\r\n1,人社,${'很'.repeat(3_300_000)}\r\n`))],
      // Dashes slow the multipart boundary search (the boundary starts with dashes): the form is taken apart in the worker too.
      ['9.9 MB of dashes (slow multipart boundary search)', 'dashes.csv', new Uint8Array(Buffer.alloc(9.9 * 1024 * 1024, 0x2d))],
    ];
    // The control: /healthz for a second with no upload, so the figures below can be read against this machine's load.
    const rest = await pollHealthz(base, new Promise((r) => setTimeout(r, 1000)));
    const out: UploadFigures[] = [{ label: 'no upload (control, 1 s)', bytes: 0, refusalMs: 0, status: 0, message: '', healthzMaxMs: rest.maxMs, healthzCount: rest.count, peakRssMb: peakRssMb(child.pid!) }];
    for (const [label, filename, data] of cases) {
      const fd = new FormData();
      fd.set('_csrf', csrf);
      fd.set('file', new Blob([data]), filename);
      const started = performance.now();
      const request = fetch(`${base}/admin/import/ledger`, { method: 'POST', headers: { cookie }, body: fd, redirect: 'manual' });
      const [res, health] = await Promise.all([request, pollHealthz(base, request)]);
      const body = await res.text();
      const refusalMs = performance.now() - started;
      const { maxMs: healthzMaxMs, count: healthzCount } = health;
      const message = /(表格[^<]*上限|单元格[^<]*上限|文件[^<]*上限)/.exec(body)?.[1] ?? body.slice(0, 80);
      out.push({ label, bytes: data.length, refusalMs, status: res.status, message, healthzMaxMs, healthzCount, peakRssMb: peakRssMb(child.pid!) });
    }
    return out;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatImportBench(rows: UploadFigures[]): string {
  return rows
    .map((r) =>
      r.bytes === 0
        ? `  ${r.label}: /healthz slowest ${r.healthzMaxMs.toFixed(0)} ms of ${r.healthzCount}, server RSS ${r.peakRssMb.toFixed(0)} MB`
        : [
            `  ${r.label} (${(r.bytes / 1024).toFixed(0)} KB upload):`,
            `    refused in:           ${r.refusalMs.toFixed(0)} ms   (target < 2000 ms) — ${r.status} 「${r.message}」`,
            `    /healthz meanwhile:   slowest ${r.healthzMaxMs.toFixed(0)} ms of ${r.healthzCount}   (target < 200 ms)`,
            `    server peak RSS:      ${r.peakRssMb.toFixed(0)} MB   (target < 300 MB)`,
          ].join('\n'),
    )
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildOnce();
  console.log(formatImportBench(await importBench()));
}
