/** npm run eval: top-1/top-3 accuracy per category and overall on tests/eval/questions.jsonl, and the misses. */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import { loadPlan } from '../../src/plan/load.js';
import { createQaEngine } from '../../src/nlu/engine.js';
import { evaluate, loadQuestions, summarize } from './eval-lib.js';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const engine = createQaEngine(loadPlan());
const file = process.argv[2];
const results = evaluate(engine, loadQuestions(file));
const { perCategory, overall, misses } = summarize(results);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
console.log(`${'category'.padEnd(18)} ${'n'.padStart(4)}  top-1   top-3`);
for (const [cat, r] of Object.entries(perCategory)) console.log(`${cat.padEnd(18)} ${String(r.n).padStart(4)} ${pct(r.top1)}  ${pct(r.top3)}`);
console.log(`${'overall'.padEnd(18)} ${String(overall.n).padStart(4)} ${pct(overall.top1)}  ${pct(overall.top3)}`);
const named = results.filter((r) => r.q.category === 'out_of_scope' && engine.ask(r.q.question).departments.length > 0);
console.log(`\nout-of-scope questions answered with a department: ${named.length}${named.length ? ` (${named.map((r) => r.q.question).join(' | ')})` : ''}`);
if (misses.length) {
  console.log(`\nmisses (${misses.length}):`);
  for (const m of misses) {
    console.log(`  [${m.q.category}] ${JSON.stringify(m.q.question)} expected ${m.q.intent} ${JSON.stringify(m.q.tasks.slice(0, 6))} got ${m.intent} ${JSON.stringify(m.top)}`);
  }
}
