/**
 * HTTP side of the benchmark: start the real server as a child process, time start-to-ready,
 * compare /api/ask throughput with the trivial /healthz endpoint (autocannon, loopback only),
 * and read the server's peak RSS.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadQuestions } from '../tests/eval/eval-lib.js';
import { freePort } from '../tests/helpers/free-port.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** What the chat page's example buttons send: the popular questions, answered from the cache after the first time. */
const POPULAR = ['谁负责调解员培训?', '支付令归哪个部门管', '第46项是什么?', '总工会有哪些任务?', '拖欠工资的风险怎么排查'];

/** CPU time (user + system) the process has used, in ms (/proc clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/stat`);
}

/** The same of its main thread alone: the rest is V8's helper threads (the optimising compiler, the GC's helpers). */
function mainThreadCpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuMs(file: string): number {
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function waitReady(url: string, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`server not ready within ${deadlineMs} ms`);
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

export interface HttpBenchOptions {
  seconds?: number;
  /** Questions cycled through by the load generator. */
  questions?: string[];
  /** ANSWER_CACHE_SIZE for the server (0: every question computed). */
  cacheSize?: number;
}

/** Build once, then start `npm start`'s entry (node dist/src/main.js) directly: npm itself adds ~200 ms. */
export function buildOnce(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

/** The node arguments of `npm start` (package.json is the one place they are set). */
export function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`npm start is expected to run node, not ${node}`);
  return args;
}

export function distinctQuestions(): string[] {
  return loadQuestions().map((q) => q.question);
}

export async function httpBench({ seconds = 5, questions = POPULAR, cacheSize = 1000 }: HttpBenchOptions = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'duban-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, startArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      ANSWER_CACHE_SIZE: String(cacheSize),
      DOTENV_CONFIG_QUIET: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitReady(`${base}/healthz`, 20_000);
    const readyMs = performance.now() - started;
    // The first question after ready (the engines are built before the server listens): timed on its own.
    const first = performance.now();
    const warm = await fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '你好' }) });
    await warm.text();
    const firstAskMs = performance.now() - first;
    const cpu = cpuMs(child.pid!);
    const trivial = await run({ url: `${base}/healthz`, connections: 10, duration: seconds });
    const trivialCpuMs = (cpuMs(child.pid!) - cpu) / trivial.requests.total;
    let i = 0;
    const askRun = async () => {
      const before = cpuMs(child.pid!);
      const mainBefore = mainThreadCpuMs(child.pid!);
      const result = await run({
        url: `${base}/api/ask`,
        connections: 10,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: questions[i++ % questions.length] }) }),
          },
        ],
      });
      const perRequest = (ms: number) => ms / result.requests.total;
      return { result, cpuMs: perRequest(cpuMs(child.pid!) - before), mainCpuMs: perRequest(mainThreadCpuMs(child.pid!) - mainBefore) };
    };
    const { result: ask, cpuMs: askCpuMs, mainCpuMs: askMainCpuMs } = await askRun();
    // The same again on the now warm server (V8 has compiled the engine; with the cache off nothing is remembered):
    // the first run also pays for compiling code the first users of a restarted server pay for.
    const { result: again, cpuMs: againCpuMs, mainCpuMs: againMainCpuMs } = await askRun();
    const rss = peakRssMb(child.pid!);
    return {
      readyMs,
      firstAskMs,
      trivialCpuMs,
      askCpuMs,
      askMainCpuMs,
      trivialRps: trivial.requests.average,
      askRps: ask.requests.average,
      askP99Ms: ask.latency.p99,
      askErrors: ask.errors + ask.non2xx,
      ratio: ask.requests.average / trivial.requests.average,
      warmRatio: again.requests.average / trivial.requests.average,
      warmCpuMs: againCpuMs,
      warmMainCpuMs: againMainCpuMs,
      peakRssMb: rss,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildOnce();
  console.log(JSON.stringify(await httpBench(), null, 2));
  console.log(JSON.stringify(await httpBench({ questions: distinctQuestions(), cacheSize: 0 }), null, 2));
}
