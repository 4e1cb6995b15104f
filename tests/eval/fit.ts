/**
 * npm run fit — refit the question-answering model (data/lexicon/weights.json): BM25F parameters (grid) and the
 * weights of the ranking signals (coordinate ascent on top-1; the BM25F parameters chosen by the refitted ranking's
 * top-1) on the "who is responsible" development questions of
 * every plan that has them (plans 1–3, 6, 7 and 9: one ranking serves any plan, so it is fitted on plans of several
 * domains and task lengths); then the answer-or-refuse decision (logistic regression) on the development questions of
 * every plan (how a question asks, what kind of fact it wants, how much of it the plan knows); and print
 * cross-validated figures: the full ranking, the BM25F floor alone, each signal left out; the decision 5-fold
 * and with each blind batch left out.
 *
 *   npm run fit               fit and write data/lexicon/weights.json
 *   npm run fit -- --dry-run  fit and print, write nothing
 *   npm run fit -- --cv-only  only the cross-validation of the stored model
 *   npm run fit -- --decision-only  refit only the answer-or-refuse decision (the ranking as stored) and write it
 *                                   (add --no-cv to skip its cross-validation)
 *   npm run fit -- --ranking-only   refit only the ranking (BM25F parameters and weights), the decision as stored
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import { readFileSync, writeFileSync } from 'node:fs';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { decisionRecord, DECISION_FEATURES, FEATURES, loadRankModel, WEIGHTS_FILE, weightsRecord, type RankModel } from '../../src/nlu/rank-model.js';
import { loadLexicon } from '../../src/nlu/lexicon.js';
import { loadQuestions, loadSuitePlan, preloadSuitePlans, suites, type EvalSuite } from './eval-lib.js';
import {
  crossValidate,
  crossValidateDecision,
  decisionData,
  decisionErrors,
  leaveBatchOut,
  fitBm25,
  fitLogistic,
  fitQuestions,
  fitWeights,
  matrix,
  type FitSet,
  objective,
} from './fit-lib.js';

const args = process.argv.slice(2);
const rankingOnly = args.includes('--ranking-only');
await preloadSuitePlans();
const loaded = loadSuitePlan('plan1');
/** A development plan as the suites load it (plan 1 read once). */
const planOf = (plan: EvalSuite['plan']) => (plan === 'plan1' ? loaded : loadSuitePlan(plan));
/** The decision's examples from every plan's development set, with the ranking model given. */
const decisionSet = (m: RankModel) => decisionData((plan) => createQaEngine(planOf(plan), { model: m }));
const stored = loadRankModel();
const lexicon = loadLexicon();
/** Every development plan's "who is responsible" questions (fitQuestions keeps only those), read by its engine. */
const sets: FitSet[] = [...new Set(suites().filter((s) => s.split === 'dev').map((s) => s.plan))].map((plan) => {
  const planLoaded = planOf(plan);
  const questions = suites().filter((s) => s.split === 'dev' && s.plan === plan).flatMap((s) => loadQuestions(s.file));
  return { loaded: planLoaded, qs: fitQuestions(createQaEngine(planLoaded, { model: stored }), questions) };
}).filter((set) => set.qs.length > 0);
const questionCount = sets.reduce((n, set) => n + set.qs.length, 0);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

let model: RankModel = stored;
if (args.includes('--decision-only')) {
  const data = decisionSet(model);
  const decision = fitLogistic(data);
  const e = decisionErrors(decision, data);
  console.log(`decision ${JSON.stringify(decisionRecord(decision))}  on all ${e.n} (every plan): ${e.refused} refused, ${e.answered} out-of-scope answered`);
  if (!args.includes('--dry-run')) {
    const raw = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')) as Record<string, unknown>;
    writeFileSync(WEIGHTS_FILE, `${JSON.stringify({ ...raw, decision: decisionRecord(decision) }, null, 2)}\n`);
    console.log(`written ${WEIGHTS_FILE}`);
  }
  // (the cross-validation refits per fold and per batch left out: minutes; --no-cv when only the fit is wanted)
  if (!args.includes('--no-cv')) printDecisionCv(data);
  process.exit(0);
}
if (!args.includes('--cv-only')) {
  const chars = fitBm25(sets, model, 'chars', lexicon);
  model = { ...model, chars };
  const words = fitBm25(sets, model, 'words', lexicon);
  model = { ...model, words };
  console.log(`BM25F chars ${JSON.stringify(chars)}  words ${JSON.stringify(words)}`);
  const m = matrix(sets, model, lexicon);
  const weights = fitWeights(m, stored.weights);
  model = { ...model, weights };
  const r = objective(m, weights);
  console.log(`ranking ${JSON.stringify(weightsRecord(weights))}  top-1 on all ${questionCount}: ${pct(r.top1 / r.n)}`);
  // the decision reads the ranking's scores: fitted after it, with the new ranking in place
  if (!rankingOnly) {
    const data = decisionSet(model);
    const decision = fitLogistic(data);
    model = { ...model, decision };
    const e = decisionErrors(decision, data);
    console.log(`decision ${JSON.stringify(decisionRecord(decision))}  on all ${e.n}: ${e.refused} refused, ${e.answered} out-of-scope answered`);
  }
  if (!args.includes('--dry-run')) {
    const raw = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')) as Record<string, unknown>;
    const out = { ...raw, chars, words, weights: weightsRecord(weights), decision: decisionRecord(model.decision) };
    writeFileSync(WEIGHTS_FILE, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`written ${WEIGHTS_FILE}`);
  }
}

const m = matrix(sets, model, lexicon);
const cv = crossValidate(m, model.weights, model.weights, 5);
console.log(`\n5-fold cross-validation of the ranking (${questionCount} "who is responsible" questions of ${sets.length} plans; weights refitted per fold, BM25F parameters fixed):`);
console.log(`  full model      ${pct(cv.full)}   (stored weights on all questions: ${pct(cv.stored)})`);
console.log(`  BM25F floor     ${pct(cv.floor)}   (coverage + words + char n-grams only)`);
for (const f of FEATURES.slice(1).filter((x) => x in cv.without)) console.log(`  without ${f.padEnd(8)} ${pct(cv.without[f])}   ${cv.without[f] < cv.full ? 'helps' : 'no help on held-out folds'}`);
// A signal is kept only if leaving it out lowers held-out top-1; the others are set to 0 and the rest refitted.
const unhelpful = FEATURES.slice(1).filter((f) => cv.without[f] >= cv.full);
if (unhelpful.length && !args.includes('--cv-only') && !args.includes('--dry-run')) {
  const mask = FEATURES.map((f) => !unhelpful.includes(f as (typeof unhelpful)[number]));
  const weights = fitWeights(m, model.weights, undefined, mask);
  const reduced = crossValidate(m, weights, weights, 5, mask);
  // Signals each useless alone may be useful together: the smaller model replaces the full one only if it does
  // at least as well on held-out folds.
  if (reduced.full >= cv.full) {
    model = { ...model, weights };
    if (!rankingOnly) model = { ...model, decision: fitLogistic(decisionSet(model)) };
    const raw = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')) as Record<string, unknown>;
    writeFileSync(WEIGHTS_FILE, `${JSON.stringify({ ...raw, weights: weightsRecord(weights), decision: decisionRecord(model.decision) }, null, 2)}\n`);
    console.log(`\nwithout the signals that did not help (${unhelpful.join(', ')}): cross-validated top-1 ${pct(reduced.full)}; written`);
    console.log(`ranking ${JSON.stringify(weightsRecord(weights))}`);
  } else {
    console.log(`\nwithout the signals that did not help one at a time (${unhelpful.join(', ')}): cross-validated top-1 ${pct(reduced.full)}, below the full model's ${pct(cv.full)}: the full model is kept`);
  }
}
printDecisionCv(decisionSet(model));

function printDecisionCv(data: ReturnType<typeof decisionSet>): void {
  const dv = crossValidateDecision(data, 5);
  console.log(`\nCross-validation of the answer-or-refuse decision (${DECISION_FEATURES.length} signals, every plan's development set):`);
  console.log(`  5-fold: answerable refused ${dv.refused}/${dv.positives} (${pct(dv.refused / dv.positives)}), out-of-scope answered ${dv.answered}/${dv.negatives} (${pct(dv.answered / dv.negatives)})`);
  for (const g of leaveBatchOut(data)) console.log(`  ${g.group.padEnd(14)} left out: refused ${g.refused}/${g.positives}, out-of-scope answered ${g.answered}/${g.negatives}`);
}
