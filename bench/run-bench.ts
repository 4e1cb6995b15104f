/**
 * `npm run bench`: every benchmark of the project, one after the other, printing figures next to their targets.
 * The QA engine in-process, the HTTP server on loopback, the state file and reminder tick at 5,000 tasks,
 * and the dashboard's overview render. `npm run bench -- qa http` runs only the sections named
 * (qa, http, state, dashboard, uploads, import, plans); without names, all of them.
 */
import { cpus } from 'node:os';
import { formatQaBench, qaBench } from './qa-bench.js';
import { formatRequestPath, requestPathBench } from './request-path-bench.js';
import { buildOnce, distinctQuestions, httpBench } from './http-bench.js';
import { formatStateBench, runStateBench } from './state-bench.js';
import { dashboardBench } from './dashboard-bench.js';
import { formatImportBench, importBench } from './import-bench.js';
import { planImportBench } from './plan-import-bench.js';
import { plansBench } from './plans-bench.js';
import { startPostgres } from '../tests/helpers/postgres.js';

const SECTIONS = ['qa', 'http', 'state', 'dashboard', 'uploads', 'import', 'plans'] as const;
const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(SECTIONS as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`unknown bench section ${unknown.join(', ')}: choose among ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const wanted = (name: (typeof SECTIONS)[number]) => !asked.length || asked.includes(name);
const section = (title: string) => console.log(`\n== ${title} ==`);

console.log(`督办助手 benchmarks — node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);

if (wanted('qa')) {
  section('Question answering');
  console.log(formatQaBench(qaBench(3)));
  console.log(formatRequestPath(await requestPathBench()));
}

if (wanted('http')) {
  section('HTTP (npm start\'s server as a child process, autocannon with 10 connections on loopback)');
  buildOnce();
  for (const [label, run] of [
    ['popular questions (answer cache on, as deployed)', { questions: undefined, cacheSize: 1000 }],
    [`${distinctQuestions().length} distinct questions, answer cache off`, { questions: distinctQuestions(), cacheSize: 0 }],
  ] as const) {
    const http = await httpBench({ seconds: 5, ...run });
    console.log(
      [
        `  ${label}:`,
        `    start → ready:        ${http.readyMs.toFixed(0)} ms   (target < 2000 ms); first question ${http.firstAskMs.toFixed(0)} ms (the engines are built before ready)`,
        `    GET /healthz:         ${http.trivialRps.toFixed(0)} req/s`,
        `    POST /api/ask:        ${http.askRps.toFixed(0)} req/s, p99 ${http.askP99Ms} ms, ${http.askErrors} errors`,
        `    /api/ask vs trivial:  ${(http.ratio * 100).toFixed(0)}%   (target ≥ 50%); the same questions again, server warm: ${(http.warmRatio * 100).toFixed(0)}%, CPU ${http.warmCpuMs.toFixed(3)} ms/request`,
        `    server CPU/request:   /healthz ${http.trivialCpuMs.toFixed(3)} ms, /api/ask ${http.askCpuMs.toFixed(3)} ms (${((http.trivialCpuMs / http.askCpuMs) * 100).toFixed(0)}%: the same ratio in CPU time, which other load on the machine moves less)`,
        `    /api/ask main thread: ${http.askMainCpuMs.toFixed(3)} ms/request, warm ${http.warmMainCpuMs.toFixed(3)} ms (the rest of the CPU: V8's compiler and GC threads)`,
        `    server peak RSS:      ${http.peakRssMb.toFixed(0)} MB   (target < 200 MB)`,
      ].join('\n'),
    );
  }
}

if (wanted('state')) {
  section('State and reminders (synthetic plan: 5,000 tasks, 300 departments)');
  console.log(formatStateBench(await runStateBench()));
  // The same on PostgreSQL (DATABASE_URL): a throw-away local cluster (Debian's postgresql, fsync on).
  {
    const pg = await startPostgres();
    try {
      console.log(formatStateBench(await runStateBench({ databaseUrl: await pg.createDatabase() })));
    } finally {
      await pg.stop();
    }
  }
}

if (wanted('dashboard')) {
  section('Dashboard (synthetic plan: 5,000 tasks)');
  console.log(await dashboardBench());
}

if (wanted('uploads')) {
  section('Hostile uploads (npm start\'s server as a child process, /healthz asked back to back meanwhile)');
  console.log(formatImportBench(await importBench()));
}

if (wanted('import')) {
  section('Plan import (fixtures; the worker column includes starting a worker, under tsx its TypeScript loader)');
  console.log(await planImportBench());
}

if (wanted('plans')) {
  section('Several plans (fixtures plan1 and plan2): memory, routing, time per question');
  console.log(await plansBench());
}
