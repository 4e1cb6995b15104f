/**
 * npm run remind -- preview [--at 2026-12-07T09:00+08:00] [--department 总工会] [--window 60] [--json]
 *   Prints what would be sent for the reminder runs from that moment over the next --window minutes
 *   (a date alone, e.g. --at 2026-12-07, covers the whole day), and to which chat. Sends nothing,
 *   writes nothing, and works while the bot is running. --json: one JSON array of
 *   {department, chat, kind, text}; [] when nothing is due (e.g. on a public holiday).
 *   Items that @-mention liaisons carry `mentions`; the weekly report carries `file`.
 * npm run remind -- report [--week 2026-12-07] [--out 督办通报.docx]
 *   Generates the 督办通报 of the week containing that date (default: this week) from the current state, as of
 *   the week's report day. Numbered as issued if the scheduler already issued that week, else with the next
 *   number (not recorded: only the scheduled issue is numbered for good). Works while the bot is running.
 * npm run remind -- run
 *   Plans what is due now and sends it through the channels available to this process (the console;
 *   rows for other channels stay in the outbox for the server). Refused while the server holds DATA_DIR.
 *
 * With DATABASE_URL every subcommand reads (and `run` writes) the state the servers share in PostgreSQL,
 * group robots added with /hook included; without it, the embedded state in DATA_DIR.
 */
import { config as loadDotenv } from 'dotenv';
import { readCoreConfig } from '../config.js';
import { ConfigError } from '../core/env.js';
import { log } from '../core/log.js';
import { readWecomConfig } from '../channels/wecom/config.js';
import type { OutboundChannel } from '../core/types.js';
import { loadPlans } from '../plan/load.js';
import { PlanSet } from '../plan/plan-set.js';
import { openStore, StoreError } from '../state/store.js';
import { readReminderConfig } from '../reminders/config.js';
import { createReminderService } from '../reminders/service.js';
import { addDays, zoned } from '../reminders/time.js';
import { mondayOf, reportDay } from '../reminders/report.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createConsoleChannel } from '../channels/console.js';

loadDotenv({ quiet: true });

/** "2026-12-07T09:00+08:00" as given; "2026-12-07 09:00" / "2026-12-07" in the reminder zone. */
export function parseAt(text: string, timeZone: string): { at: Date; wholeDay: boolean } {
  const t = text.trim();
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(t)) {
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) throw new Error(`--at「${text}」不是有效的时间`);
    return { at: d, wholeDay: false };
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2}))?$/.exec(t);
  if (!m) throw new Error(`--at「${text}」应为 2026-12-07T09:00+08:00、2026-12-07 09:00 或 2026-12-07`);
  const wall = Date.parse(`${m[1]}T${(m[2] ?? '0').padStart(2, '0')}:${m[3] ?? '00'}:00Z`);
  if (Number.isNaN(wall)) throw new Error(`--at「${text}」不是有效的日期`);
  // Wall-clock time in the zone → instant: correct by the zone's offset at that moment.
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const z = zoned(new Date(guess), timeZone);
    const shown = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute);
    guess += wall - shown;
  }
  return { at: new Date(guess), wholeDay: m[2] === undefined };
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

export async function runRemindCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; channels?: OutboundChannel[]; out?: (s: string) => void; now?: () => Date } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const out = options.out ?? ((s: string) => process.stdout.write(s));
  const args = argv.filter((a) => a !== '--');
  const cmd = args[0];
  const core = readCoreConfig(env);
  const config = readReminderConfig(env);
  // The plans a server on this DATA_DIR reminds of: every active one.
  const plans = new PlanSet(loadPlans(core.dataDir));
  if (!plans.size) throw new ConfigError('DATA_DIR', '没有有效的方案（都已归档）');
  const now = options.now ?? (() => new Date());
  const databaseUrl = core.databaseUrl;
  const reportsDir = path.join(core.dataDir, 'reports');

  if (cmd === 'preview') {
    const json = args.includes('--json');
    const atText = option(args, '--at');
    const { at, wholeDay } = atText ? parseAt(atText, config.timeZone) : { at: now(), wholeDay: false };
    const window = Number(option(args, '--window') ?? (wholeDay ? 24 * 60 : 60));
    const department = option(args, '--department');
    const known = department && department !== '督办' ? plans.all().map((p) => p.registry.resolveExact(department)).find((n) => n.length === 1)?.[0] : undefined;
    if (department && department !== '督办' && !known) {
      throw new ConfigError('--department', `不认识的部门「${department}」，可选：${plans.departmentNames().join('、')}、督办`);
    }
    const dept = known ?? department;
    const store = await openStore({ dir: core.dataDir, plans, readOnly: true, clock: now, databaseUrl });
    try {
      // Right after a plan was revised, the keys still carry its old numbers until the server next starts: follow
      // the revision here too, in memory only (read-only: nothing is written), so the preview shows the new numbers.
      await store.followPlans();
      // The server registers the configured group robots at start; preview does the same on its
      // in-memory copy, so it shows the groups even before the server has ever run on this DATA_DIR.
      const wecomConfig = readWecomConfig(env);
      if (wecomConfig) {
        const { registerWebhookBindings, HookFile, HOOKS_FILE, StateHookKeys } = await import('../channels/wecom/index.js');
        const runtime = await (databaseUrl ? new StateHookKeys(store) : new HookFile(path.join(core.dataDir, HOOKS_FILE))).load();
        await registerWebhookBindings(store, wecomConfig.webhook.bindings, runtime, log);
      }
      const svc = createReminderService({ store, config, clock: () => at, reportsDir });
      const items = svc.preview(at, dept, window);
      if (json) {
        const rows = items.map((i) => ({
          department: i.department,
          chat: i.chat,
          kind: i.kind,
          text: i.text,
          ...(i.mentions ? { mentions: i.mentions } : {}),
          ...(i.file ? { file: i.file } : {}),
        }));
        out(`${JSON.stringify(rows, null, 2)}\n`);
      } else if (items.length === 0) {
        const day = svc.calendar.day(svc.calendar.dateKey(at));
        out(`${at.toISOString()} 起 ${window} 分钟内没有要发送的提醒${day.work ? '' : `（${day.date} 不是工作日${day.name ? `：${day.name}` : ''}）`}。\n`);
      } else {
        for (const i of items) {
          const when = new Intl.DateTimeFormat('zh-CN', { timeZone: config.timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(i.slotAt));
          const extra = [i.mentions ? `@ ${i.mentions.map((m) => m.name ?? m.id).join('、')}` : '', i.file ? `附件 ${i.file}` : ''].filter(Boolean).join('；');
          out(`=== ${when} ${i.department} · ${i.kind} → ${i.chat}${extra ? `（${extra}）` : ''}\n${i.text}\n\n`);
        }
      }
    } finally {
      await store.close();
    }
    return 0;
  }

  if (cmd === 'report') {
    const weekText = option(args, '--week');
    const today = zoned(now(), config.timeZone).date;
    if (weekText !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(weekText)) throw new ConfigError('--week', `应为该周内的一个日期，如 2026-12-07，实际为「${weekText}」`);
    const monday = mondayOf(weekText ?? today);
    const store = await openStore({ dir: core.dataDir, plans, readOnly: true, clock: now, databaseUrl });
    try {
      const svc = createReminderService({ store, config, clock: now, reportsDir });
      const end = reportDay(monday, config.weeklyReport.weekday, svc.calendar) ?? addDays(monday, config.weeklyReport.weekday - 1);
      const endOfDay = parseAt(`${end} 23:59`, config.timeZone).at;
      const asOf = endOfDay < now() ? endOfDay : now();
      const built = await svc.buildReport(monday, end, asOf);
      const file = path.resolve(option(args, '--out') ?? built.fileName);
      await writeFile(file, built.docx);
      const issued = store.report(built.data.week);
      const t = built.data.totals;
      out(
        `${file}\n${built.data.title}第${built.data.number}期（${monday}—${end}）${issued ? '' : '，尚未正式印发：编号为下一期的预留号'}。` +
          `共 ${t.total} 项：已完成 ${t.done}，进行中 ${t.doing}，未开始 ${t.notStarted}，逾期 ${t.overdue}。\n`,
      );
    } finally {
      await store.close();
    }
    return 0;
  }

  if (cmd === 'run') {
    // With DATABASE_URL beside running servers: planning is idempotent and a row is claimed by one sender only.
    const store = await openStore({ dir: core.dataDir, plans, clock: now, retentionDays: config.retentionDays, databaseUrl });
    const channels = options.channels ?? [createConsoleChannel({ write: (chatId, text) => out(`=== → ${chatId}\n${text}\n\n`) })];
    const svc = createReminderService({ store, config, clock: now, channels, reportsDir });
    try {
      await svc.start();
      await svc.idle(60_000);
      const pending = store.outbox({ status: ['pending', 'sending'] });
      const names = new Set(channels.map((c) => c.name));
      const waiting = pending.filter((r) => !names.has(r.channel)).length;
      out(`完成。待发 ${pending.length} 条${waiting ? `（其中 ${waiting} 条的通道不在本进程，由服务器发送）` : ''}，失败 ${store.outbox({ status: 'failed' }).length} 条。\n`);
    } finally {
      await svc.stop();
      await store.close();
    }
    return 0;
  }

  out(
    '用法：npm run remind -- preview [--at 2026-12-07T09:00+08:00] [--department 部门] [--window 分钟] [--json]\n' +
      '      npm run remind -- report [--week 2026-12-07] [--out 督办通报.docx]\n      npm run remind -- run\n',
  );
  return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('remind.ts');
if (isMain) {
  runRemindCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof ConfigError || err instanceof StoreError || err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
