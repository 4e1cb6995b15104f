import { splitText } from '../core/split.js';
import type { ChannelName, OutboundChannel, SendResult } from '../core/types.js';
import { log } from '../core/log.js';
import { rowTasks, type StateStore } from '../state/store.js';
import type { OutboxRow, ReminderLogEntry } from '../state/types.js';
import type { ReminderConfig } from './config.js';
import { TokenBucket } from './rate.js';

export interface SenderOptions {
  store: StateStore;
  config: ReminderConfig;
  clock: () => Date;
  /** Called for a permanently failed row (after the row and binding are updated). */
  onDead: (row: OutboxRow, error: string, destinationGone: boolean) => Promise<void>;
  /** Random source for jitter (tests make it deterministic). */
  random?: () => number;
  /**
   * Several instances: is a row's attached document on this machine (issued reports are written to the
   * planning instance's DATA_DIR)? A row whose file is elsewhere is left to the instance that has it.
   */
  fileHere?: (file: string) => boolean;
}

/** Record what became of the claimed row (only while it is still this sender's claim). */
type Settle = (patch: Partial<OutboxRow>, event?: ReminderLogEntry['event'], detail?: string) => Promise<boolean>;

/** How often a row claimed by another instance is tried, to find out whether that instance still runs. */
const OWNER_CHECK_MS = 3000;

const destOf = (r: { channel: string; chatId: string }) => `${r.channel}\u0000${r.chatId}`;
const KIND_NAMES: Record<string, string> = {
  'weekly-digest': '督办周报',
  'due-soon': '到期提醒',
  overdue: '逾期提醒',
  'overdue-summary': '逾期汇总',
  notice: '通知',
  escalation: '督办升级',
  'weekly-report': '督办通报',
  reply: '回答',
};
export const kindName = (k: string) => KIND_NAMES[k] ?? k;

/**
 * Delivers outbox rows: one FIFO per destination, one send in flight per destination, a token
 * bucket per destination, backoff with jitter, and a row claimed durably before it is sent. Several
 * senders (instances on one database) may run at once: a claim is taken by one only, a destination
 * whose head another sender has claimed waits for it, and a claim older than the lease (its sender died
 * mid-send) is taken over.
 */
export class OutboxSender {
  private readonly channels = new Map<ChannelName, OutboundChannel>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private running = false;
  private pumping = false;
  private again = false;
  private readonly warnedNoChannel = new Set<string>();
  private idleWaiters: Array<() => void> = [];
  private ownerAsked = new Map<string, number>();

  constructor(private readonly o: SenderOptions) {}

  register(ch: OutboundChannel): void {
    this.channels.set(ch.name, ch);
    this.kick();
  }

  channel(name: ChannelName): OutboundChannel | undefined {
    return this.channels.get(name);
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  /** Stop starting new sends; wait for the ones in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = Infinity;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  kick(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    queueMicrotask(() => void this.pump());
  }

  private bucket(row: OutboxRow, ch: OutboundChannel): TokenBucket {
    const k = destOf(row);
    let b = this.buckets.get(k);
    if (!b) this.buckets.set(k, (b = new TokenBucket(ch.perDestinationPerMinute, this.o.config.rateWindowMs)));
    return b;
  }

  private schedule(ms: number): void {
    const at = Date.now() + Math.max(0, ms);
    if (this.timer && at >= this.wakeAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = Infinity;
      void this.pump();
    }, Math.max(0, ms));
    this.timer.unref?.();
  }

  /** The head (lowest seq) of each destination's queue of unfinished rows. */
  private heads(): OutboxRow[] {
    const heads = new Map<string, OutboxRow>();
    for (const r of this.o.store.outbox({ status: ['pending', 'sending'] })) {
      const k = destOf(r);
      if (!heads.has(k)) heads.set(k, r);
    }
    return [...heads.values()];
  }

  private async pump(): Promise<void> {
    if (!this.running || this.pumping) return;
    this.pumping = true;
    try {
      do {
        this.again = false;
        const now = this.o.clock().getTime();
        let nextWake = Infinity;
        const staleBefore = new Date(now - this.o.config.claimLeaseMs).toISOString();
        // When each row claimed by another instance was last asked about (kept for the rows still claimed).
        const ownerAsked = new Map<string, number>();
        for (const row of this.heads()) {
          const dest = destOf(row);
          if (this.inFlight.has(dest)) continue;
          if (row.status === 'sending') {
            // Another sender (another instance) has it: taken over once its lease has run out — or, when the
            // claim names an instance, as soon as that instance no longer runs (asked every few seconds).
            const expires = (Date.parse(row.claimedAt ?? '') || 0) + this.o.config.claimLeaseMs - now;
            if (expires > 0) {
              const other = row.claimedBy !== undefined && row.claimedBy !== this.o.store.instanceId;
              const asked = this.ownerAsked.get(row.key);
              if (other) ownerAsked.set(row.key, asked ?? now);
              const askIn = other && asked !== undefined ? asked + OWNER_CHECK_MS - now : other ? OWNER_CHECK_MS : Infinity;
              if (askIn > 0) {
                nextWake = Math.min(nextWake, expires, askIn);
                continue;
              }
              ownerAsked.set(row.key, now);
            }
          }
          if (row.file && this.o.fileHere?.(row.file.path) === false) continue;
          const ch = this.channels.get(row.channel);
          if (!ch || ch.available?.() === false) {
            if (!ch && !this.warnedNoChannel.has(row.channel)) {
              this.warnedNoChannel.add(row.channel);
              log.warn({ channel: row.channel }, '没有可用的发送通道，提醒暂存在发件箱');
            }
            continue;
          }
          const due = row.status === 'pending' ? Date.parse(row.nextAttemptAt) - now : 0;
          if (due > 0) {
            nextWake = Math.min(nextWake, due);
            continue;
          }
          const p = this.deliver(row.key, ch, staleBefore)
            .catch((err) => log.error({ err, rowKey: row.key }, 'outbox delivery crashed'))
            .finally(() => {
              this.inFlight.delete(dest);
              this.kick();
              this.checkIdle();
            });
          this.inFlight.set(dest, p);
        }
        this.ownerAsked = ownerAsked;
        if (nextWake < Infinity) this.schedule(nextWake);
      } while (this.again);
    } finally {
      this.pumping = false;
      this.checkIdle();
    }
  }

  private async waitToken(row: OutboxRow, ch: OutboundChannel): Promise<void> {
    const b = this.bucket(row, ch);
    for (;;) {
      const t = b.take();
      if (t.ok) return;
      await new Promise((r) => setTimeout(r, t.waitMs));
    }
  }

  private backoff(attempts: number, retryAfterMs?: number): number {
    const { retryBaseMs, retryMaxMs } = this.o.config;
    const exp = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
    const jitter = exp * 0.2 * ((this.o.random ?? Math.random)() * 2 - 1);
    return Math.max(retryAfterMs ?? 0, Math.round(exp + jitter));
  }

  private async deliver(key: string, ch: OutboundChannel, staleBefore: string): Promise<void> {
    const store = this.o.store;
    const row = await store.claimOutbox(key, { staleBefore }); // persisted before anything leaves the process
    if (!row) return;
    // The sender's bookkeeping, while the row is still this claim: a send so slow that its lease ran out
    // and another sender took the row over leaves the row to that one.
    let claim = row.claimedAt!;
    const settle: Settle = async (patch, event, detail) => {
      const applied = await store.updateOutbox(key, patch, event, detail, claim);
      if (!applied) log.warn({ rowKey: key }, '发送超过认领期限，已由另一实例接手；本次结果不再记录');
      else if (patch.claimedAt) claim = patch.claimedAt;
      return applied;
    };
    // A due-soon/overdue reminder whose tasks were all finished meanwhile is not sent.
    const tasks = rowTasks(row);
    if ((row.kind === 'due-soon' || row.kind === 'overdue') && tasks.length && row.department) {
      if (tasks.every((k) => store.statusOf(k, row.department) === '已完成')) {
        await settle({ status: 'skipped', lastError: '相关任务已全部完成', claimedAt: undefined }, 'skipped', '相关任务已全部完成');
        return;
      }
    }
    // An escalation is stopped by a progress update made after it was planned.
    if (row.kind === 'escalation' && tasks.length && row.department) {
      const updated = tasks.map((k) => store.status(k, row.department)?.updatedAt ?? '');
      if (updated.every((u) => u >= row.createdAt)) {
        await settle({ status: 'skipped', lastError: '部门已更新进展', claimedAt: undefined }, 'skipped', '部门已更新进展，升级停止');
        return;
      }
    }
    const parts = splitText(row.text, ch.limit);
    // A document goes after the text, as one more part (so a restart never sends it twice once it is through).
    const total = parts.length + (row.file ? 1 : 0);
    if ((row.partsSent ?? 0) >= total) {
      // Every part went out before a crash took the sent mark with it.
      await settle({ status: 'sent', sentAt: this.o.clock().toISOString(), claimedAt: undefined }, 'sent');
      return;
    }
    for (let i = row.partsSent ?? 0; i < total; i++) {
      await this.waitToken(row, ch);
      let result: SendResult;
      try {
        if (i === parts.length && row.file) {
          result = ch.sendFile
            ? await ch.sendFile(row.chatId, row.file)
            : await ch.send(row.chatId, `附件《${row.file.name}》：本通道不能发送文件，请在管理页「督办通报」下载。`);
        } else result = await ch.send(row.chatId, parts[i], i === 0 && row.mentions?.length ? { mentions: row.mentions } : undefined);
      } catch (err) {
        result = { ok: false, permanent: false, error: (err as Error).message ?? String(err) };
      }
      if (!result.ok) return this.failed(row, result, settle);
      // Marked in the same tick as the platform's answer, before anything else: the window in which a
      // crash makes this part go out twice is one journal append.
      const multi = total > 1 ? { partsSent: i + 1 } : {};
      // Each part delivered renews the claim, so a long message is not taken over while it goes out.
      if (i + 1 < total) {
        if (!(await settle({ ...multi, claimedAt: this.o.clock().toISOString() }))) return;
      } else {
        await settle(
          { status: 'sent', sentAt: this.o.clock().toISOString(), remoteId: result.remoteId, lastError: undefined, claimedAt: undefined, ...multi },
          'sent',
        );
      }
    }
  }

  /** A send failed: it counts against the retry budget (interrupted sends never do). */
  private async failed(row: OutboxRow, result: Extract<SendResult, { ok: false }>, settle: Settle): Promise<void> {
    const store = this.o.store;
    const key = row.key;
    const nowIso = this.o.clock().toISOString();
    const attempts = row.attempts + 1;
    if (result.migrateToChatId) {
      await store.migrateChat(row.channel, row.chatId, result.migrateToChatId);
      await settle(
        { chatId: result.migrateToChatId, status: 'pending', nextAttemptAt: nowIso, lastError: result.error, claimedAt: undefined },
        'retry',
        `群迁移到 ${result.migrateToChatId}`,
      );
      return;
    }
    if (result.permanent || attempts >= this.o.config.maxAttempts) {
      const why = result.permanent ? result.error : `重试 ${attempts} 次仍失败：${result.error}`;
      if (!(await settle({ status: 'failed', attempts, lastError: why, claimedAt: undefined }, 'failed', why))) return;
      log.warn({ rowKey: key, channel: row.channel, error: why }, 'reminder failed for good');
      await this.o.onDead({ ...row, status: 'failed', attempts, lastError: why }, why, result.destinationGone === true);
      return;
    }
    const wait = this.backoff(attempts, result.retryAfterMs);
    const next = new Date(this.o.clock().getTime() + wait).toISOString();
    await settle(
      { status: 'pending', attempts, nextAttemptAt: next, lastError: result.error, claimedAt: undefined },
      'retry',
      `${result.error}；${Math.round(wait / 1000)} 秒后重试`,
    );
  }

  /** Nothing in flight and no row that could be sent now (rows waiting for a retry or a channel don't count). */
  isIdle(): boolean {
    if (this.inFlight.size > 0 || this.pumping) return false;
    const now = this.o.clock().getTime();
    return !this.heads().some((r) => {
      const ch = this.channels.get(r.channel);
      if (!ch || ch.available?.() === false || (r.file && this.o.fileHere?.(r.file.path) === false)) return false;
      if (r.status === 'sending') return (Date.parse(r.claimedAt ?? '') || 0) + this.o.config.claimLeaseMs <= now;
      return Date.parse(r.nextAttemptAt) <= now;
    });
  }

  private checkIdle(): void {
    if (this.idleWaiters.length && this.isIdle()) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  /** Resolve when the sender is idle (or after timeoutMs). */
  idle(timeoutMs = 30_000): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}
