/**
 * Several plans at once (fixtures plan1 and plan2): memory of the engines, and how the router picks the plan.
 *  - RSS of a fresh process with one plan's engine, and with both (each measured in its own child process,
 *    after asking every question once, so indexes and caches are built);
 *  - routing on questions made from the fixtures by rule (「谁负责<a task's short term>」, 「<unit>有哪些任务」,
 *    「<short name>第N项是什么」): the share answered from the plan they were made from, the share with its task
 *    first, and the share answered from both plans (alike);
 *  - time per question through the router against one engine alone.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createQaEngine } from '../handlers/qa-engine.js';
import { createPlanRouter } from '../src/core/plans.js';
import { DepartmentRegistry } from '../src/plan/departments.js';
import { taskTerms } from '../src/plan/examples.js';
import { buildPlanImport, readPlanTable } from '../src/plan/import/index.js';
import { loadUnitLexicon } from '../src/plan/import/units.js';
import { loadPlan, type LoadedPlan } from '../src/plan/load.js';
import { planShortName } from '../src/plan/names.js';
import { readFileSync } from 'node:fs';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tests/fixtures/plans');

async function fixturePlans(): Promise<LoadedPlan[]> {
  const first = loadPlan({ planFile: path.join(FIXTURES, 'plan1/plan.txt'), departmentsFile: path.join(FIXTURES, 'plan1/departments.json') });
  const file = path.join(FIXTURES, 'plan2/plan2.docx');
  const imp = buildPlanImport(await readPlanTable(readFileSync(file), file), { id: 'p2', lexicon: loadUnitLexicon(), others: [{ id: 'default', registry: first.registry }] });
  return [first, { plan: imp.plan!, registry: new DepartmentRegistry(imp.departments!) }];
}

interface Probe {
  question: string;
  plan: string;
  task?: number;
}

function probes(plans: LoadedPlan[]): Probe[] {
  const out: Probe[] = [];
  for (const { plan, registry } of plans) {
    for (const t of plan.tasks) for (const term of taskTerms(t).slice(0, 1)) out.push({ question: `谁负责${term}`, plan: plan.id, task: t.id });
    for (const name of registry.names) if (plan.tasks.some((t) => t.departments.includes(name))) out.push({ question: `${name}有哪些任务`, plan: plan.id });
    const short = planShortName(plan.title);
    for (const t of plan.tasks.filter((_, i) => i % 5 === 0)) out.push({ question: `${short}第${t.id}项是什么`, plan: plan.id, task: t.id });
  }
  return out;
}

async function child(n: number): Promise<void> {
  const plans = (await fixturePlans()).slice(0, n);
  const router = createPlanRouter(plans, (p) => createQaEngine(p));
  for (const p of probes(plans)) router.ask(p.question);
  globalThis.gc?.();
  process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed }));
}

export async function plansBench(): Promise<string> {
  const me = fileURLToPath(import.meta.url);
  const mem = [1, 2].map((n) => {
    const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', me, '--child', String(n)], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { rss: number; heap: number };
  });
  const plans = await fixturePlans();
  const router = createPlanRouter(plans, (p) => createQaEngine(p));
  const list = probes(plans);
  router.ask('帮助'); // builds both engines and the checked examples, outside the timing
  const rows = plans.map((p) => ({ id: p.plan.id, n: 0, own: 0, top: 0, withTask: 0, both: 0 }));
  const t0 = performance.now();
  for (const p of list) {
    const a = router.ask(p.question);
    const row = rows.find((r) => r.id === p.plan)!;
    row.n++;
    if (a.plans.length > 1) row.both++;
    else if (a.plans[0] === p.plan) row.own++;
    if (p.task !== undefined) {
      row.withTask++;
      if (a.tasks[0]?.plan === p.plan && a.tasks[0]?.id === p.task) row.top++;
    }
  }
  const routedMs = (performance.now() - t0) / list.length;
  const alone = createQaEngine(plans[0]);
  const t1 = performance.now();
  for (const p of list) alone.ask(p.question);
  const aloneMs = (performance.now() - t1) / list.length;
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  return [
    `  RSS after every probe question:  one plan ${mb(mem[0].rss)} (heap ${mb(mem[0].heap)}),  two plans ${mb(mem[1].rss)} (heap ${mb(mem[1].heap)})`,
    `  routing (questions made from the fixtures by rule):   plan    questions   own plan   both plans   its task first`,
    ...rows.map((r) => `    ${r.id.padEnd(50)} ${String(r.n).padStart(9)} ${((r.own / r.n) * 100).toFixed(0).padStart(9)}% ${((r.both / r.n) * 100).toFixed(0).padStart(10)}% ${((r.top / Math.max(1, r.withTask)) * 100).toFixed(0).padStart(12)}%`),
    `  time per question: routed over two plans ${routedMs.toFixed(2)} ms, one engine alone ${aloneMs.toFixed(2)} ms`,
  ].join('\n');
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(Number(process.argv[at + 1]));
else if (import.meta.url === `file://${process.argv[1]}`) console.log(await plansBench());
