/**
 * npm run eval — question-answering quality per category for every suite present:
 * the development set (tests/eval/questions.jsonl, misses listed) and the blind test splits
 * (tests/eval/test/*.jsonl, aggregate figures only: never look at their questions, never tune on them),
 * with the naive character-bigram BM25 baseline side by side (responsibility questions; n/a for other intents,
 * where the baseline has no intent rules and gets no credit).
 *
 *   npm run eval                  all suites
 *   npm run eval -- --misses      also the development misses (never the test ones)
 *   npm run eval -- --cv 5        k-fold cross-validation of the stored ranking weights and decision (as npm run fit;
 *                                 the decision on both plans' development sets, also with each batch left out)
 *   npm run eval -- --lexicon     per lexicon file, how many entries change no development answer (--drop: remove them)
 *   npm run eval -- FILE.jsonl [--plan plan2]   one question file (a fresh batch: figures only; add --misses
 *                                 once its figures are recorded in RECORD.md)
 *   npm run eval -- FILE.jsonl --plan-file PLAN.csv   questions about a plan imported as an office would
 *                                 (.docx/.xlsx/.csv/plan.txt through the importer, no hand-made files)
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import { createQaEngine } from '../../handlers/qa-engine.js';
import type { QaEngine } from '../../src/nlu/engine.js';
import type { LoadedPlan } from '../../src/plan/load.js';
import { bigramBaseline } from './baseline.js';
import { lexiconReport } from './lexicon-report.js';
import { crossValidate, crossValidateDecision, decisionData, fitQuestions, leaveBatchOut, matrix } from './fit-lib.js';
import { FEATURES, loadRankModel } from '../../src/nlu/rank-model.js';
import { evaluate, formatSummary, importedPlan, loadQuestions, loadSuitePlan, preloadSuitePlans, suites, type EvalResult, type EvalSuite } from './eval-lib.js';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const args = process.argv.slice(2);
const showMisses = args.includes('--misses');
const files = args.filter((a) => a.endsWith('.jsonl'));
const planArg = args.includes('--plan') ? (args[args.indexOf('--plan') + 1] as EvalSuite['plan']) : 'plan1';

await preloadSuitePlans();
const engines = new Map<string, { loaded: LoadedPlan; engine: QaEngine }>();
const planFile = args.includes('--plan-file') ? args[args.indexOf('--plan-file') + 1] : undefined;
const imported = planFile ? await importedPlan(planFile) : undefined;
const importedEngine = imported && { loaded: imported, engine: createQaEngine(imported) };
function engineFor(plan: EvalSuite['plan']) {
  let e = engines.get(plan);
  if (!e) {
    const loaded = loadSuitePlan(plan);
    e = { loaded, engine: createQaEngine(loaded) };
    engines.set(plan, e);
  }
  return e;
}

function printMisses(results: EvalResult[]): void {
  const misses = results.filter((r) => !r.top1);
  console.log(`misses (${misses.length}):`);
  for (const m of misses) {
    console.log(`  [${m.q.category}] ${JSON.stringify(m.q.question)} expected ${m.q.intent} ${JSON.stringify(m.q.tasks.slice(0, 6))} got ${m.intent} ${JSON.stringify(m.top)}`);
  }
}

const list: EvalSuite[] = files.length ? files.map((file) => ({ name: file, plan: planArg, split: 'dev', file })) : suites();
for (const suite of list) {
  const { loaded, engine } = (files.length && importedEngine) || engineFor(suite.plan);
  const results = evaluate(engine, loadQuestions(suite.file), bigramBaseline(loaded));
  console.log(`\n== ${suite.name} (${suite.split === 'test' ? 'blind test split: figures only' : 'development'})`);
  for (const l of formatSummary(results)) console.log(l);
  if (suite.split === 'dev' && showMisses) printMisses(results);
}

if (args.includes('--lexicon')) {
  console.log('\n== lexicon entries that change no answer on any plan\'s development questions');
  const development = suites().filter((s) => s.split === 'dev');
  const sets = [...new Set(development.map((s) => s.plan))].map((plan) => ({
    loaded: engineFor(plan).loaded,
    questions: development.filter((s) => s.plan === plan).flatMap((s) => loadQuestions(s.file)),
  }));
  for (const l of lexiconReport(sets, args.includes('--drop'))) console.log(l);
}

if (args.includes('--cv')) {
  const k = Number(args[args.indexOf('--cv') + 1]) || 5;
  const { loaded, engine } = engineFor('plan1');
  const model = loadRankModel();
  const questions = loadQuestions();
  const signals = FEATURES.map((_, i) => i === 0 || model.weights[i] !== 0);
  const cv = crossValidate(matrix([{ loaded, qs: fitQuestions(engine, questions) }], model), model.weights, model.weights, k, signals);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`\n== ${k}-fold cross-validation on the development set (plan 1; weights refitted per fold)`);
  console.log(`ranking top-1: ${pct(cv.full)} held out (${pct(cv.stored)} with the stored weights on all); BM25F floor alone ${pct(cv.floor)}`);
  for (const [f, v] of Object.entries(cv.without)) console.log(`  without ${f.padEnd(8)} ${pct(v)}`);
  const data = decisionData((plan) => engineFor(plan).engine);
  const d = crossValidateDecision(data, k);
  console.log(`decision (both plans' development sets): answerable refused ${d.refused}/${d.positives}, out-of-scope answered ${d.answered}/${d.negatives} (held out)`);
  for (const g of leaveBatchOut(data)) console.log(`  ${g.group.padEnd(14)} left out: refused ${g.refused}/${g.positives}, out-of-scope answered ${g.answered}/${g.negatives}`);
}
