/**
 * npm run ask -- "谁负责调解员培训?"          → prints the reply text
 * npm run ask -- --json "谁负责调解员培训?"   → prints one JSON object
 * echo "问题" | npm run ask -- --json          → one JSON object per input line, in order
 * npm run ask -- --plan p2 "第5项是什么"       → asks that plan only (default: every active plan in DATA_DIR, routed as the server does)
 * JSON: {"question","intent","tasks":[{"plan","id","departments","score"}],"departments","reply"}
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';

import { createInterface } from 'node:readline';
import { config as loadDotenv } from 'dotenv';
import { readCoreConfig } from '../config.js';
import { loadPlanFor, loadPlans } from '../plan/load.js';
import { createPlanRouter } from '../core/plans.js';
import { createQaEngine } from '../../handlers/qa-engine.js';

function toJson(a: { question: string; intent: string; tasks: unknown[]; departments: string[]; text: string }): string {
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
  // The same plans as a server on this DATA_DIR, routed the same way; --plan asks one of them alone.
  loadDotenv({ quiet: true });
  const dataDir = readCoreConfig().dataDir;
  const engine = createPlanRouter(planId ? [loadPlanFor(dataDir, planId)] : loadPlans(dataDir), (plan) => createQaEngine(plan));
  const print = (q: string) => {
    // One conversation: a bare 「第5项」 goes to the plan the previous line was about.
    const a = engine.ask(q, { chat: 'cli' });
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
