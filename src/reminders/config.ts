import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, boolean, integer, string, type Env } from '../core/env.js';
import type { ChannelName } from '../core/types.js';
import { DATA_ROOT } from '../plan/load.js';
import type { DailySlot, DepartmentSchedule, ScheduleOverride, WeeklySlot } from '../state/types.js';
import { parseTime } from './time.js';

export interface ReminderConfig {
  enabled: boolean;
  timeZone: string;
  remindersFile: string;
  holidaysFile: string;
  defaults: DepartmentSchedule;
  coordinatorSummary: WeeklySlot;
  /** Per-department overrides from the config file (the store's /schedule overrides go on top). */
  departments: Record<string, ScheduleOverride>;
  /** Departments are spread over 0 … offsetMinutes−1 minutes after their time (deterministic). */
  offsetMinutes: number;
  /** Runs missed while the bot was down are sent once (补发) when at most this late. */
  catchUpWindowMs: number;
  /** A run less late than this is on time (not marked 补发). */
  graceMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** The rate-limit window a channel's perDestinationPerMinute applies to (tests scale it down). */
  rateWindowMs: number;
  /**
   * How long a claimed row may stay `sending` before another sender takes it over (its sender hangs, or
   * died where no instance lock tells). Renewed with every part delivered; longer than one send can take
   * (HTTP timeouts, a full rate window).
   */
  claimLeaseMs: number;
  /** Where reminders for a department without a bound group go: the web inbox, or nowhere. */
  unbound: 'web' | 'skip';
  /** Days sent/skipped outbox rows and reminder log entries are kept. */
  retentionDays: number;
  escalation: EscalationConfig;
  weeklyReport: WeeklyReportConfig;
  /** A configured leaders' chat ("telegram:-100…", "wecom-webhook:领导@…"), besides chats bound with /bind 领导. */
  leadersChat?: { channel: ChannelName; chatId: string };
}

/** An overdue task without a progress update for `workdays` workdays goes to the coordinator, after twice that to the leaders. */
export interface EscalationConfig {
  enabled: boolean;
  workdays: number;
  /** Checked once a workday at this time. */
  time: string;
}

/** The weekly 督办通报: on `weekday` (or the workday before it when that day is off), at `time`. */
export interface WeeklyReportConfig extends WeeklySlot {
  /** Heading of the document (督办通报). */
  title: string;
  /** Issuing office printed under the heading; empty: the coordinator's full name. */
  issuer: string;
}

export const BUILTIN_ESCALATION: EscalationConfig = { enabled: true, workdays: 3, time: '10:10' };
export const BUILTIN_REPORT: WeeklyReportConfig = { enabled: true, weekday: 5, time: '15:30', title: '督办通报', issuer: '' };
const CHANNELS: ChannelName[] = ['web', 'console', 'wecom-app', 'wecom-bot', 'wecom-webhook', 'telegram'];

interface ReminderFile {
  defaults?: Partial<{ weeklyDigest: Partial<WeeklySlot>; dueSoon: Partial<DailySlot & { days: number[] }>; overdue: Partial<DailySlot> }>;
  coordinator?: { overdueSummary?: Partial<WeeklySlot>; weeklyReport?: Partial<WeeklyReportConfig> };
  escalation?: Partial<EscalationConfig>;
  offsetMinutes?: number;
  departments?: Record<string, ScheduleOverride>;
}

export const BUILTIN_DEFAULTS: DepartmentSchedule = {
  weeklyDigest: { enabled: true, weekday: 1, time: '09:10' },
  dueSoon: { enabled: true, time: '09:20', days: [7, 3, 1] },
  overdue: { enabled: true, time: '09:20' },
};
export const BUILTIN_SUMMARY: WeeklySlot = { enabled: true, weekday: 1, time: '09:40' };

function checkSlot(where: string, slot: Partial<WeeklySlot & { days: number[] }> | undefined, variable: string): void {
  if (!slot) return;
  if (slot.time !== undefined && parseTime(slot.time) !== slot.time) throw new ConfigError(variable, `${where}.time 应为 HH:MM，实际为「${slot.time}」`);
  if (slot.weekday !== undefined && !(Number.isInteger(slot.weekday) && slot.weekday >= 1 && slot.weekday <= 7)) {
    throw new ConfigError(variable, `${where}.weekday 应为 1（周一）到 7（周日）`);
  }
  if (slot.days !== undefined && !(Array.isArray(slot.days) && slot.days.every((d) => Number.isInteger(d) && d >= 0 && d <= 60))) {
    throw new ConfigError(variable, `${where}.days 应为 0–60 的整数数组，如 [7, 3, 1]`);
  }
}

/** Read the reminder settings from the environment and data/reminders.json; throws ConfigError naming the variable. */
export function readReminderConfig(e: Env = process.env): ReminderConfig {
  const timeZone = string(e, 'TZ_REMINDERS', 'Asia/Shanghai');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ConfigError('TZ_REMINDERS', `不是有效的 IANA 时区（如 Asia/Shanghai），实际为「${timeZone}」`);
  }
  const remindersFile = path.resolve(string(e, 'REMINDERS_FILE', path.join(DATA_ROOT, 'reminders.json')));
  const holidaysFile = path.resolve(string(e, 'HOLIDAYS_FILE', path.join(DATA_ROOT, 'holidays.json')));
  let file: ReminderFile = {};
  try {
    file = JSON.parse(readFileSync(remindersFile, 'utf8')) as ReminderFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError('REMINDERS_FILE', `${remindersFile} 无法读取：${(err as Error).message}`);
    }
  }
  checkSlot('defaults.weeklyDigest', file.defaults?.weeklyDigest, 'REMINDERS_FILE');
  checkSlot('defaults.dueSoon', file.defaults?.dueSoon, 'REMINDERS_FILE');
  checkSlot('defaults.overdue', file.defaults?.overdue, 'REMINDERS_FILE');
  checkSlot('coordinator.overdueSummary', file.coordinator?.overdueSummary, 'REMINDERS_FILE');
  for (const [dept, o] of Object.entries(file.departments ?? {})) {
    for (const k of ['weeklyDigest', 'dueSoon', 'overdue'] as const) checkSlot(`departments.${dept}.${k}`, o[k], 'REMINDERS_FILE');
  }
  checkSlot('coordinator.weeklyReport', file.coordinator?.weeklyReport, 'REMINDERS_FILE');
  checkSlot('escalation', file.escalation, 'REMINDERS_FILE');
  const steps = file.escalation?.workdays;
  if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1 && steps <= 60)) {
    throw new ConfigError('REMINDERS_FILE', `escalation.workdays 应为 1–60 的整数，实际为「${steps}」`);
  }
  const leaders = string(e, 'REMINDER_LEADERS_CHAT', '');
  let leadersChat: ReminderConfig['leadersChat'];
  if (leaders) {
    const i = leaders.indexOf(':');
    const channel = leaders.slice(0, i) as ChannelName;
    if (i <= 0 || !CHANNELS.includes(channel) || !leaders.slice(i + 1)) {
      throw new ConfigError('REMINDER_LEADERS_CHAT', `应为「通道:群ID」，如 telegram:-1001234567890，通道为 ${CHANNELS.join('、')} 之一`);
    }
    leadersChat = { channel, chatId: leaders.slice(i + 1) };
  }
  const unbound = string(e, 'REMINDER_UNBOUND', 'web');
  if (unbound !== 'web' && unbound !== 'skip') throw new ConfigError('REMINDER_UNBOUND', `应为 web 或 skip，实际为「${unbound}」`);
  return {
    enabled: boolean(e, 'REMINDERS_ENABLED', true),
    timeZone,
    remindersFile,
    holidaysFile,
    defaults: {
      weeklyDigest: { ...BUILTIN_DEFAULTS.weeklyDigest, ...file.defaults?.weeklyDigest },
      dueSoon: { ...BUILTIN_DEFAULTS.dueSoon, ...file.defaults?.dueSoon },
      overdue: { ...BUILTIN_DEFAULTS.overdue, ...file.defaults?.overdue },
    },
    coordinatorSummary: { ...BUILTIN_SUMMARY, ...file.coordinator?.overdueSummary },
    departments: file.departments ?? {},
    offsetMinutes: Math.max(1, Math.min(20, file.offsetMinutes ?? 6)),
    catchUpWindowMs: integer(e, 'REMINDER_CATCHUP_MINUTES', 180, [0, 7 * 24 * 60]) * 60_000,
    graceMs: 5 * 60_000,
    maxAttempts: integer(e, 'REMINDER_MAX_ATTEMPTS', 8, [1, 100]),
    retryBaseMs: integer(e, 'REMINDER_RETRY_BASE_MS', 15_000, [1, 3_600_000]),
    retryMaxMs: integer(e, 'REMINDER_RETRY_MAX_MS', 30 * 60_000, [1, 86_400_000]),
    rateWindowMs: integer(e, 'REMINDER_RATE_WINDOW_MS', 60_000, [1, 3_600_000]),
    claimLeaseMs: integer(e, 'REMINDER_CLAIM_LEASE_SECONDS', 180, [1, 86_400]) * 1000,
    unbound,
    retentionDays: integer(e, 'STATE_RETENTION_DAYS', 90, [1, 3650]),
    escalation: { ...BUILTIN_ESCALATION, ...file.escalation },
    weeklyReport: { ...BUILTIN_REPORT, ...file.coordinator?.weeklyReport },
    leadersChat,
  };
}

/** Defaults for tests and tools: the built-in settings without reading any file or variable. */
export function defaultReminderConfig(patch: Partial<ReminderConfig> = {}): ReminderConfig {
  return {
    enabled: true,
    timeZone: 'Asia/Shanghai',
    remindersFile: path.join(DATA_ROOT, 'reminders.json'),
    holidaysFile: path.join(DATA_ROOT, 'holidays.json'),
    defaults: structuredClone(BUILTIN_DEFAULTS),
    coordinatorSummary: { ...BUILTIN_SUMMARY },
    departments: {},
    offsetMinutes: 6,
    catchUpWindowMs: 180 * 60_000,
    graceMs: 5 * 60_000,
    maxAttempts: 8,
    retryBaseMs: 15_000,
    retryMaxMs: 30 * 60_000,
    rateWindowMs: 60_000,
    claimLeaseMs: 180_000,
    unbound: 'web',
    retentionDays: 90,
    escalation: { ...BUILTIN_ESCALATION },
    weeklyReport: { ...BUILTIN_REPORT },
    ...patch,
  };
}
