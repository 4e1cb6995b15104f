/**
 * Which answers a change moves, question by question — the check behind every "development +N −M; test splits
 * unchanged" of RECORD.md.
 *
 *   npx tsx tests/eval/compare.ts dump OUT.json [FILE.jsonl:planN ...]   every suite (and the files named) answered
 *   npx tsx tests/eval/compare.ts diff BEFORE.json AFTER.json             per suite: right before → after; the
 *                                                                         development questions that flipped
 *
 * Test splits, and extra files under a folder named `heldout`, keep only each question's place and category: their
 * questions are never printed, so a comparison cannot show what they ask.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
import { readFileSync, writeFileSync } from 'node:fs';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { evaluate, loadQuestions, loadSuitePlan, preloadSuitePlans, suites, type EvalSuite } from './eval-lib.js';

interface DumpedAnswer {
  category: string;
  ok: boolean;
  /** Development questions only. */
  question?: string;
  got?: string;
}
type Dump = Record<string, DumpedAnswer[]>;

async function dump(out: string, extra: string[]): Promise<void> {
  await preloadSuitePlans();
  const engines = new Map<string, ReturnType<typeof createQaEngine>>();
  const list: EvalSuite[] = [
    ...suites(),
    ...extra.map((arg) => {
      const [file, plan = 'plan1'] = arg.split(':');
      return { name: file, plan: plan as EvalSuite['plan'], split: file.includes('/heldout/') ? ('test' as const) : ('dev' as const), file };
    }),
  ];
  const result: Dump = {};
  for (const suite of list) {
    let engine = engines.get(suite.plan);
    if (!engine) engines.set(suite.plan, (engine = createQaEngine(loadSuitePlan(suite.plan))));
    const blind = suite.split === 'test';
    result[`${suite.split} ${suite.name}`] = evaluate(engine, loadQuestions(suite.file)).map((r) => ({
      category: r.q.category,
      ok: r.top1,
      ...(blind ? {} : { question: r.q.question, got: `${r.intent} ${JSON.stringify(r.top)} (gold ${r.q.intent} ${JSON.stringify(r.q.tasks.slice(0, 6))}${r.q.batch ? `, ${r.q.batch}` : ''})` }),
    }));
  }
  writeFileSync(out, JSON.stringify(result));
}

function diff(beforeFile: string, afterFile: string): void {
  const before = JSON.parse(readFileSync(beforeFile, 'utf8')) as Dump;
  const after = JSON.parse(readFileSync(afterFile, 'utf8')) as Dump;
  const totals = { dev: [0, 0], test: [0, 0] };
  for (const [name, answers] of Object.entries(after)) {
    const old = before[name];
    if (!old || old.length !== answers.length) {
      console.log(`${name}: ${answers.filter((a) => a.ok).length}/${answers.length} (no comparable run before)`);
      continue;
    }
    const won = answers.flatMap((a, i) => (a.ok && !old[i].ok ? [i] : []));
    const lost = answers.flatMap((a, i) => (!a.ok && old[i].ok ? [i] : []));
    const right = (d: DumpedAnswer[]) => d.filter((a) => a.ok).length;
    const kind = name.startsWith('test') ? 'test' : 'dev';
    totals[kind][0] += won.length;
    totals[kind][1] += lost.length;
    console.log(`${name.padEnd(44)} ${right(old)} → ${right(answers)} / ${answers.length}${won.length || lost.length ? `   +${won.length} −${lost.length}` : ''}`);
    if (kind === 'test') {
      for (const [sign, ids] of [['+', won], ['−', lost]] as const) for (const i of ids) console.log(`   ${sign} #${i} [${answers[i].category}]`);
      continue;
    }
    for (const [sign, ids] of [['+', won], ['−', lost]] as const) {
      for (const i of ids) console.log(`   ${sign} ${JSON.stringify(answers[i].question)}: ${old[i].got} → ${answers[i].got}`);
    }
  }
  console.log(`\ndevelopment +${totals.dev[0]} −${totals.dev[1]};  test splits and held-out +${totals.test[0]} −${totals.test[1]}`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'dump' && rest[0]) await dump(rest[0], rest.slice(1));
else if (command === 'diff' && rest.length === 2) diff(rest[0], rest[1]);
else {
  console.error('usage: compare.ts dump OUT.json [FILE.jsonl:planN ...] | compare.ts diff BEFORE.json AFTER.json');
  process.exit(2);
}
