import type { ChannelName } from '../core/types.js';
import type { TaskKey } from '../plan/task-key.js';
import { DEFAULT_PLAN_ID } from '../plan/types.js';
import type { StoreContext } from './store-context.js';
import type { AuditActor, NewOutboxRow, OutboxRow, OutboxStatus, ReminderKind, ReminderLogEntry, StateData } from './types.js';

export interface OutboxFilter {
  status?: OutboxStatus | OutboxStatus[];
  department?: string;
  kind?: ReminderKind;
  channel?: ChannelName;
  chatId?: string;
}

/** The tasks a row lists; rows planned before tasks had plans list bare numbers, which are the default plan's. */
export function rowTasks(row: Pick<OutboxRow, 'tasks' | 'taskIds'>): TaskKey[] {
  if (row.tasks) return Object.entries(row.tasks).flatMap(([plan, ids]) => ids.map((task) => ({ plan, task })));
  return (row.taskIds ?? []).map((task) => ({ plan: DEFAULT_PLAN_ID, task }));
}

/** Tasks as an outbox row keeps them: plan id → task numbers. */
export function rowTaskList(tasks: readonly TaskKey[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const k of tasks) (out[k.plan] ??= []).push(k.task);
  return out;
}

/** The durable outbox (reminders, notices, long replies), the planner's marks and the reminder log. */
export class OutboxStore {
  constructor(private readonly ctx: StoreContext) {}

  outbox(filter: OutboxFilter = {}): OutboxRow[] {
    const statuses = filter.status === undefined ? undefined : ([] as OutboxStatus[]).concat(filter.status);
    return Object.values(this.ctx.data.outbox)
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
    return this.ctx.data.outbox[key];
  }

  get lastPlannedAt(): string | undefined {
    return this.ctx.data.planner.lastPlannedAt;
  }

  alerted(key: string): string | undefined {
    return this.ctx.data.planner.alerted[key];
  }

  /**
   * The planner's one write: upsert rows (an existing key is left alone), mark alert keys,
   * and advance lastPlannedAt — atomically. Returns the keys actually inserted.
   */
  async plan(rows: NewOutboxRow[], opts: { plannedAt?: string; alerted?: string[] } = {}): Promise<string[]> {
    const now = this.ctx.nowIso();
    return this.ctx.mutate((data) => {
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
   * A row is claimed when it is pending and due — or when it has been `sending` since before
   * `staleBefore` (its sender died mid-send, or hangs), or its claim names an instance that no longer
   * runs (several instances): that send counts as interrupted. With several instances the claim is
   * decided on the database's row, locked with SKIP LOCKED: two senders never get the same row and never
   * wait for each other.
   */
  async claimOutbox(key: string, opts: { staleBefore?: string } = {}): Promise<OutboxRow | undefined> {
    const now = this.ctx.nowIso();
    const by = this.ctx.core.instanceId;
    const take = (row: OutboxRow | undefined, alive: (instanceId: number) => boolean): { row: OutboxRow; log?: ReminderLogEntry } | undefined => {
      if (!row) return undefined;
      const mine = (r: OutboxRow): OutboxRow => ({ ...r, status: 'sending', claimedAt: now, ...(by === undefined ? {} : { claimedBy: by }) });
      if (row.status === 'pending' && row.nextAttemptAt <= now) return { row: mine(row) };
      if (row.status !== 'sending') return undefined;
      const expired = opts.staleBefore !== undefined && (row.claimedAt ?? '') < opts.staleBefore;
      const orphaned = row.claimedBy !== undefined && !alive(row.claimedBy);
      if (!expired && !orphaned) return undefined;
      return {
        row: { ...mine(row), interrupted: (row.interrupted ?? 0) + 1 },
        log: {
          at: now,
          rowKey: key,
          event: 'resumed',
          detail: orphaned ? '发送它的实例已停止，重新发送（不计入重试次数）' : '上一次发送在认领期限内没有完成，重新发送（不计入重试次数）',
        },
      };
    };
    const locked = this.ctx.core.lockEntries?.bind(this.ctx.core);
    if (locked) {
      return locked(
        'outbox',
        [key],
        (entries, alive) => {
          const t = take(entries.get(key) as OutboxRow | undefined, alive);
          return { set: t ? { [key]: t.row } : {}, append: t?.log ? { reminderLog: [t.log] } : undefined, result: t && { ...t.row } };
        },
        (entry) => {
          const r = entry as OutboxRow;
          return r.status === 'sending' ? r.claimedBy : undefined;
        },
      );
    }
    return this.ctx.mutate((data) => {
      const t = take(data.outbox[key], () => true);
      if (!t) return undefined;
      data.outbox[key] = t.row;
      if (t.log) this.logReminder(data, t.log);
      return { ...t.row };
    }, ['outbox', 'reminderLog']);
  }

  /**
   * Update fields of a row (the sender's bookkeeping) and log the event. `ifClaimedAt`: only while the row
   * is still the caller's claim — one taken over by another sender after its lease ran out is that
   * sender's now. Returns whether the row was updated.
   */
  async updateOutbox(key: string, patch: Partial<OutboxRow>, event?: ReminderLogEntry['event'], detail?: string, ifClaimedAt?: string): Promise<boolean> {
    return this.ctx.mutate((data) => {
      const row = data.outbox[key];
      if (!row) return false;
      if (ifClaimedAt !== undefined && (row.status !== 'sending' || row.claimedAt !== ifClaimedAt)) return false;
      const next = { ...row, ...patch };
      // A claim ended (the row sent, failed or back in the queue) names no sender any more.
      if ('claimedAt' in patch && patch.claimedAt === undefined) delete next.claimedBy;
      for (const k of Object.keys(next) as Array<keyof OutboxRow>) if (next[k] === undefined) delete next[k];
      data.outbox[key] = next;
      if (event) this.logReminder(data, { at: this.ctx.nowIso(), rowKey: key, event, detail });
      return true;
    }, ['outbox', 'reminderLog']);
  }

  /**
   * At start: rows a previous process left in `sending` were cut short by a crash. They go back to
   * pending as they were — same attempts, same back-off — and are counted as interrupted. The platform
   * may have received them: that one message per destination may arrive twice (at-least-once).
   */
  async resumeSending(): Promise<number> {
    const sending = (data: Readonly<StateData>) => Object.values(data.outbox).filter((r) => r.status === 'sending');
    if (sending(this.ctx.data).length === 0) return 0;
    return this.ctx.mutate((data) => {
      const stuck = sending(data);
      for (const r of stuck) {
        const next: OutboxRow = { ...data.outbox[r.key], status: 'pending', interrupted: (r.interrupted ?? 0) + 1 };
        delete next.claimedAt;
        delete next.claimedBy;
        data.outbox[r.key] = next;
        this.logReminder(data, { at: this.ctx.nowIso(), rowKey: r.key, event: 'resumed', detail: '上次运行中断时正在发送，重新发送（不计入重试次数）' });
      }
      return stuck.length;
    }, ['outbox', 'reminderLog']);
  }

  /** Put a failed/dismissed/skipped row back in the queue. */
  async retryOutbox(key: string, by: AuditActor): Promise<boolean> {
    return this.ctx.mutate((data) => {
      const row = data.outbox[key];
      if (!row || row.status === 'sent' || row.status === 'pending' || row.status === 'sending') return false;
      const old = row.status;
      const next: OutboxRow = { ...row, status: 'pending', attempts: 0, nextAttemptAt: this.ctx.nowIso() };
      delete next.lastError;
      data.outbox[key] = next;
      this.logReminder(data, { at: this.ctx.nowIso(), rowKey: key, event: 'requeued' });
      this.ctx.audit(data, { action: 'outbox-retry', actor: by, department: row.department || undefined, old, new: 'pending', note: key });
      return true;
    }, ['outbox', 'reminderLog', 'history']);
  }

  async dismissOutbox(key: string, by: AuditActor): Promise<boolean> {
    return this.ctx.mutate((data) => {
      const row = data.outbox[key];
      if (!row || row.status === 'sent' || row.status === 'dismissed' || row.status === 'sending') return false;
      const old = row.status;
      data.outbox[key] = { ...row, status: 'dismissed' };
      this.logReminder(data, { at: this.ctx.nowIso(), rowKey: key, event: 'dismissed' });
      this.ctx.audit(data, { action: 'outbox-dismiss', actor: by, department: row.department || undefined, old, new: 'dismissed', note: key });
      return true;
    }, ['outbox', 'reminderLog', 'history']);
  }

  reminderLog(filter: { rowKey?: string; since?: string } = {}): ReminderLogEntry[] {
    return this.ctx.data.reminderLog.filter(
      (e) => (filter.rowKey === undefined || e.rowKey === filter.rowKey) && (filter.since === undefined || e.at >= filter.since),
    );
  }

  private logReminder(data: StateData, e: ReminderLogEntry): void {
    if (e.detail === undefined) delete e.detail;
    data.reminderLog.push(e);
  }
}
