/**
 * npx tsx tests/eval/ablation.ts — how much each ranking signal contributes: top-1 on the
 * responsibility and out-of-scope questions with each signal's weight set to 0, halved and doubled.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import { loadPlan } from '../../src/plan/load.js';
import { createQaEngine } from '../../src/nlu/engine.js';
import { RANK_WEIGHTS } from '../../src/nlu/search.js';
import { evaluate, loadQuestions, summarize } from './eval-lib.js';

const engine = createQaEngine(loadPlan());
const questions = loadQuestions().filter((q) => q.intent === 'responsibility' || q.category === 'out_of_scope');
const base = { ...RANK_WEIGHTS };
const top1 = () => summarize(evaluate(engine, questions)).overall.top1;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

console.log(`${questions.length} questions; all signals: ${pct(top1())}`);
console.log(`${'signal'.padEnd(10)} ${'×0'.padStart(7)} ${'×0.5'.padStart(7)} ${'×2'.padStart(7)}`);
for (const key of Object.keys(base) as Array<keyof typeof base>) {
  const row = [0, 0.5, 2].map((f) => {
    Object.assign(RANK_WEIGHTS, base, { [key]: base[key] * f });
    return pct(top1()).padStart(7);
  });
  console.log(`${key.padEnd(10)} ${row.join(' ')}`);
}
Object.assign(RANK_WEIGHTS, base);
