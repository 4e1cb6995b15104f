import type { ChannelName } from '../core/types.js';
import type { LoadedPlan } from '../plan/load.js';
import { StoreError } from './errors.js';
import type { StateBackend } from './backend.js';
import { DashboardSessionStore } from './dashboard-sessions.js';
import { DurableState, type PersistenceOptions } from './persistence.js';
import {
  STATUSES,
  type AuditActor,
  type AuditEntry,
  type Binding,
  type BindingRole,
  type HolidayOverride,
  type KnownPerson,
  type Liaison,
  type ReportRecord,
  type RobotKey,
  type NewOutboxRow,
  type OutboxRow,
  type OutboxStatus,
  type ProgressEntry,
  type ProgressStatus,
  type ReminderKind,
  type ReminderLogEntry,
  type ScheduleOverride,
  type StateData,
} from './types.js';

export * from './types.js';

export { STATE_FILE, LOCK_FILE, JOURNAL_FILE, QUARANTINE_FILE } from './persistence.js';
export { StoreError, PersistError } from './errors.js';
export { DashboardSessionStore, type DashboardSession, type Flash } from './dashboard-sessions.js';
/** Key under which the coordinator's schedule override is stored. */
export const COORDINATOR_KEY = '__coordinator';

export interface StoreOptions extends PersistenceOptions {
  loaded: LoadedPlan;
  /** postgres://… keeps the state in PostgreSQL (several instances); without it, state.json in `dir`. */
  databaseUrl?: string;
  clock?: () => Date;
  /** Retention of sent/skipped/dismissed outbox rows and reminder log entries (default 90 days). */
  retentionDays?: number;
  /** Cap on audit history entries kept (default 100 000; oldest dropped). */
  maxHistory?: number;
}

export interface ProgressRow {
  taskId: number;
  department: string;
  status: ProgressStatus;
  note?: string;
  deadline?: string;
  updatedAt?: string;
  updatedBy?: AuditActor;
}

export interface HistoryFilter {
  taskId?: number;
  department?: string;
  action?: AuditEntry['action'] | AuditEntry['action'][];
  since?: string;
  limit?: number;
}

export interface OutboxFilter {
  status?: OutboxStatus | OutboxStatus[];
  department?: string;
  kind?: ReminderKind;
  channel?: ChannelName;
  chatId?: string;
}

export interface DeadlineChange {
  taskId: number;
  /** YYYY-MM-DD, or null to clear. */
  date: string | null;
  department?: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

const progressKey = (taskId: number, dept: string) => `${taskId}|${dept}`;

/**
 * The bot's state and what may be done with it. Persistence (snapshot, journal, lock, backups, the
 * durability invariant) is DurableState's job; this class knows the plan and the rules of each change.
 */
export class StateStore {
  private lastPrune = 0;
  /** Dashboard sessions, sign-in back-off and uploads awaiting confirmation (shared by instances). */
  readonly dashboardSessions: DashboardSessionStore;

  private constructor(
    private readonly core: StateBackend,
    readonly loaded: LoadedPlan,
    readonly clock: () => Date,
    private readonly retentionMs: number,
    private readonly maxHistory: number,
  ) {
    this.dashboardSessions = new DashboardSessionStore(core, () => clock().getTime());
  }

  static async open(opts: StoreOptions): Promise<StateStore> {
    const clock = opts.clock ?? (() => new Date());
    const core: StateBackend = opts.databaseUrl
      ? await (await import('./pg/pg-state.js')).PgState.open({ url: opts.databaseUrl, dir: opts.dir, clock, readOnly: opts.readOnly })
      : await DurableState.open({ ...opts, clock });
    const store = new StateStore(core, opts.loaded, clock, (opts.retentionDays ?? 90) * 86_400_000, opts.maxHistory ?? 100_000);
    if (!core.readOnly) {
      try {
        await store.prune();
      } catch (err) {
        await core.close();
        throw err;
      }
    }
    return store;
  }

  /** Opened read-only: changes stay in memory and are never written (previews, inspection). */
  get readOnly(): boolean {
    return this.core.readOnly;
  }

  get file(): string {
    return this.core.file;
  }

  /** The raw state (read-only use: tests, dashboards, the benchmark). */
  get data(): Readonly<StateData> {
    return this.core.data;
  }

  /** Physical writes so far (journal appends and full rewrites). */
  get writeCount(): number {
    return this.core.writeCount;
  }

  /** Where the state is kept: `postgres` with DATABASE_URL, else `file` (state.json + journal). */
  get backend(): 'file' | 'postgres' {
    return this.core instanceof DurableState ? 'file' : 'postgres';
  }

  /**
   * Read in every change committed so far, on any instance. Called before answering what a user sees,
   * so an update acknowledged by one instance is shown by the next request on another.
   */
  refresh(): Promise<void> {
    return this.core.refresh();
  }

  /** Another instance changed the state (PostgreSQL); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.core.onChange(listener);
  }

  private nowIso(): string {
    return this.clock().toISOString();
  }

  /**
   * Change anything, durably (the whole file is rewritten). Entries of maps must be replaced, not
   * changed in place, so a failed write can be undone.
   */
  async update<R>(fn: (data: StateData) => R): Promise<R> {
    return this.core.mutate(fn);
  }

  /** The store's own writes: `sections` lists the top-level parts the change touches. */
  private mutate<R>(fn: (data: StateData) => R, sections: Array<keyof StateData>): Promise<R> {
    return this.core.mutate(fn, sections);
  }

  /**
   * A snapshot of the whole state in DATA_DIR/backups (before a plan import or a bulk change, and
   * from `npm run state -- backup`). Returns the file written.
   */
  backup(reason: string): Promise<string> {
    return this.core.backup(reason);
  }

  private audit(data: StateData, entry: Omit<AuditEntry, 'at'>): void {
    data.history.push({ at: this.nowIso(), ...entry });
    if (data.history.length > this.maxHistory) data.history.splice(0, data.history.length - this.maxHistory);
  }

  // ---------------------------------------------------------------- plan helpers

  private task(taskId: number) {
    const t = this.loaded.plan.tasks.find((x) => x.id === taskId);
    if (!t) throw new StoreError(`没有第${taskId}项任务`);
    return t;
  }

  private checkDept(taskId: number, dept: string) {
    const t = this.task(taskId);
    if (!t.departments.includes(dept)) throw new StoreError(`第${taskId}项的责任部门不包括「${dept}」`);
    return t;
  }

  // ---------------------------------------------------------------- bindings

  bindingFor(channel: ChannelName, chatId: string): Binding | undefined {
    return this.core.data.bindings.find((b) => b.channel === channel && b.chatId === chatId);
  }

  bindings(): Binding[] {
    return [...this.core.data.bindings];
  }

  /** Active bindings that receive a department's reminders. */
  bindingsForDepartment(dept: string): Binding[] {
    return this.core.data.bindings.filter((b) => b.active && b.role === 'department' && b.department === dept);
  }

  /** Active coordinator bindings. */
  coordinatorBindings(): Binding[] {
    return this.core.data.bindings.filter((b) => b.active && b.role === 'coordinator');
  }

  /** Active leaders' chats (second-step escalations). */
  leadersBindings(): Binding[] {
    return this.core.data.bindings.filter((b) => b.active && b.role === 'leaders');
  }

  async bind(
    b: { channel: ChannelName; chatId: string; department?: string; role: BindingRole; title?: string },
    by: AuditActor,
  ): Promise<void> {
    if (b.role === 'department') {
      if (!b.department) throw new StoreError('绑定部门群时必须指定部门');
      if (!this.loaded.registry.get(b.department)) throw new StoreError(`未登记的部门「${b.department}」`);
    }
    const now = this.nowIso();
    await this.mutate((data) => {
      const i = data.bindings.findIndex((x) => x.channel === b.channel && x.chatId === b.chatId);
      const old = i >= 0 ? data.bindings[i] : undefined;
      const next: Binding = {
        channel: b.channel,
        chatId: b.chatId,
        role: b.role,
        department: b.department,
        title: b.title ?? old?.title,
        active: true,
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
        by,
      };
      if (next.department === undefined) delete next.department;
      if (next.title === undefined) delete next.title;
      if (i >= 0) data.bindings[i] = next;
      else data.bindings.push(next);
      this.audit(data, {
        action: 'bind',
        actor: by,
        department: b.department,
        old: old ? { role: old.role, department: old.department, active: old.active } : undefined,
        new: { channel: b.channel, chatId: b.chatId, role: b.role, department: b.department },
      });
    }, ['bindings', 'history']);
  }

  async unbind(channel: ChannelName, chatId: string, by: AuditActor): Promise<boolean> {
    return this.mutate((data) => {
      const i = data.bindings.findIndex((x) => x.channel === channel && x.chatId === chatId);
      if (i < 0) return false;
      const [old] = data.bindings.splice(i, 1);
      this.audit(data, {
        action: 'unbind',
        actor: by,
        department: old.department,
        old: { channel, chatId, role: old.role, department: old.department },
      });
      return true;
    }, ['bindings', 'history']);
  }

  async setBindingActive(channel: ChannelName, chatId: string, active: boolean, reason: string, by?: AuditActor): Promise<void> {
    await this.mutate((data) => {
      const b = data.bindings.find((x) => x.channel === channel && x.chatId === chatId);
      if (!b || b.active === active) return;
      b.active = active;
      b.updatedAt = this.nowIso();
      if (active) delete b.inactiveReason;
      else b.inactiveReason = reason;
      this.audit(data, {
        action: 'binding-active',
        actor: by ?? { channel: 'cli', name: 'system' },
        department: b.department,
        old: !active,
        new: active,
        note: reason,
      });
    }, ['bindings', 'history']);
  }

  /** A chat changed id (Telegram group → supergroup): move the binding and unsent outbox rows. */
  async migrateChat(channel: ChannelName, oldChatId: string, newChatId: string): Promise<void> {
    if (oldChatId === newChatId) return;
    await this.mutate((data) => {
      const b = data.bindings.find((x) => x.channel === channel && x.chatId === oldChatId);
      if (b) {
        // A binding the new id may already have is replaced by the migrated one.
        data.bindings = data.bindings.filter((x) => !(x.channel === channel && x.chatId === newChatId));
        b.chatId = newChatId;
        b.updatedAt = this.nowIso();
      }
      let moved = 0;
      for (const row of Object.values(data.outbox)) {
        if (row.channel !== channel || row.chatId !== oldChatId) continue;
        if (row.status === 'pending' || row.status === 'sending' || row.status === 'failed') {
          data.outbox[row.key] = { ...row, chatId: newChatId, status: row.status === 'sending' ? 'pending' : row.status };
          moved++;
        }
      }
      this.audit(data, {
        action: 'migrate-chat',
        actor: { channel, chatId: oldChatId, name: 'system' },
        department: b?.department,
        old: oldChatId,
        new: newChatId,
        note: `移动了 ${moved} 条待发提醒`,
      });
    }, ['bindings', 'outbox', 'history']);
  }

  // ---------------------------------------------------------------- dedupe

  /**
   * Durable dedupe: resolves true the first time a key is seen (after persisting it),
   * false when the key was seen within ttlMs.
   */
  async rememberOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock().getTime();
    const known = (data: Readonly<StateData>) => {
      const exp = data.seen[key];
      return exp !== undefined && exp > now;
    };
    if (known(this.core.data)) return false;
    // Checked again inside the change: another instance may have seen the key in the meantime.
    return this.mutate((data) => {
      if (known(data)) return false;
      data.seen[key] = now + ttlMs;
      if (now - this.lastPrune > 60_000) this.pruneSeen(data, now);
      return true;
    }, ['seen']);
  }

  private pruneSeen(data: StateData, now: number): void {
    this.lastPrune = now;
    for (const [k, exp] of Object.entries(data.seen)) if (exp <= now) delete data.seen[k];
  }

  // ---------------------------------------------------------------- progress

  status(taskId: number, dept: string): ProgressEntry | undefined {
    return this.core.data.progress[progressKey(taskId, dept)];
  }

  /** Status or the default 未开始. */
  statusOf(taskId: number, dept: string): ProgressStatus {
    return this.status(taskId, dept)?.status ?? '未开始';
  }

  async setStatus(taskId: number, dept: string, status: ProgressStatus, note: string | undefined, by: AuditActor): Promise<ProgressEntry> {
    if (!STATUSES.includes(status)) throw new StoreError(`未知状态「${status}」`);
    this.checkDept(taskId, dept);
    return this.mutate((data) => {
      const key = progressKey(taskId, dept);
      const old = data.progress[key];
      const entry: ProgressEntry = { status, updatedAt: this.nowIso(), updatedBy: by };
      const n = note?.trim();
      if (n) entry.note = n.slice(0, 1000);
      data.progress[key] = entry;
      this.audit(data, {
        action: 'status',
        actor: by,
        taskId,
        department: dept,
        old: old ? { status: old.status, note: old.note } : { status: '未开始' },
        new: { status, note: entry.note },
      });
      return entry;
    }, ['progress', 'history']);
  }

  deadline(taskId: number, dept: string): string | undefined {
    const d = this.core.data.deadlines[String(taskId)];
    return d?.byDepartment?.[dept] ?? d?.date;
  }

  /** The task-wide deadline and per-department overrides. */
  deadlineEntry(taskId: number): { date?: string; byDepartment: Record<string, string> } {
    const d = this.core.data.deadlines[String(taskId)];
    return { date: d?.date, byDepartment: { ...(d?.byDepartment ?? {}) } };
  }

  async setDeadline(taskId: number, date: string | null, dept: string | undefined, by: AuditActor): Promise<void> {
    await this.setDeadlines([{ taskId, date, department: dept }], by);
  }

  /** Set many deadlines in one write (the dashboard sets a whole section at once). Validates all first. */
  async setDeadlines(changes: DeadlineChange[], by: AuditActor): Promise<void> {
    for (const c of changes) {
      if (c.department) this.checkDept(c.taskId, c.department);
      else this.task(c.taskId);
      if (c.date !== null && !isValidDate(c.date)) throw new StoreError(`日期「${c.date}」无效，应为 YYYY-MM-DD`);
    }
    await this.mutate((data) => {
      for (const c of changes) {
        const k = String(c.taskId);
        const entry = { ...(data.deadlines[k] ?? {}) };
        const old = c.department ? entry.byDepartment?.[c.department] : entry.date;
        if (c.department) {
          const by = { ...(entry.byDepartment ?? {}) };
          if (c.date === null) delete by[c.department];
          else by[c.department] = c.date;
          entry.byDepartment = by;
          if (Object.keys(by).length === 0) delete entry.byDepartment;
        } else if (c.date === null) delete entry.date;
        else entry.date = c.date;
        if (entry.date === undefined && entry.byDepartment === undefined) delete data.deadlines[k];
        else data.deadlines[k] = entry;
        this.audit(data, { action: 'deadline', actor: by, taskId: c.taskId, department: c.department, old: old ?? null, new: c.date });
      }
    }, ['deadlines', 'history']);
  }

  /** Every (task, department) of the plan with its status and deadline. */
  rows(filter: { department?: string; taskId?: number } = {}): ProgressRow[] {
    const out: ProgressRow[] = [];
    for (const t of this.loaded.plan.tasks) {
      if (filter.taskId !== undefined && t.id !== filter.taskId) continue;
      for (const dept of t.departments) {
        if (filter.department && dept !== filter.department) continue;
        const p = this.core.data.progress[progressKey(t.id, dept)];
        const row: ProgressRow = { taskId: t.id, department: dept, status: p?.status ?? '未开始' };
        if (p?.note) row.note = p.note;
        const dl = this.deadline(t.id, dept);
        if (dl) row.deadline = dl;
        if (p) {
          row.updatedAt = p.updatedAt;
          row.updatedBy = p.updatedBy;
        }
        out.push(row);
      }
    }
    return out;
  }

  history(filter: HistoryFilter = {}): AuditEntry[] {
    const actions = filter.action === undefined ? undefined : ([] as string[]).concat(filter.action);
    let out = this.core.data.history.filter(
      (h) =>
        (filter.taskId === undefined || h.taskId === filter.taskId) &&
        (filter.department === undefined || h.department === filter.department) &&
        (actions === undefined || actions.includes(h.action)) &&
        (filter.since === undefined || h.at >= filter.since),
    );
    if (filter.limit !== undefined) out = out.slice(-filter.limit);
    return out;
  }

  // ---------------------------------------------------------------- liaisons, people, reports

  liaisons(dept: string): Liaison[] {
    return [...(this.core.data.liaisons[dept] ?? [])];
  }

  /** Replace a department's liaisons ([] clears them). */
  async setLiaisons(dept: string, list: Array<Omit<Liaison, 'at' | 'by'>>, by: AuditActor): Promise<Liaison[]> {
    if (!this.loaded.registry.get(dept)) throw new StoreError(`未登记的部门「${dept}」`);
    if (list.length > 20) throw new StoreError('每个部门最多 20 名联络员');
    const at = this.nowIso();
    return this.mutate((data) => {
      const old = data.liaisons[dept] ?? [];
      const next = list.map((l) => {
        const e: Liaison = { platform: l.platform, id: l.id, kind: l.kind, at, by };
        if (l.name) e.name = l.name.slice(0, 50);
        return e;
      });
      if (next.length) data.liaisons[dept] = next;
      else delete data.liaisons[dept];
      this.audit(data, { action: 'liaison', actor: by, department: dept, old: old.map((l) => l.name ?? l.id), new: next.map((l) => l.name ?? l.id) });
      return next;
    }, ['liaisons', 'history']);
  }

  person(platform: KnownPerson['platform'], handle: string): KnownPerson | undefined {
    return this.core.data.people[`${platform}:@${handle.replace(/^@/, '').toLowerCase()}`];
  }

  /** Remember who has a @username (written only when something changed). */
  async rememberPerson(p: Omit<KnownPerson, 'at'>): Promise<void> {
    if (!p.handle || this.readOnly) return;
    const key = `${p.platform}:@${p.handle.toLowerCase()}`;
    const old = this.core.data.people[key];
    if (old && old.id === p.id && old.name === p.name) return;
    await this.mutate((data) => {
      data.people[key] = { ...p, at: this.nowIso() };
    }, ['people']);
  }

  /** Issued reports, oldest first. */
  reports(): ReportRecord[] {
    return Object.values(this.core.data.reports).sort((a, b) => a.number - b.number);
  }

  report(week: string): ReportRecord | undefined {
    return this.core.data.reports[week];
  }

  /** The number the next issue will get. */
  get nextReportNumber(): number {
    return this.core.data.reportSeq + 1;
  }

  /** Record an issued report; the week keeps its first number (idempotent). */
  async recordReport(r: Omit<ReportRecord, 'createdAt'>, by: AuditActor): Promise<ReportRecord> {
    return this.mutate((data) => {
      const existing = data.reports[r.week];
      if (existing) return existing;
      const rec: ReportRecord = { ...r, createdAt: this.nowIso() };
      data.reports[r.week] = rec;
      data.reportSeq = Math.max(data.reportSeq, r.number);
      this.audit(data, { action: 'report', actor: by, new: { week: r.week, number: r.number, file: r.file } });
      return rec;
    }, ['reports', 'reportSeq', 'history']);
  }

  // ---------------------------------------------------------------- group robots added at run time

  /** Robot keys by chat id (kept in the state only with PostgreSQL: a file backend keeps them in a 0600 file). */
  robotKeys(): Record<string, RobotKey> {
    return { ...this.core.data.robots };
  }

  /** Replace the robot keys added at run time. */
  async setRobotKeys(keys: Record<string, RobotKey>): Promise<void> {
    await this.mutate((data) => {
      data.robots = { ...keys };
    }, ['robots']);
  }

  // ---------------------------------------------------------------- schedules and holidays

  scheduleOverride(key: string): ScheduleOverride | undefined {
    return this.core.data.schedules[key];
  }

  /** Merge a patch into a department's (or COORDINATOR_KEY's) schedule override; null resets to the defaults. */
  async setSchedule(key: string, patch: ScheduleOverride | null, by: AuditActor): Promise<void> {
    if (key !== COORDINATOR_KEY && !this.loaded.registry.get(key)) throw new StoreError(`未登记的部门「${key}」`);
    await this.mutate((data) => {
      const old = data.schedules[key];
      if (patch === null) delete data.schedules[key];
      else {
        const next: ScheduleOverride = { ...(old ?? {}) };
        for (const k of ['weeklyDigest', 'dueSoon', 'overdue', 'overdueSummary'] as const) {
          if (patch[k]) next[k] = { ...(old?.[k] ?? {}), ...patch[k] } as never;
        }
        data.schedules[key] = next;
      }
      this.audit(data, { action: 'schedule', actor: by, department: key === COORDINATOR_KEY ? undefined : key, old: old ?? null, new: data.schedules[key] ?? null });
    }, ['schedules', 'history']);
  }

  holidayOverrides(): Record<string, HolidayOverride> {
    return this.core.data.holidays;
  }

  async setHoliday(date: string, type: 'work' | 'off' | null, note: string | undefined, by: AuditActor): Promise<void> {
    if (!isValidDate(date)) throw new StoreError(`日期「${date}」无效，应为 YYYY-MM-DD`);
    await this.mutate((data) => {
      const old = data.holidays[date];
      if (type === null) delete data.holidays[date];
      else data.holidays[date] = { type, note, at: this.nowIso(), by };
      this.audit(data, { action: 'holiday', actor: by, old: old?.type ?? null, new: type, note: `${date}${note ? ` ${note}` : ''}` });
    }, ['holidays', 'history']);
  }

  // ---------------------------------------------------------------- outbox

  outbox(filter: OutboxFilter = {}): OutboxRow[] {
    const statuses = filter.status === undefined ? undefined : ([] as OutboxStatus[]).concat(filter.status);
    return Object.values(this.core.data.outbox)
      .filter(
        (r) =>
          (statuses === undefined || statuses.includes(r.status)) &&
          (filter.department === undefined || r.department === filter.department) &&
          (filter.kind === undefined || r.kind === filter.kind) &&
          (filter.channel === undefined || r.channel === filter.channel) &&
          (filter.chatId === undefined || r.chatId === filter.chatId),
      )
      .sort((a, b) => a.seq - b.seq);
  }

  outboxRow(key: string): OutboxRow | undefined {
    return this.core.data.outbox[key];
  }

  get lastPlannedAt(): string | undefined {
    return this.core.data.planner.lastPlannedAt;
  }

  alerted(key: string): string | undefined {
    return this.core.data.planner.alerted[key];
  }

  /**
   * The planner's one write: upsert rows (an existing key is left alone), mark alert keys,
   * and advance lastPlannedAt — atomically. Returns the keys actually inserted.
   */
  async plan(rows: NewOutboxRow[], opts: { plannedAt?: string; alerted?: string[] } = {}): Promise<string[]> {
    const now = this.nowIso();
    return this.mutate((data) => {
      const inserted: string[] = [];
      for (const r of rows) {
        if (data.outbox[r.key]) continue;
        const row: OutboxRow = {
          ...r,
          seq: ++data.outboxSeq,
          status: r.status ?? 'pending',
          attempts: 0,
          nextAttemptAt: r.nextAttemptAt ?? now,
          createdAt: now,
        };
        data.outbox[r.key] = row;
        inserted.push(r.key);
        this.logReminder(data, { at: now, rowKey: r.key, event: row.status === 'skipped' ? 'skipped' : 'planned', detail: row.lastError });
      }
      for (const a of opts.alerted ?? []) data.planner.alerted[a] = now.slice(0, 10);
      if (opts.plannedAt && (!data.planner.lastPlannedAt || opts.plannedAt > data.planner.lastPlannedAt)) {
        data.planner.lastPlannedAt = opts.plannedAt;
      }
      return inserted;
    }, ['outbox', 'outboxSeq', 'reminderLog', 'planner']);
  }

  /** Convenience: enqueue one row (no-op if its key exists). */
  async enqueue(row: NewOutboxRow): Promise<boolean> {
    return (await this.plan([row])).length === 1;
  }

  /**
   * Claim a row for sending: status sending, persisted before the caller sends. The attempt is not
   * counted yet: only a send that fails uses up the retry budget (a crash mid-send is not a failure).
   */
  async claimOutbox(key: string): Promise<OutboxRow | undefined> {
    return this.mutate((data) => {
      const row = data.outbox[key];
      if (!row || row.status !== 'pending') return undefined;
      const next: OutboxRow = { ...row, status: 'sending', claimedAt: this.nowIso() };
      data.outbox[key] = next;
      return { ...next };
    }, ['outbox']);
  }

  /** Update fields of a row (the sender's bookkeeping) and log the event. */
  async updateOutbox(key: string, patch: Partial<OutboxRow>, event?: ReminderLogEntry['event'], detail?: string): Promise<void> {
    await this.mutate((data) => {
      const row = data.outbox[key];
      if (!row) return;
      const next = { ...row, ...patch };
      for (const k of Object.keys(next) as Array<keyof OutboxRow>) if (next[k] === undefined) delete next[k];
      data.outbox[key] = next;
      if (event) this.logReminder(data, { at: this.nowIso(), rowKey: key, event, detail });
    }, ['outbox', 'reminderLog']);
  }

  /**
   * At start: rows a previous process left in `sending` were cut short by a crash. They go back to
   * pending as they were — same attempts, same back-off — and are counted as interrupted. The platform
   * may have received them: that one message per destination may arrive twice (at-least-once).
   */
  async resumeSending(): Promise<number> {
    const sending = (data: Readonly<StateData>) => Object.values(data.outbox).filter((r) => r.status === 'sending');
    if (sending(this.core.data).length === 0) return 0;
    return this.mutate((data) => {
      const stuck = sending(data);
      for (const r of stuck) {
        const next: OutboxRow = { ...data.outbox[r.key], status: 'pending', interrupted: (r.interrupted ?? 0) + 1 };
        delete next.claimedAt;
        data.outbox[r.key] = next;
        this.logReminder(data, { at: this.nowIso(), rowKey: r.key, event: 'resumed', detail: '上次运行中断时正在发送，重新发送（不计入重试次数）' });
      }
      return stuck.length;
    }, ['outbox', 'reminderLog']);
  }

  /** Put a failed/dismissed/skipped row back in the queue. */
  async retryOutbox(key: string, by: AuditActor): Promise<boolean> {
    return this.mutate((data) => {
      const row = data.outbox[key];
      if (!row || row.status === 'sent' || row.status === 'pending' || row.status === 'sending') return false;
      const old = row.status;
      const next: OutboxRow = { ...row, status: 'pending', attempts: 0, nextAttemptAt: this.nowIso() };
      delete next.lastError;
      data.outbox[key] = next;
      this.logReminder(data, { at: this.nowIso(), rowKey: key, event: 'requeued' });
      this.audit(data, { action: 'outbox-retry', actor: by, department: row.department || undefined, old, new: 'pending', note: key });
      return true;
    }, ['outbox', 'reminderLog', 'history']);
  }

  async dismissOutbox(key: string, by: AuditActor): Promise<boolean> {
    return this.mutate((data) => {
      const row = data.outbox[key];
      if (!row || row.status === 'sent' || row.status === 'dismissed' || row.status === 'sending') return false;
      const old = row.status;
      data.outbox[key] = { ...row, status: 'dismissed' };
      this.logReminder(data, { at: this.nowIso(), rowKey: key, event: 'dismissed' });
      this.audit(data, { action: 'outbox-dismiss', actor: by, department: row.department || undefined, old, new: 'dismissed', note: key });
      return true;
    }, ['outbox', 'reminderLog', 'history']);
  }

  reminderLog(filter: { rowKey?: string; since?: string } = {}): ReminderLogEntry[] {
    return this.core.data.reminderLog.filter(
      (e) => (filter.rowKey === undefined || e.rowKey === filter.rowKey) && (filter.since === undefined || e.at >= filter.since),
    );
  }

  private logReminder(data: StateData, e: ReminderLogEntry): void {
    if (e.detail === undefined) delete e.detail;
    data.reminderLog.push(e);
  }

  // ---------------------------------------------------------------- maintenance

  /** Drop old finished outbox rows, old reminder log entries and expired seen keys. */
  async prune(): Promise<{ outbox: number; log: number; seen: number; compacted: number }> {
    const now = this.clock().getTime();
    const cutoff = new Date(now - this.retentionMs).toISOString();
    // Delivered texts are kept in full for two weeks, then shortened to their first line.
    const textCutoff = new Date(now - 14 * 86_400_000).toISOString();
    const data = this.core.data;
    const done = (r: OutboxRow) => r.status === 'sent' || r.status === 'skipped' || r.status === 'dismissed';
    const oldRows = Object.values(data.outbox).filter((r) => done(r) && (r.sentAt ?? r.createdAt) < cutoff);
    const longRows = Object.values(data.outbox).filter(
      (r) => done(r) && (r.sentAt ?? r.createdAt) < textCutoff && (r.sentAt ?? r.createdAt) >= cutoff && r.text.length > 300,
    );
    const logKeep = data.reminderLog.findIndex((e) => e.at >= cutoff);
    const oldLog = logKeep < 0 ? data.reminderLog.length : logKeep;
    const expired = Object.entries(data.seen).filter(([, exp]) => exp <= now).length;
    if (oldRows.length === 0 && longRows.length === 0 && oldLog === 0 && expired === 0) return { outbox: 0, log: 0, seen: 0, compacted: 0 };
    await this.mutate((d) => {
      for (const r of oldRows) delete d.outbox[r.key];
      for (const r of longRows) {
        const first = r.text.split('\n')[0].slice(0, 200);
        d.outbox[r.key] = { ...r, text: `${first}\n…（全文 ${r.text.length} 字，已精简）` };
      }
      d.reminderLog.splice(0, oldLog);
      this.pruneSeen(d, now);
    }, ['outbox', 'reminderLog', 'seen']);
    return { outbox: oldRows.length, log: oldLog, seen: expired, compacted: longRows.length };
  }

  /** Wait for pending writes. */
  flush(): Promise<void> {
    return this.core.flush();
  }

  /** Persist pending writes and release the lock. */
  close(): Promise<void> {
    return this.core.close();
  }
}

export function openStore(opts: StoreOptions): Promise<StateStore> {
  return StateStore.open(opts);
}
