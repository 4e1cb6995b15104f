/**
 * npm run state -- check
 *   Is state.json readable, how many journal records (any damaged?), who holds the lock, the backups.
 *   Exit 1 when something needs attention.
 * npm run state -- backup [reason]
 *   A snapshot of the current state (state.json + journal) in DATA_DIR/backups. Works while the bot runs.
 * npm run state -- restore <file>
 *   Replace the state with a backup. Refused while the bot holds DATA_DIR; the current state.json and
 *   journal are kept in DATA_DIR/backups first (pre-restore), so a restore can itself be undone.
 * npm run state -- migrate --to postgres://…
 *   Copy the embedded state (with its history and outbox) into an empty PostgreSQL database, then read
 *   it back and compare the counts of every part. The group robots added with /hook, kept beside the
 *   state in wecom-webhooks.json, go into the state too (instances share them there). Refused while the
 *   bot holds DATA_DIR. Plans, issued reports and backups stay files in DATA_DIR (README: PostgreSQL).
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { readCoreConfig } from '../config.js';
import { HOOKS_FILE, HookFile, robotKeysOf } from '../channels/wecom/hooks.js';
import { ConfigError } from '../core/env.js';
import { loadPlans } from '../plan/load.js';
import { PlanSet } from '../plan/plan-set.js';
import { backupDir, checkStateFile, listBackups, reasonSlug } from '../state/backup.js';
import { realDisk } from '../state/disk.js';
import { STATE_SECTIONS, readJournal } from '../state/journal.js';
import { get } from '../state/shadows.js';
import type { StateData } from '../state/types.js';
import { acquireLock, describeHolder, holderGone, readHolder } from '../state/lock.js';
import { JOURNAL_FILE, LOCK_FILE, QUARANTINE_FILE, STATE_FILE, removeJournal } from '../state/persistence.js';
import { openStore, StoreError } from '../state/store.js';

loadDotenv({ quiet: true });

const exists = (file: string) => readFile(file).then(() => true, () => false);
const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('.', '');

export async function runStateCli(argv: string[], options: { env?: NodeJS.ProcessEnv; out?: (s: string) => void } = {}): Promise<number> {
  const out = options.out ?? ((s: string) => process.stdout.write(s));
  const args = argv.filter((a) => a !== '--');
  const { dataDir } = readCoreConfig(options.env ?? process.env);
  const stateFile = path.join(dataDir, STATE_FILE);

  switch (args[0]) {
    case 'backup': {
      // Read-only: no lock needed, the journal is replayed over the snapshot.
      const store = await openStore({ dir: dataDir, plans: new PlanSet(loadPlans(dataDir)), readOnly: true });
      const file = await store.backup(args[1] ?? 'manual');
      await store.close();
      out(`已备份到 ${file}\n`);
      return 0;
    }

    case 'restore': {
      const from = args[1];
      if (!from) throw new ConfigError('restore', '请指定要恢复的备份文件：npm run state -- restore <文件>');
      const checked = await checkStateFile(path.resolve(from));
      if (!checked.ok) throw new StoreError(`不能恢复：${checked.error}`);
      const lock = await acquireLock(path.join(dataDir, LOCK_FILE), { checkEveryMs: 0 }).catch((err: Error) => {
        throw new StoreError(`${err.message.replace(/；.*$/, '')}；恢复前请先停止服务器。`);
      });
      try {
        const dir = backupDir(dataDir);
        await mkdir(dir, { recursive: true });
        const keep = `${stamp()}-${reasonSlug('pre-restore')}`;
        if (await exists(stateFile)) await copyFile(stateFile, path.join(dir, `state-${keep}.json`));
        const journal = path.join(dataDir, JOURNAL_FILE);
        if (await exists(journal)) await copyFile(journal, path.join(dir, `journal-${keep}.txt`));
        await realDisk.replaceFile(stateFile, checked.text, true);
        await removeJournal(dataDir);
      } finally {
        await lock.release();
      }
      out(`已用 ${from} 恢复 ${stateFile}；原来的状态文件和日志已保存在 ${backupDir(dataDir)}（pre-restore）。\n`);
      return 0;
    }

    case 'check': {
      let problems = 0;
      const line = (ok: boolean, text: string) => {
        if (!ok) problems++;
        out(`${ok ? '✓' : '✗'} ${text}\n`);
      };
      const state = (await exists(stateFile)) ? await checkStateFile(stateFile) : undefined;
      if (!state) line(true, `${stateFile} 不存在（首次启动时创建）`);
      else line(state.ok, state.ok ? `${stateFile} 可以读取` : state.error);
      const seq = state?.ok ? ((JSON.parse(state.text) as { journalSeq?: number }).journalSeq ?? 0) : 0;
      const journal = await readJournal(path.join(dataDir, JOURNAL_FILE), seq);
      line(
        journal.damaged.length === 0,
        `日志 ${JOURNAL_FILE}：${journal.records.length} 条待合并的记录` +
          (journal.damaged.length ? `，${journal.damaged.length} 条损坏（第 ${journal.damaged.map((d) => d.line).join('、')} 行；下次启动时移到 ${QUARANTINE_FILE}）` : ''),
      );
      if (await exists(path.join(dataDir, QUARANTINE_FILE))) out(`! ${QUARANTINE_FILE} 里有以前跳过的损坏记录，请查看\n`);
      const h = await readHolder(path.join(dataDir, LOCK_FILE));
      if (typeof h === 'object') out(`  锁：${describeHolder(h)}${(await holderGone(h)) ? '（已退出，下次启动时接管）' : '（正在运行）'}\n`);
      else out(`  锁：${h === undefined ? '无（服务器未运行）' : '无法识别的锁文件'}\n`);
      const backups = await listBackups(dataDir);
      // A state without any backup needs one; a data directory never used does not.
      if (!backups.length) line(!state, `${backupDir(dataDir)} 里没有备份`);
      for (const b of backups.slice(0, 5)) {
        const c = await checkStateFile(b.file);
        line(c.ok, `备份 ${b.file}（${b.reason}）${c.ok ? '' : `：${c.error}`}`);
      }
      if (backups.length > 5) out(`  另有 ${backups.length - 5} 个较早的备份\n`);
      return problems ? 1 : 0;
    }

    case 'migrate': {
      const to = args[args.indexOf('--to') + 1];
      if (args.indexOf('--to') < 0 || !to || !/^postgres(ql)?:\/\//.test(to)) {
        throw new ConfigError('migrate', '用法：npm run state -- migrate --to postgres://用户:密码@主机:端口/数据库名');
      }
      const lock = await acquireLock(path.join(dataDir, LOCK_FILE), { checkEveryMs: 0 }).catch((err: Error) => {
        throw new StoreError(`${err.message.replace(/；.*$/, '')}；迁移前请先停止服务器。`);
      });
      try {
        // The plans of this DATA_DIR, as the server reads them.
        const plans = new PlanSet(loadPlans(dataDir));
        const source = await openStore({ dir: dataDir, plans, readOnly: true });
        const target = await openStore({ dir: dataDir, plans, databaseUrl: to });
        let moved: StateData | undefined;
        try {
          if (Object.values(countParts(target.data)).some((n) => n > 0)) {
            throw new StoreError(`目标数据库 ${target.file} 里已经有督办助手的数据，没有迁移（请换一个空数据库）`);
          }
          const { journalSeq: _seq, ...copy } = structuredClone(source.data) as StateData;
          copy.robots = { ...copy.robots, ...robotKeysOf(await new HookFile(path.join(dataDir, HOOKS_FILE)).load()) };
          await target.update((d) => void Object.assign(d, copy));
          moved = copy;
        } finally {
          await target.close();
        }
        const check = await openStore({ dir: dataDir, plans, databaseUrl: to, readOnly: true });
        const [before, after] = [countParts(moved!), countParts(check.data)];
        await check.close();
        let differ = 0;
        for (const [part, n] of Object.entries(before)) {
          const ok = after[part] === n;
          if (!ok) differ++;
          out(`${ok ? '✓' : '✗'} ${part}：${n}${ok ? '' : `，数据库里是 ${after[part]}`}\n`);
        }
        out(differ ? `有 ${differ} 项数目不符，请勿切换到数据库。\n` : `已迁移到 ${check.file}。启动时设置 DATABASE_URL 即使用数据库。\n`);
        if (!differ) {
          out(
            `${dataDir} 里的方案（plans/、plan.txt）、已印发的通报（reports/）和备份（backups/）仍是文件，没有放进数据库：` +
              '多个实例请共用同一个数据目录（如网络文件系统），或把它们复制到每个实例的数据目录。\n',
          );
        }
        return differ ? 1 : 0;
      } finally {
        await lock.release();
      }
    }

    default:
      out('用法：npm run state -- check | backup [原因] | restore <备份文件> | migrate --to postgres://…\n');
      return args[0] === undefined || args[0] === 'help' || args[0] === '--help' ? 0 : 2;
  }
}

/** How many entries each part of the state holds (and 1/0 for single values), to compare two copies. */
function countParts(data: Readonly<StateData>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of STATE_SECTIONS) {
    const v = get(data as unknown as Record<string, unknown>, s.path);
    const name = s.path.join('.');
    if (s.kind === 'map') out[name] = Object.keys((v as object) ?? {}).length;
    else if (Array.isArray(v)) out[name] = v.length;
    else out[name] = v === undefined || v === null || v === 0 ? 0 : 1;
  }
  return out;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli/state.ts');
if (isMain) {
  runStateCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
