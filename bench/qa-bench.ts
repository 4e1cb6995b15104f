/**
 * In-process QA benchmark: engine build time, answers/second, p50/p99 latency of engine.ask over
 * the evaluation questions, and RSS. `npx tsx bench/qa-bench.ts [seconds]` prints a report;
 * bench/run-bench.ts imports qaBench() and adds the HTTP figures.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadPlan } from '../src/plan/load.js';
import { createQaEngine } from '../handlers/qa-engine.js';
import { loadQuestions } from '../tests/eval/eval-lib.js';

export interface QaBenchResult {
  /** loadPlan + createQaEngine (jieba dictionary, lexicon, index, classifier), first time in this process. */
  buildMs: number;
  answers: number;
  answersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 over questions of each question's median latency: the cost of the slowest kinds of question, without scheduler/GC noise. */
  perQuestionP99Ms: number;
  /** Process RSS before building (Node + tsx loader), after building, and at the end of the run. */
  rssBaseMb: number;
  rssReadyMb: number;
  rssMb: number;
  heapUsedMb: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function qaBench(seconds = 3): QaBenchResult {
  const mb = (n: number) => n / 1024 / 1024;
  const rssBaseMb = mb(process.memoryUsage().rss);
  const t0 = performance.now();
  const engine = createQaEngine(loadPlan());
  const buildMs = performance.now() - t0;
  const rssReadyMb = mb(process.memoryUsage().rss);
  const questions = loadQuestions().map((q) => q.question);
  questions.push('人社有哪些任务', '谁负责调解员培训?', '调'.repeat(10_000));
  // warm-up: JIT and lazy tables
  for (const q of questions) engine.ask(q);
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let i = 0;
  // at least three passes, so that each question's median is a median (the question list has grown past 1,000)
  while (performance.now() < end || i < questions.length * 3) {
    const q = questions[i++ % questions.length];
    const t = performance.now();
    engine.ask(q, { limit: { max: 2048, measure: 'bytes' } });
    latencies.push(performance.now() - t);
  }
  const elapsed = (performance.now() - start) / 1000;
  const perQuestion = questions.map((_, qi) => {
    const mine = latencies.filter((_, k) => k % questions.length === qi).sort((a, b) => a - b);
    return mine.length ? mine[Math.floor(mine.length / 2)] : 0;
  });
  perQuestion.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  const mem = process.memoryUsage();
  return {
    buildMs,
    answers: latencies.length,
    answersPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? 0,
    perQuestionP99Ms: percentile(perQuestion, 99),
    rssBaseMb,
    rssReadyMb,
    rssMb: mem.rss / 1024 / 1024,
    heapUsedMb: mem.heapUsed / 1024 / 1024,
  };
}

export function formatQaBench(r: QaBenchResult): string {
  return [
    'QA engine (in-process)',
    `  engine build (ready):  ${r.buildMs.toFixed(0)} ms   (target < 2000 ms)`,
    `  answers:               ${r.answers} in the run, ${r.answersPerSecond.toFixed(0)} answers/s`,
    `  latency p50 / p99:     ${r.p50Ms.toFixed(3)} ms / ${r.p99Ms.toFixed(3)} ms   (target p99 < 5 ms; max ${r.maxMs.toFixed(2)} ms)`,
    `  per-question p99:      ${r.perQuestionP99Ms.toFixed(3)} ms   (p99 over questions of each one's median: slowest kinds of question)`,
    // (this process also holds tsx, the eval questions and every timing of the run: the < 200 MB target is the server's)
    `  RSS:                   ${r.rssMb.toFixed(0)} MB at the end, the engine's own ${(r.rssReadyMb - r.rssBaseMb).toFixed(0)} MB; ${r.rssBaseMb.toFixed(0)} MB before the engine (Node + tsx), ${r.rssReadyMb.toFixed(0)} MB when ready; heap used ${r.heapUsedMb.toFixed(0)} MB (the < 200 MB target is the server's: HTTP section)`,
    `  machine load average:  ${loadavg()[0].toFixed(2)} (p99 on a busy machine is mostly GC pauses stretched by contention)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatQaBench(qaBench(Number(process.argv[2] ?? 3))));
}
