import type { LoadedPlan } from '../plan/load.js';
import { PlanSet } from '../plan/plan-set.js';
import type { StateBackend } from './backend.js';
import { BindingStore } from './binding-store.js';
import { DashboardSessionStore } from './dashboard-sessions.js';
import { DedupeStore } from './dedupe-store.js';
import { HistoryStore } from './history-store.js';
import { OutboxStore } from './outbox-store.js';
import { PlanRevisionStore } from './plan-revisions.js';
import { DurableState, type PersistenceOptions } from './persistence.js';
import { ProgressStore } from './progress-store.js';
import { ScheduleStore } from './schedule-store.js';
import { StoreContext } from './store-context.js';
import type { OutboxRow, StateData } from './types.js';

export * from './types.js';

export { STATE_FILE, LOCK_FILE, JOURNAL_FILE, QUARANTINE_FILE } from './persistence.js';
export { StoreError, PersistError } from './errors.js';
export { DashboardSessionStore, type DashboardSession, type Flash } from './dashboard-sessions.js';
export { isValidDate, type DeadlineChange, type ProgressRow } from './progress-store.js';
export type { HistoryFilter } from './history-store.js';
export { rowTaskList, rowTasks, type OutboxFilter } from './outbox-store.js';
export type { FollowedRevision } from './plan-revisions.js';
export { COORDINATOR_KEY } from './schedule-store.js';
export { BindingStore, DedupeStore, HistoryStore, OutboxStore, PlanRevisionStore, ProgressStore, ScheduleStore };

export interface StoreOptions extends PersistenceOptions {
  /** The active plans (replaced in place when plans are imported or archived while running), or one plan. */
  plans?: PlanSet;
  loaded?: LoadedPlan;
  /** postgres://… keeps the state in PostgreSQL (several instances); without it, state.json in `dir`. */
  databaseUrl?: string;
  clock?: () => Date;
  /** Retention of sent/skipped/dismissed outbox rows and reminder log entries (default 90 days). */
  retentionDays?: number;
  /** Cap on audit history entries kept (default 100 000; oldest dropped). */
  maxHistory?: number;
}

/**
 * The bot's state and what may be done with it. Persistence (snapshot, journal, lock, backups, the
 * durability invariant) is the backend's job (DurableState or PgState); the rules of each change live in
 * one small store per concern, reachable here by name (`store.outboxStore`) and, for the callers of
 * old, through the methods of this class.
 */
export class StateStore {
  readonly progressStore: ProgressStore;
  readonly bindingStore: BindingStore;
  readonly dedupeStore: DedupeStore;
  readonly historyStore: HistoryStore;
  readonly scheduleStore: ScheduleStore;
  readonly outboxStore: OutboxStore;
  readonly planRevisions: PlanRevisionStore;
  /** Dashboard sessions, sign-in back-off and uploads awaiting confirmation (shared by instances). */
  readonly dashboardSessions: DashboardSessionStore;

  private constructor(
    private readonly core: StateBackend,
    readonly plans: PlanSet,
    readonly clock: () => Date,
    private readonly retentionMs: number,
    maxHistory: number,
  ) {
    const ctx = new StoreContext(core, plans, clock, maxHistory);
    this.progressStore = new ProgressStore(ctx);
    this.bindingStore = new BindingStore(ctx);
    this.dedupeStore = new DedupeStore(ctx);
    this.historyStore = new HistoryStore(ctx);
    this.scheduleStore = new ScheduleStore(ctx);
    this.outboxStore = new OutboxStore(ctx);
    this.planRevisions = new PlanRevisionStore(ctx);
    this.dashboardSessions = new DashboardSessionStore(core, () => clock().getTime());
  }

  static async open(opts: StoreOptions): Promise<StateStore> {
    const clock = opts.clock ?? (() => new Date());
    const plans = opts.plans ?? new PlanSet(opts.loaded ? [opts.loaded] : []);
    const core: StateBackend = opts.databaseUrl
      ? await (await import('./pg/pg-state.js')).PgState.open({ url: opts.databaseUrl, dir: opts.dir, clock, readOnly: opts.readOnly })
      : await DurableState.open({ ...opts, clock });
    const store = new StateStore(core, plans, clock, (opts.retentionDays ?? 90) * 86_400_000, opts.maxHistory ?? 100_000);
    if (!core.readOnly) {
      try {
        await store.prune();
        // Keys written for an earlier version of a plan follow its tasks to their current numbers.
        await store.followPlans();
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

  /** This instance's number when several share the state (PostgreSQL); it names the outbox rows it is sending. */
  get instanceId(): number | undefined {
    return this.core.instanceId;
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


  /**
   * Change anything, durably (the whole file is rewritten). Entries of maps must be replaced, not
   * changed in place, so a failed write can be undone.
   */
  async update<R>(fn: (data: StateData) => R): Promise<R> {
    return this.core.mutate(fn);
  }

  /**
   * A snapshot of the whole state in DATA_DIR/backups (before a plan import or a bulk change, and
   * from `npm run state -- backup`). Returns the file written.
   */
  backup(reason: string): Promise<string> {
    return this.core.backup(reason);
  }

  // The methods callers use, each handed to the store of its concern.
  // ProgressStore
  status(...a: Parameters<ProgressStore['status']>): ReturnType<ProgressStore['status']> { return this.progressStore.status(...a); }
  statusOf(...a: Parameters<ProgressStore['statusOf']>): ReturnType<ProgressStore['statusOf']> { return this.progressStore.statusOf(...a); }
  setStatus(...a: Parameters<ProgressStore['setStatus']>): ReturnType<ProgressStore['setStatus']> { return this.progressStore.setStatus(...a); }
  deadline(...a: Parameters<ProgressStore['deadline']>): ReturnType<ProgressStore['deadline']> { return this.progressStore.deadline(...a); }
  deadlineEntry(...a: Parameters<ProgressStore['deadlineEntry']>): ReturnType<ProgressStore['deadlineEntry']> { return this.progressStore.deadlineEntry(...a); }
  setDeadline(...a: Parameters<ProgressStore['setDeadline']>): ReturnType<ProgressStore['setDeadline']> { return this.progressStore.setDeadline(...a); }
  setDeadlines(...a: Parameters<ProgressStore['setDeadlines']>): ReturnType<ProgressStore['setDeadlines']> { return this.progressStore.setDeadlines(...a); }
  rows(...a: Parameters<ProgressStore['rows']>): ReturnType<ProgressStore['rows']> { return this.progressStore.rows(...a); }
  // PlanRevisionStore
  followPlans(...a: Parameters<PlanRevisionStore['follow']>): ReturnType<PlanRevisionStore['follow']> { return this.planRevisions.follow(...a); }
  // BindingStore
  bindingFor(...a: Parameters<BindingStore['bindingFor']>): ReturnType<BindingStore['bindingFor']> { return this.bindingStore.bindingFor(...a); }
  bindings(...a: Parameters<BindingStore['bindings']>): ReturnType<BindingStore['bindings']> { return this.bindingStore.bindings(...a); }
  bindingsForDepartment(...a: Parameters<BindingStore['bindingsForDepartment']>): ReturnType<BindingStore['bindingsForDepartment']> { return this.bindingStore.bindingsForDepartment(...a); }
  coordinatorBindings(...a: Parameters<BindingStore['coordinatorBindings']>): ReturnType<BindingStore['coordinatorBindings']> { return this.bindingStore.coordinatorBindings(...a); }
  leadersBindings(...a: Parameters<BindingStore['leadersBindings']>): ReturnType<BindingStore['leadersBindings']> { return this.bindingStore.leadersBindings(...a); }
  bind(...a: Parameters<BindingStore['bind']>): ReturnType<BindingStore['bind']> { return this.bindingStore.bind(...a); }
  unbind(...a: Parameters<BindingStore['unbind']>): ReturnType<BindingStore['unbind']> { return this.bindingStore.unbind(...a); }
  setBindingActive(...a: Parameters<BindingStore['setBindingActive']>): ReturnType<BindingStore['setBindingActive']> { return this.bindingStore.setBindingActive(...a); }
  migrateChat(...a: Parameters<BindingStore['migrateChat']>): ReturnType<BindingStore['migrateChat']> { return this.bindingStore.migrateChat(...a); }
  liaisons(...a: Parameters<BindingStore['liaisons']>): ReturnType<BindingStore['liaisons']> { return this.bindingStore.liaisons(...a); }
  setLiaisons(...a: Parameters<BindingStore['setLiaisons']>): ReturnType<BindingStore['setLiaisons']> { return this.bindingStore.setLiaisons(...a); }
  person(...a: Parameters<BindingStore['person']>): ReturnType<BindingStore['person']> { return this.bindingStore.person(...a); }
  rememberPerson(...a: Parameters<BindingStore['rememberPerson']>): ReturnType<BindingStore['rememberPerson']> { return this.bindingStore.rememberPerson(...a); }
  chatPlan(...a: Parameters<BindingStore['chatPlan']>): ReturnType<BindingStore['chatPlan']> { return this.bindingStore.chatPlan(...a); }
  setChatPlan(...a: Parameters<BindingStore['setChatPlan']>): ReturnType<BindingStore['setChatPlan']> { return this.bindingStore.setChatPlan(...a); }
  robotKeys(...a: Parameters<BindingStore['robotKeys']>): ReturnType<BindingStore['robotKeys']> { return this.bindingStore.robotKeys(...a); }
  setRobotKeys(...a: Parameters<BindingStore['setRobotKeys']>): ReturnType<BindingStore['setRobotKeys']> { return this.bindingStore.setRobotKeys(...a); }
  // DedupeStore
  rememberOnce(...a: Parameters<DedupeStore['rememberOnce']>): ReturnType<DedupeStore['rememberOnce']> { return this.dedupeStore.rememberOnce(...a); }
  // HistoryStore
  history(...a: Parameters<HistoryStore['history']>): ReturnType<HistoryStore['history']> { return this.historyStore.history(...a); }
  reports(...a: Parameters<HistoryStore['reports']>): ReturnType<HistoryStore['reports']> { return this.historyStore.reports(...a); }
  report(...a: Parameters<HistoryStore['report']>): ReturnType<HistoryStore['report']> { return this.historyStore.report(...a); }
  get nextReportNumber(): HistoryStore['nextReportNumber'] { return this.historyStore.nextReportNumber; }
  recordReport(...a: Parameters<HistoryStore['recordReport']>): ReturnType<HistoryStore['recordReport']> { return this.historyStore.recordReport(...a); }
  // ScheduleStore
  scheduleOverride(...a: Parameters<ScheduleStore['scheduleOverride']>): ReturnType<ScheduleStore['scheduleOverride']> { return this.scheduleStore.scheduleOverride(...a); }
  setSchedule(...a: Parameters<ScheduleStore['setSchedule']>): ReturnType<ScheduleStore['setSchedule']> { return this.scheduleStore.setSchedule(...a); }
  holidayOverrides(...a: Parameters<ScheduleStore['holidayOverrides']>): ReturnType<ScheduleStore['holidayOverrides']> { return this.scheduleStore.holidayOverrides(...a); }
  setHoliday(...a: Parameters<ScheduleStore['setHoliday']>): ReturnType<ScheduleStore['setHoliday']> { return this.scheduleStore.setHoliday(...a); }
  // OutboxStore
  outbox(...a: Parameters<OutboxStore['outbox']>): ReturnType<OutboxStore['outbox']> { return this.outboxStore.outbox(...a); }
  outboxRow(...a: Parameters<OutboxStore['outboxRow']>): ReturnType<OutboxStore['outboxRow']> { return this.outboxStore.outboxRow(...a); }
  get lastPlannedAt(): OutboxStore['lastPlannedAt'] { return this.outboxStore.lastPlannedAt; }
  alerted(...a: Parameters<OutboxStore['alerted']>): ReturnType<OutboxStore['alerted']> { return this.outboxStore.alerted(...a); }
  plan(...a: Parameters<OutboxStore['plan']>): ReturnType<OutboxStore['plan']> { return this.outboxStore.plan(...a); }
  enqueue(...a: Parameters<OutboxStore['enqueue']>): ReturnType<OutboxStore['enqueue']> { return this.outboxStore.enqueue(...a); }
  claimOutbox(...a: Parameters<OutboxStore['claimOutbox']>): ReturnType<OutboxStore['claimOutbox']> { return this.outboxStore.claimOutbox(...a); }
  updateOutbox(...a: Parameters<OutboxStore['updateOutbox']>): ReturnType<OutboxStore['updateOutbox']> { return this.outboxStore.updateOutbox(...a); }
  resumeSending(...a: Parameters<OutboxStore['resumeSending']>): ReturnType<OutboxStore['resumeSending']> { return this.outboxStore.resumeSending(...a); }
  retryOutbox(...a: Parameters<OutboxStore['retryOutbox']>): ReturnType<OutboxStore['retryOutbox']> { return this.outboxStore.retryOutbox(...a); }
  dismissOutbox(...a: Parameters<OutboxStore['dismissOutbox']>): ReturnType<OutboxStore['dismissOutbox']> { return this.outboxStore.dismissOutbox(...a); }
  reminderLog(...a: Parameters<OutboxStore['reminderLog']>): ReturnType<OutboxStore['reminderLog']> { return this.outboxStore.reminderLog(...a); }

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
    await this.core.mutate((d) => {
      for (const r of oldRows) delete d.outbox[r.key];
      for (const r of longRows) {
        const first = r.text.split('\n')[0].slice(0, 200);
        d.outbox[r.key] = { ...r, text: `${first}\n…（全文 ${r.text.length} 字，已精简）` };
      }
      d.reminderLog.splice(0, oldLog);
      this.dedupeStore.pruneSeen(d, now);
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

