import { Cron } from 'croner';
import type { StateStore } from '../state/store.js';
import { COORDINATOR_KEY } from '../state/store.js';
import type { DepartmentSchedule, ScheduleOverride, WeeklySlot } from '../state/types.js';
import type { ReminderConfig } from './config.js';

function merge(base: DepartmentSchedule, o: ScheduleOverride | undefined): DepartmentSchedule {
  if (!o) return base;
  return {
    weeklyDigest: { ...base.weeklyDigest, ...o.weeklyDigest },
    dueSoon: { ...base.dueSoon, ...o.dueSoon },
    overdue: { ...base.overdue, ...o.overdue },
  };
}

/** Defaults ← data/reminders.json department entry ← /schedule override in the store. */
export function departmentSchedule(dept: string, config: ReminderConfig, store?: StateStore): DepartmentSchedule {
  return merge(merge(config.defaults, config.departments[dept]), store?.scheduleOverride(dept));
}

export function coordinatorSchedule(config: ReminderConfig, store?: StateStore): WeeklySlot {
  return { ...config.coordinatorSummary, ...store?.scheduleOverride(COORDINATOR_KEY)?.overdueSummary };
}

/** Deterministic 0 … n−1 from a name (FNV-1a). */
export function offsetFor(name: string, n: number): number {
  let h = 0x811c9dc5;
  for (const ch of name) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % Math.max(1, n);
}

/** The configured time plus the department's offset, never on :00 or :30. */
export function effectiveTime(time: string, name: string, config: ReminderConfig): { hour: number; minute: number; text: string } {
  const [h, m] = time.split(':').map(Number);
  let total = h * 60 + m + offsetFor(name, config.offsetMinutes);
  if (total % 30 === 0) total += 1;
  total %= 24 * 60;
  const hour = Math.floor(total / 60);
  const minute = total % 60;
  return { hour, minute, text: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

const cronCache = new Map<string, Cron>();

/**
 * Every day at hh:mm in the zone: the workday filter is applied by the caller, so 调休 Saturdays
 * get their run and holiday weekdays don't (a "1-5" cron would get both wrong).
 */
export function dailyCron(hour: number, minute: number, timeZone: string): Cron {
  const k = `${minute} ${hour} ${timeZone}`;
  let c = cronCache.get(k);
  if (!c) {
    c = new Cron(`${minute} ${hour} * * *`, { timezone: timeZone, paused: true });
    cronCache.set(k, c);
  }
  return c;
}

/** Slot instants in (from, to]. */
export function slotsBetween(cron: Cron, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  let prev = from;
  for (let i = 0; i < 400; i++) {
    const next = cron.nextRun(prev);
    if (!next || next > to) break;
    out.push(next);
    prev = next;
  }
  return out;
}
