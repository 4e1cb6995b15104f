/**
 * npm run plan -- import <file> [--title 标题] [--id p3] [--yes]   preview a plan file; store it with --yes
 * npm run plan -- list [--json]                                     the plans in DATA_DIR
 * npm run plan -- archive <id> | activate <id>                      take a plan out of use / back into use
 * Exit status 1 on any problem (nothing is stored then), 2 on a usage error.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import { readCoreConfig } from '../config.js';
import { readImportLimits } from '../core/import-limits.js';
import { TableReadError } from '../plan/import/index.js';
import { prepareImport, storePrepared } from '../plan/import/prepare.js';
import { readPlanTableInWorker } from '../plan/import/read-in-worker.js';
import { listPlans, plansDir, setPlanStatus } from '../plan/store.js';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const USAGE = '用法：npm run plan -- import <文件> [--title 标题] [--id 编号] [--yes] | list [--json] | archive <编号> | activate <编号>';

export async function runPlanCli(argv: string[], options: { env?: NodeJS.ProcessEnv; out?: (s: string) => void; now?: () => Date } = {}): Promise<number> {
  const out = options.out ?? ((s: string) => process.stdout.write(s));
  const say = (s: string) => out(`${s}\n`);
  const args = argv.filter((a) => a !== '--');
  const env = options.env ?? process.env;
  const dataDir = readCoreConfig(env).dataDir;
  const [cmd, ...rest] = args;
  const positional = rest.filter((a, i) => !a.startsWith('--') && !['--title', '--id', '--coordinator'].includes(rest[i - 1]));

  if (cmd === 'list') {
    const plans = listPlans(dataDir);
    if (rest.includes('--json')) say(JSON.stringify(plans));
    else for (const p of plans) if (p.status === 'broken') say(`${p.id}\t已损坏\t${p.problem}`);
    else say(`${p.id}\t${p.status === 'active' ? '使用中' : '已归档'}\t${p.tasks} 项任务\t${p.departments} 个单位\t${p.title}${p.shipped ? '（随程序提供）' : p.source ? `（导入自 ${p.source.name}，${p.importedAt?.slice(0, 10)}）` : ''}`);
    return 0;
  }

  if (cmd === 'archive' || cmd === 'activate') {
    const id = positional[0];
    if (!id) return usage(say);
    const meta = setPlanStatus(dataDir, id, cmd === 'archive' ? 'archived' : 'active');
    say(`方案 ${meta.id}「${meta.title}」${cmd === 'archive' ? '已归档，不再使用' : '已恢复使用'}。`);
    return 0;
  }

  if (cmd !== 'import' || !positional[0]) return usage(say);
  const file = positional[0];
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size === undefined) {
    say(`找不到文件：${file}`);
    return 1;
  }
  // The same bounds as a dashboard upload (IMPORT_* variables), parsed in a worker the same way.
  const limits = readImportLimits(env);
  if (size > limits.maxUploadBytes) {
    say(`无法导入：文件太大（${(size / 1048576).toFixed(1)} MB），上限 ${limits.maxUploadBytes / 1048576} MB`);
    return 1;
  }
  const bytes = await readFile(file);
  let table;
  try {
    table = await readPlanTableInWorker(bytes, file, limits);
  } catch (e) {
    if (e instanceof TableReadError) {
      say(`无法导入：${e.message}`);
      return 1;
    }
    throw e;
  }

  const prepared = prepareImport(dataDir, table, { id: option(rest, '--id'), title: option(rest, '--title'), coordinator: option(rest, '--coordinator') });
  const { id, replacing } = prepared;
  say(`${replacing ? `替换方案 ${id}「${replacing.plan.title}」` : `新方案，编号 ${id}`}　文件：${path.basename(file)}`);
  // A revised version also shows which old task each new one continues (matched by text, not number).
  for (const line of prepared.preview) say(line);
  if (prepared.problems.length) return 1;
  if (!rest.includes('--yes')) {
    say('以上为预览，尚未导入。确认无误后加 --yes 再运行一次。');
    return 0;
  }
  storePrepared(dataDir, prepared, { name: file, bytes }, options.now?.());
  say(`已导入为方案 ${id}（${path.join(plansDir(dataDir), id)}）。`);
  return 0;
}

function usage(say: (s: string) => void): number {
  say(USAGE);
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  loadDotenv({ quiet: true });
  runPlanCli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`plan: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
