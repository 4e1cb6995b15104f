import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { Cron } from 'croner';
import type { ChannelName, Mention, OutboundChannel } from '../core/types.js';
import { log } from '../core/log.js';
import type { StateStore } from '../state/store.js';
import type { DepartmentSchedule, NewOutboxRow, OutboxRow, WeeklySlot } from '../state/types.js';
import { WorkdayCalendar, readHolidayFile, type HolidayFile } from './calendar.js';
import { defaultReminderConfig, type ReminderConfig } from './config.js';
import { COORDINATOR_NAME, Planner, webChatIdFor, type PlannedRow } from './planner.js';
import { coordinatorSchedule, dailyCron, departmentSchedule, effectiveTime } from './schedule.js';
import { OutboxSender, kindName } from './sender.js';
import { isoWeek, weekdayOf } from './time.js';
import { buildReportData, reportCaption, reportFileName, type ReportData } from './report.js';
import { renderReportInWorker } from './report-docx.js';

/** The plans reminded of are the store's active plans (store.plans). */
export interface ReminderServiceOptions {
  store: StateStore;
  channels?: OutboundChannel[];
  clock?: () => Date;
  /** Defaults to the built-in settings; pass readReminderConfig(process.env) in production. */
  config?: ReminderConfig;
  /** Defaults to config.holidaysFile read from disk. */
  holidays?: HolidayFile;
  random?: () => number;
  /** Where issued reports are kept (default: reports/ beside the state file). */
  reportsDir?: string;
}

export interface PreviewItem {
  department: string;
  /** Where it goes: a bound group's title, or "(未绑定群) 网页收件箱 …". */
  chat: string;
  channel: ChannelName;
  chatId: string;
  kind: string;
  text: string;
  slotAt: string;
  /** Liaisons the message @-mentions on this channel. */
  mentions?: Mention[];
  /** The document attached (weekly report): its file name. */
  file?: string;
}

export interface BuiltReport {
  data: ReportData;
  docx: Buffer;
  fileName: string;
}

export interface ReminderService {
  readonly config: ReminderConfig;
  readonly calendar: WorkdayCalendar;
  /** Resume interrupted sends, plan what was missed within the catch-up window, and start the minute timer. */
  start(): Promise<void>;
  /**
   * Only deliver the outbox (no planning): what an instance that is not the leader does, with several
   * instances on one database. `start` includes it.
   */
  startSending(): void;
  stop(): Promise<void>;
  /** Plan everything due up to `now` (idempotent) and wake the sender. Returns the rows added. */
  tick(now?: Date): Promise<OutboxRow[]>;
  /** What would be sent for slots in [at, at + windowMinutes), without writing or sending anything. */
  preview(at: Date, department?: string, windowMinutes?: number): PreviewItem[];
  /** Send a row through the durable outbox (retries, pacing, resumed after a restart): e.g. the rest of a long answer. */
  deliver(row: NewOutboxRow): Promise<void>;
  /** Look at the outbox again now (rows queued by another instance sharing the database). */
  kick(): void;
  /** Resolves when nothing can be sent right now (tests, the CLI). */
  idle(timeoutMs?: number): Promise<boolean>;
  /** A department's effective schedule with its offset times, and the next runs. */
  describeSchedule(dept: string, count?: number): ScheduleView;
  describeCoordinatorSchedule(count?: number): { slot: WeeklySlot; time: string; next: string[] };
  /** The 督办通报 of the week starting `monday`, as of `asOf` (numbered as issued, or the next number). Writes nothing. */
  buildReport(monday: string, end: string, asOf: Date): Promise<BuiltReport>;
  readonly reportsDir: string;
}

export interface ScheduleView {
  department: string;
  schedule: DepartmentSchedule;
  times: { weeklyDigest: string; dueSoon: string; overdue: string };
  /** Next weekly digest runs (ISO). */
  nextDigests: string[];
}

function stripPlanned(r: PlannedRow): Omit<PlannedRow, 'destinationLabel' | 'report'> {
  const { destinationLabel: _drop, report: _report, ...row } = r;
  return row;
}

/** Write a file durably: temp file, fsync, rename. */
async function writeDurably(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

export function createReminderService(opts: ReminderServiceOptions): ReminderService {
  const config = opts.config ?? defaultReminderConfig();
  const clock = opts.clock ?? (() => new Date());
  const store = opts.store;
  const calendar = new WorkdayCalendar(config.timeZone, opts.holidays ?? readHolidayFile(config.holidaysFile), () => store.holidayOverrides());
  const planner = new Planner(store, store.plans, config, calendar);
  const reportsDir = opts.reportsDir ?? path.join(path.dirname(store.file), 'reports');

  async function buildReport(monday: string, end: string, asOf: Date, number?: number): Promise<BuiltReport> {
    const week = { start: monday, end };
    const n = number ?? store.report(isoWeek(monday))?.number ?? store.nextReportNumber;
    const data = buildReportData({ store, config: config.weeklyReport, timeZone: config.timeZone, week, number: n, asOf, calendar });
    return { data, docx: await renderReportInWorker(data), fileName: reportFileName(n, data.week) };
  }

  /**
   * Issue a week's report once: generate and store the document, then record it (numbered) in the state.
   * A crash in between leaves an unrecorded file that the next tick overwrites under the same number.
   */
  async function issueReport(r: NonNullable<PlannedRow['report']>, now: Date): Promise<{ file: string; name: string; data: ReportData }> {
    const existing = store.report(r.week);
    const exists = existing ? await stat(path.join(reportsDir, existing.file)).then(() => true, () => false) : false;
    const built = await buildReport(r.start, r.end, now, existing?.number);
    const file = path.join(reportsDir, existing?.file ?? built.fileName);
    if (!exists) {
      await writeDurably(file, built.docx);
      await store.recordReport({ week: r.week, number: built.data.number, periodStart: r.start, periodEnd: r.end, file: path.basename(file), bytes: built.docx.length }, { channel: 'cli', name: '督办通报' });
      log.info({ week: r.week, number: built.data.number, file }, '督办通报已生成');
    }
    return { file, name: path.basename(file), data: built.data };
  }

  /** Report rows get their document and caption; the rest pass through. */
  async function attachReports(rows: PlannedRow[], now: Date): Promise<PlannedRow[]> {
    const issued = new Map<string, Awaited<ReturnType<typeof issueReport>> | Error>();
    for (const row of rows) {
      if (!row.report) continue;
      let r = issued.get(row.report.week);
      if (!r) {
        r = await issueReport(row.report, now).catch((err: Error) => err);
        issued.set(row.report.week, r);
        if (r instanceof Error) log.error({ err: r, week: row.report.week }, '督办通报生成失败');
      }
      if (r instanceof Error) {
        // The other reminders of this tick still go out; the coordinator is told instead of the report silently missing.
        row.text = `【${config.weeklyReport.title}】${row.report.start}—${row.report.end} 这一期未能生成：${r.message}。请检查后运行 npm run remind -- report 生成并手工印发。`;
        continue;
      }
      row.text = reportCaption(r.data, row.catchUp === true);
      row.file = { path: r.file, name: r.name, caption: `${r.data.title}第${r.data.number}期` };
    }
    return rows;
  }
  let minuteJob: Cron | undefined;
  let ticking: Promise<OutboxRow[]> | undefined;
  let lastPrune = 0;

  const sender = new OutboxSender({
    store,
    config,
    clock,
    random: opts.random,
    fileHere: store.backend === 'postgres' ? (file) => existsSync(file) : undefined,
    onDead: async (row, error, destinationGone) => {
      const binding = store.bindingFor(row.channel, row.chatId);
      if (destinationGone && binding) await store.setBindingActive(row.channel, row.chatId, false, error);
      // A notice to the coordinator or the rest of someone's answer failed: only the log remains.
      if ((row.kind === 'notice' || row.kind === 'reply') && !row.department) return;
      const who = row.department || COORDINATOR_NAME;
      const where = binding?.title ? `「${binding.title}」` : `${row.channel}:${row.chatId}`;
      const text =
        `【提醒发送失败】发往${who}${where}的${kindName(row.kind)}未能送达：${error}。` +
        (destinationGone && binding ? `已停用该群的绑定；请确认机器人仍在群内后，在该群重新发送 /bind ${row.department || '督办'}。` : '请检查该群的通道配置。');
      const dests = planner.destinations(undefined).filter((d) => !(d.channel === row.channel && d.chatId === row.chatId));
      const fallback = dests.length > 0 ? dests : [{ channel: 'web' as const, chatId: webChatIdFor(undefined) }];
      for (const d of fallback) {
        await store.enqueue({
          key: `${COORDINATOR_NAME}:notice:failed:${row.key}@${d.channel}:${d.chatId}`,
          channel: d.channel,
          chatId: d.chatId,
          department: '',
          kind: 'notice',
          period: row.key,
          text,
        });
      }
      sender.kick();
    },
  });
  for (const ch of opts.channels ?? []) sender.register(ch);

  async function doTick(now: Date): Promise<OutboxRow[]> {
    const last = store.lastPlannedAt ? new Date(store.lastPlannedAt) : undefined;
    const earliest = new Date(now.getTime() - config.catchUpWindowMs);
    const from = !last || last < earliest ? earliest : last;
    if (from >= now) return [];
    const { rows, alerted } = planner.plan(from, now, now);
    const ready = await attachReports(rows, now);
    const inserted = await store.plan(ready.map(stripPlanned), { plannedAt: now.toISOString(), alerted });
    if (inserted.length) log.info({ count: inserted.length }, 'reminders planned');
    if (Date.now() - lastPrune > 3_600_000) {
      lastPrune = Date.now();
      await store.prune();
    }
    sender.kick();
    return inserted.map((k) => store.outboxRow(k)!).filter(Boolean);
  }

  const service: ReminderService = {
    config,
    calendar,
    reportsDir,
    buildReport: (monday, end, asOf) => buildReport(monday, end, asOf),
    startSending() {
      sender.start();
    },
    async start() {
      // One process per DATA_DIR: rows left `sending` were cut short by its previous run. With several
      // instances on one database they may be another instance's sends in progress: a claim older than
      // its lease is taken over by the sender instead.
      if (store.backend === 'file') {
        const resumed = await store.resumeSending();
        if (resumed) log.info({ resumed }, '继续发送上次中断的提醒');
      }
      for (const y of [calendar.dateKey(clock()).slice(0, 4)].map(Number)) {
        if (!calendar.isCovered(y)) log.warn({ year: y }, '节假日日历未覆盖本年度，按周一至周五计算工作日；请在 data/holidays.json 补充');
      }
      sender.start();
      if (!config.enabled) {
        // REMINDERS_ENABLED=false: nothing is planned; rows already queued (and notices) still go out.
        log.info('定时提醒已关闭（REMINDERS_ENABLED=false）');
        return;
      }
      await service.tick(clock());
      // Second 7 of every minute: never exactly on :00.
      minuteJob = new Cron('7 * * * * *', { timezone: config.timeZone, protect: true, unref: true }, () => {
        void service.tick(clock()).catch((err) => log.error({ err }, 'reminder tick failed'));
      });
    },
    async stop() {
      minuteJob?.stop();
      minuteJob = undefined;
      await ticking?.catch(() => undefined);
      await sender.stop();
    },
    async tick(now = clock()) {
      // Ticks never overlap: the planner reads and writes lastPlannedAt.
      while (ticking) await ticking.catch(() => undefined);
      ticking = doTick(now);
      try {
        return await ticking;
      } finally {
        ticking = undefined;
      }
    },
    preview(at, department, windowMinutes = 60) {
      const from = new Date(at.getTime() - 1);
      const to = new Date(at.getTime() + windowMinutes * 60_000 - 1);
      const only = department && (department === COORDINATOR_NAME || department === '协调') ? COORDINATOR_NAME : department;
      const { rows } = planner.plan(from, to, from, only);
      return rows.map((r) => {
        const item: PreviewItem = {
          department: r.department || COORDINATOR_NAME,
          chat: r.destinationLabel,
          channel: r.channel,
          chatId: r.chatId,
          kind: r.kind,
          text: r.text,
          slotAt: r.slotAt,
        };
        if (r.mentions) item.mentions = r.mentions;
        if (r.report) {
          const issued = store.report(r.report.week);
          item.file = issued?.file ?? reportFileName(store.nextReportNumber, r.report.week);
          item.text = `【${config.weeklyReport.title}】${r.report.start}—${r.report.end} 第${issued?.number ?? store.nextReportNumber}期（发送时生成 .docx 附件）`;
        }
        return item;
      });
    },
    async deliver(row) {
      await store.enqueue(row);
      sender.kick();
    },
    kick() {
      sender.kick();
    },
    idle(timeoutMs) {
      return sender.idle(timeoutMs);
    },
    describeSchedule(dept, count = 3) {
      const s = departmentSchedule(dept, config, store);
      const times = {
        weeklyDigest: effectiveTime(s.weeklyDigest.time, dept, config).text,
        dueSoon: effectiveTime(s.dueSoon.time, dept, config).text,
        overdue: effectiveTime(s.overdue.time, dept, config).text,
      };
      return { department: dept, schedule: s, times, nextDigests: nextWeekly(s.weeklyDigest, dept, count) };
    },
    describeCoordinatorSchedule(count = 3) {
      const slot = coordinatorSchedule(config, store);
      return { slot, time: effectiveTime(slot.time, COORDINATOR_NAME, config).text, next: nextWeekly(slot, COORDINATOR_NAME, count) };
    },
  };

  /** Next runs of a weekly slot: the first workday on or after the weekday in each week. */
  function nextWeekly(slot: WeeklySlot, name: string, count: number): string[] {
    if (!slot.enabled) return [];
    const t = effectiveTime(slot.time, name, config);
    const cron = dailyCron(t.hour, t.minute, config.timeZone);
    const out: string[] = [];
    const weeks = new Set<string>();
    let prev = clock();
    for (let i = 0; i < 120 && out.length < count; i++) {
      const next = cron.nextRun(prev);
      if (!next) break;
      prev = next;
      const date = calendar.dateKey(next);
      if (!calendar.isWorkday(date) || weekdayOf(date) < slot.weekday) continue;
      const monday = new Date(Date.parse(`${date}T00:00:00Z`) - (weekdayOf(date) - 1) * 86_400_000).toISOString().slice(0, 10);
      if (weeks.has(monday)) continue;
      weeks.add(monday);
      out.push(next.toISOString());
    }
    return out;
  }

  return service;
}
