import type { ChannelName, Mention, OutboundFile, PersonPlatform } from '../core/types.js';

export type ProgressStatus = '未开始' | '进行中' | '已完成';
export const STATUSES: readonly ProgressStatus[] = ['未开始', '进行中', '已完成'];

/** Who made a change, and from which chat. */
export interface AuditActor {
  channel: ChannelName | 'dashboard' | 'cli';
  chatId?: string;
  userId?: string;
  name?: string;
}

export interface ProgressEntry {
  status: ProgressStatus;
  note?: string;
  updatedAt: string;
  updatedBy: AuditActor;
}

export interface DeadlineEntry {
  /** Task-wide deadline (YYYY-MM-DD). */
  date?: string;
  /** Per-department overrides (YYYY-MM-DD). */
  byDepartment?: Record<string, string>;
}

/** leaders: the optional leaders' chat that receives second-step escalations (/bind 领导). */
export type BindingRole = 'department' | 'coordinator' | 'leaders';

export interface Binding {
  channel: ChannelName;
  chatId: string;
  role: BindingRole;
  /** The department this chat speaks for (required for role 'department'). */
  department?: string;
  title?: string;
  active: boolean;
  /** Why the binding was deactivated (e.g. the bot was removed from the group). */
  inactiveReason?: string;
  createdAt: string;
  updatedAt: string;
  by: AuditActor;
}

/** What an outbox row carries: a reminder, a notice, or the parts of a chat answer a platform could not take at once. */
export type ReminderKind = 'weekly-digest' | 'due-soon' | 'overdue' | 'overdue-summary' | 'notice' | 'escalation' | 'weekly-report' | 'reply';

/** A weekly slot: ISO weekday 1 (Mon) … 7 (Sun), time HH:MM in the reminder time zone. */
export interface WeeklySlot {
  enabled: boolean;
  weekday: number;
  time: string;
}

/** A daily (workday) slot. */
export interface DailySlot {
  enabled: boolean;
  time: string;
}

export interface DepartmentSchedule {
  weeklyDigest: WeeklySlot;
  dueSoon: DailySlot & { days: number[] };
  overdue: DailySlot;
}

/** Partial per-department override stored from /schedule (layered over data/reminders.json). */
export interface ScheduleOverride {
  weeklyDigest?: Partial<WeeklySlot>;
  dueSoon?: Partial<DailySlot & { days: number[] }>;
  overdue?: Partial<DailySlot>;
  /** Only for the coordinator key: the weekly overdue summary. */
  overdueSummary?: Partial<WeeklySlot>;
}

export interface HolidayOverride {
  type: 'work' | 'off';
  note?: string;
  at: string;
  by?: AuditActor;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dismissed' | 'skipped';

export interface OutboxRow {
  /** Idempotency key: department + kind + period (+ destination). */
  key: string;
  /** Monotonic sequence: FIFO order per destination. */
  seq: number;
  channel: ChannelName;
  chatId: string;
  /** Department the reminder is for ('' for coordinator-wide notices). */
  department: string;
  kind: ReminderKind;
  period: string;
  text: string;
  /**
   * Tasks the reminder lists, as plan id → task numbers (due-soon / overdue rows are skipped at send time when all
   * are done; read them with rowTasks). Grouped by plan to keep rows listing many tasks small.
   */
  tasks?: Record<string, number[]>;
  /** Rows planned before tasks had plans (schema < 4): numbers of the default plan's tasks. */
  taskIds?: number[];
  status: OutboxStatus;
  /** Sends that failed (the platform said no, or did not answer): what the retry budget and back-off count. */
  attempts: number;
  /** When the current send started (status sending). */
  claimedAt?: string;
  /** The instance sending it (several instances on PostgreSQL): a claim of an instance that stopped is taken over at once. */
  claimedBy?: number;
  /** Sends cut short by a crash (found `sending` at start): they cost no retry budget. */
  interrupted?: number;
  nextAttemptAt: string;
  lastError?: string;
  createdAt: string;
  sentAt?: string;
  /** The slot the row was planned for (ISO). */
  slotAt?: string;
  /** Sent late after downtime (补发). */
  catchUp?: boolean;
  /** Parts already delivered when the text had to be split (an attached file counts as the last part). */
  partsSent?: number;
  /** Liaisons to @-mention (only those of the destination's platform). */
  mentions?: Mention[];
  /** A document sent after the text (the weekly 督办通报). */
  file?: OutboundFile;
  remoteId?: string;
}

export type NewOutboxRow = Omit<OutboxRow, 'seq' | 'status' | 'attempts' | 'nextAttemptAt' | 'createdAt'> &
  Partial<Pick<OutboxRow, 'status' | 'nextAttemptAt' | 'lastError'>>;

export interface ReminderLogEntry {
  at: string;
  /** Outbox row key. */
  rowKey: string;
  event: 'planned' | 'sent' | 'retry' | 'failed' | 'skipped' | 'dismissed' | 'requeued' | 'resumed';
  detail?: string;
}

export type AuditAction =
  | 'status'
  | 'deadline'
  | 'bind'
  | 'unbind'
  | 'binding-active'
  | 'migrate-chat'
  | 'schedule'
  | 'holiday'
  | 'outbox-retry'
  | 'outbox-dismiss'
  | 'liaison'
  | 'report'
  | 'chat-plan'
  | 'plan-revision';

export interface AuditEntry {
  at: string;
  action: AuditAction;
  actor: AuditActor;
  /** The plan of `taskId` (entries written before schema 4 were migrated to the default plan). */
  plan?: string;
  taskId?: number;
  department?: string;
  old?: unknown;
  new?: unknown;
  note?: string;
}

/** A department's liaison (联络员) on one platform, @-mentioned by its reminders. */
export interface Liaison {
  platform: PersonPlatform;
  /** WeCom userid or mobile; Telegram numeric user id. */
  id: string;
  kind: Mention['kind'];
  name?: string;
  at: string;
  by: AuditActor;
}

/** Someone the bot has seen speak (Telegram), so "/liaison 法院 @username" can find their id. */
export interface KnownPerson {
  platform: PersonPlatform;
  id: string;
  name?: string;
  handle?: string;
  at: string;
}

/** One issued weekly 督办通报. */
export interface ReportRecord {
  /** ISO week, e.g. 2026-W50: one issue per week. */
  week: string;
  /** 第N期, numbered in order of issue. */
  number: number;
  /** Monday and the report day (YYYY-MM-DD). */
  periodStart: string;
  periodEnd: string;
  /** File name under DATA_DIR/reports/. */
  file: string;
  bytes: number;
  createdAt: string;
}

/** A dashboard sign-in, shared by every instance (stored under the SHA-256 of its cookie value, never the value). */
export interface DashboardSessionRecord {
  csrf: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  /** The message shown once on the next page (after a POST and its redirect, which may reach another instance). */
  flash?: { kind: 'ok' | 'error'; text: string };
}

/** Failed dashboard sign-ins from one address (the back-off counts across instances). */
export interface LoginFailures {
  count: number;
  /** Epoch ms until which the address must wait. */
  until: number;
}

/** An upload previewed on the dashboard and waiting for 确认 (which may reach another instance). */
export interface PendingUpload {
  /** The session it belongs to (its hashed id). */
  session: string;
  at: number;
  value: unknown;
}

/** A group robot's send key added at run time (WeCom /hook), by the chat id it is bound as. */
export interface RobotKey {
  department: string;
  key: string;
  coordinator?: boolean;
}

export interface StateData {
  schemaVersion: number;
  /** Last journal line contained in this file (see journal.ts). */
  journalSeq?: number;
  /** `${plan}:${task}|${department}` (e.g. `default:48|法院`) → status. */
  progress: Record<string, ProgressEntry>;
  /** `${plan}:${task}` → deadline. */
  deadlines: Record<string, DeadlineEntry>;
  /**
   * Plan id → the text of each task number (`"48"` → text) the keys above refer to: when a revised version of
   * the plan is loaded, the keys follow its tasks (matched by text) to their new numbers.
   */
  planTexts: Record<string, Record<string, string>>;
  /** `${channel}:${chatId}` → the plan id a chat's bare task numbers mean (/plan). */
  chatPlans: Record<string, string>;
  bindings: Binding[];
  /** department name, or '__coordinator' → override of data/reminders.json. */
  schedules: Record<string, ScheduleOverride>;
  holidays: Record<string, HolidayOverride>;
  outbox: Record<string, OutboxRow>;
  outboxSeq: number;
  reminderLog: ReminderLogEntry[];
  /** Dedupe key → expiry (epoch ms). */
  seen: Record<string, number>;
  history: AuditEntry[];
  /** department → its liaisons. */
  liaisons: Record<string, Liaison[]>;
  /** `${platform}:@${handle}` → the person. */
  people: Record<string, KnownPerson>;
  /** ISO week → the 督办通报 issued for it. */
  reports: Record<string, ReportRecord>;
  /** The last 期 number issued. */
  reportSeq: number;
  /** Hashed cookie value → dashboard session. */
  sessions: Record<string, DashboardSessionRecord>;
  /** Client address → failed sign-ins. */
  logins: Record<string, LoginFailures>;
  /** Random id → upload waiting for confirmation. */
  uploads: Record<string, PendingUpload>;
  /** Group robots added at run time, when the state is shared by several instances (PostgreSQL). */
  robots: Record<string, RobotKey>;
  planner: {
    lastPlannedAt?: string;
    /** `${plan}:${task}|${dept}|${threshold}|${deadline}` → date alerted (due-soon and overdue, once each). */
    alerted: Record<string, string>;
  };
}
