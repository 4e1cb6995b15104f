import type { ChannelName } from '../core/types.js';

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

export type BindingRole = 'department' | 'coordinator';

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

export type ReminderKind = 'weekly-digest' | 'due-soon' | 'overdue' | 'overdue-summary' | 'notice';

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
  /** Tasks the reminder lists (due-soon / overdue rows are skipped at send time when all are done). */
  taskIds?: number[];
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  createdAt: string;
  sentAt?: string;
  /** The slot the row was planned for (ISO). */
  slotAt?: string;
  /** Sent late after downtime (补发). */
  catchUp?: boolean;
  /** Parts already delivered when the text had to be split. */
  partsSent?: number;
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
  | 'outbox-dismiss';

export interface AuditEntry {
  at: string;
  action: AuditAction;
  actor: AuditActor;
  taskId?: number;
  department?: string;
  old?: unknown;
  new?: unknown;
  note?: string;
}

export interface StateData {
  schemaVersion: number;
  /** Last journal line contained in this file (see journal.ts). */
  journalSeq?: number;
  /** `${taskId}|${department}` → status. */
  progress: Record<string, ProgressEntry>;
  /** taskId → deadline. */
  deadlines: Record<string, DeadlineEntry>;
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
  planner: {
    lastPlannedAt?: string;
    /** `${taskId}|${dept}|${threshold}|${deadline}` → date alerted (due-soon and overdue, once each). */
    alerted: Record<string, string>;
  };
}
