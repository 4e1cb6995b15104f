/**
 * `npm run bench`: every benchmark of the project, one after the other, printing figures next to their targets.
 * The QA engine in-process, the HTTP server on loopback, the state file and reminder tick at 5,000 tasks,
 * and the dashboard's overview render.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
process.env.LOG_LEVEL ??= 'silent';
import { cpus } from 'node:os';
import { formatQaBench, qaBench } from './qa-bench.js';
import { httpBench } from './http-bench.js';
import { formatStateBench, runStateBench } from './state-bench.js';

const section = (title: string) => console.log(`\n== ${title} ==`);

console.log(`督办助手 benchmarks — node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);

section('Question answering');
console.log(formatQaBench(qaBench(3)));

section('HTTP (real server as a child process, autocannon, 10 connections, loopback)');
const http = await httpBench(5);
console.log(
  [
    `  start → ready:          ${http.readyMs.toFixed(0)} ms   (target < 2000 ms, includes tsx compile)`,
    `  GET /healthz:           ${http.trivialRps.toFixed(0)} req/s`,
    `  POST /api/ask:          ${http.askRps.toFixed(0)} req/s, p99 ${http.askP99Ms} ms, ${http.askErrors} errors`,
    `  /api/ask vs trivial:    ${(http.ratio * 100).toFixed(0)}%   (target ≥ 50%)`,
    `  server peak RSS:        ${http.peakRssMb.toFixed(0)} MB   (target < 200 MB)`,
  ].join('\n'),
);

section('State and reminders (synthetic plan: 5,000 tasks, 300 departments)');
console.log(formatStateBench(await runStateBench()));

try {
  const dash = await import('./dashboard-bench.js');
  section('Dashboard');
  console.log(await dash.dashboardBench());
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
}
