/**
 * npm run fit — refit the ranking model (data/lexicon/weights.json) on the development questions of the
 * shipped plan: BM25F parameters (grid), then the weights of the signals (coordinate ascent on top-1),
 * and print 5-fold cross-validated top-1 for the full model, the BM25F floor alone and each signal left out.
 *
 *   npm run fit               fit and write data/lexicon/weights.json
 *   npm run fit -- --dry-run  fit and print, write nothing
 *   npm run fit -- --cv-only  only the cross-validation of the stored model
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import { readFileSync, writeFileSync } from 'node:fs';
import { createQaEngine } from '../../src/nlu/engine.js';
import { FEATURES, loadRankModel, WEIGHTS_FILE, weightsRecord } from '../../src/nlu/rank-model.js';
import { loadLexicon } from '../../src/nlu/lexicon.js';
import { loadQuestions, loadSuitePlan } from './eval-lib.js';
import { crossValidate, fitBm25, fitQuestions, fitWeights, matrix, objective } from './fit-lib.js';

const args = process.argv.slice(2);
const loaded = loadSuitePlan('plan1');
const stored = loadRankModel();
const engine = createQaEngine(loaded, { model: stored });
const lexicon = loadLexicon();
const qs = fitQuestions(engine, loadQuestions());
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

let model = stored;
if (!args.includes('--cv-only')) {
  const chars = fitBm25(loaded, model, 'chars', qs, lexicon);
  model = { ...model, chars };
  const words = fitBm25(loaded, model, 'words', qs, lexicon);
  model = { ...model, words };
  console.log(`BM25F chars ${JSON.stringify(chars)}  words ${JSON.stringify(words)}`);
  const m = matrix(loaded, model, qs, lexicon);
  const weights = fitWeights(m, stored.weights);
  model = { ...model, weights };
  const r = objective(m, weights);
  console.log(`weights ${JSON.stringify(weightsRecord(weights))}  top-1 on all ${qs.length}: ${pct(r.top1 / r.n)}`);
  if (!args.includes('--dry-run')) {
    const raw = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')) as Record<string, unknown>;
    writeFileSync(WEIGHTS_FILE, `${JSON.stringify({ ...raw, chars, words, weights: weightsRecord(weights) }, null, 2)}\n`);
    console.log(`written ${WEIGHTS_FILE}`);
  }
}

const m = matrix(loaded, model, qs, lexicon);
const cv = crossValidate(m, model.weights, model.weights, 5);
console.log(`\n5-fold cross-validation, ranking only (${qs.length} "who is responsible" questions; weights refitted per fold, BM25F parameters fixed):`);
console.log(`  full model      ${pct(cv.full)}   (stored weights on all questions: ${pct(cv.stored)})`);
console.log(`  BM25F floor     ${pct(cv.floor)}   (coverage + words + char n-grams only)`);
for (const f of FEATURES.slice(1)) console.log(`  without ${f.padEnd(8)} ${pct(cv.without[f])}   ${cv.without[f] < cv.full ? 'helps' : 'no help on held-out folds'}`);
