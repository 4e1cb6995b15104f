/**
 * npm run ask -- "谁负责调解员培训?"          → prints the reply text
 * npm run ask -- --json "谁负责调解员培训?"   → prints one JSON object
 * echo "问题" | npm run ask -- --json          → one JSON object per input line, in order
 * npm run ask -- --plan p2 "第5项是什么"       → asks another of the plans in DATA_DIR (default: the default plan)
 * JSON: {"question","intent","tasks":[{"id","departments","score"}],"departments","reply"}
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';

import { createInterface } from 'node:readline';
import { config as loadDotenv } from 'dotenv';
import { readCoreConfig } from '../config.js';
import { loadPlanFor } from '../plan/load.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import type { QaAnswer } from '../nlu/engine.js';

function toJson(a: QaAnswer): string {
  return JSON.stringify({ question: a.question, intent: a.intent, tasks: a.tasks, departments: a.departments, reply: a.text });
}

// Output piped into `head` and closed early: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const planAt = args.indexOf('--plan');
  const planId = planAt >= 0 ? args[planAt + 1] : undefined;
  const words = args.filter((a, i) => a !== '--json' && a !== '--' && i !== planAt && (planAt < 0 || i !== planAt + 1));
  // The same plans as a server on this DATA_DIR: the default one unless --plan names another.
  loadDotenv({ quiet: true });
  const engine = createQaEngine(loadPlanFor(readCoreConfig().dataDir, planId));
  const print = (q: string) => {
    const a = engine.ask(q);
    process.stdout.write(json ? `${toJson(a)}\n` : `${a.text}\n`);
  };
  if (words.length) {
    print(words.join(' '));
    return;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    const q = line.replace(/\r$/, '');
    // JSON mode keeps output line i ↔ input line i, so a blank line gets an answer (help) too.
    if (!q.trim() && !json) continue;
    print(q);
    if (!json) process.stdout.write('\n');
  }
}

main().catch((err) => {
  process.stderr.write(`ask: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
