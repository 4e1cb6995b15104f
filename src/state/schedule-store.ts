import { StoreError } from './errors.js';
import { isValidDate } from './progress-store.js';
import type { StoreContext } from './store-context.js';
import type { AuditActor, HolidayOverride, ScheduleOverride } from './types.js';

/** Key under which the coordinator's schedule override is stored. */
export const COORDINATOR_KEY = '__coordinator';

/** Per-department reminder schedules and holiday overrides. */
export class ScheduleStore {
  constructor(private readonly ctx: StoreContext) {}

  scheduleOverride(key: string): ScheduleOverride | undefined {
    return this.ctx.data.schedules[key];
  }

  /** Merge a patch into a department's (or COORDINATOR_KEY's) schedule override; null resets to the defaults. */
  async setSchedule(key: string, patch: ScheduleOverride | null, by: AuditActor): Promise<void> {
    if (key !== COORDINATOR_KEY && !this.ctx.knowsDepartment(key)) throw new StoreError(`未登记的部门「${key}」`);
    await this.ctx.mutate((data) => {
      const old = data.schedules[key];
      if (patch === null) delete data.schedules[key];
      else {
        const next: ScheduleOverride = { ...(old ?? {}) };
        for (const k of ['weeklyDigest', 'dueSoon', 'overdue', 'overdueSummary'] as const) {
          if (patch[k]) next[k] = { ...(old?.[k] ?? {}), ...patch[k] } as never;
        }
        data.schedules[key] = next;
      }
      this.ctx.audit(data, { action: 'schedule', actor: by, department: key === COORDINATOR_KEY ? undefined : key, old: old ?? null, new: data.schedules[key] ?? null });
    }, ['schedules', 'history']);
  }

  holidayOverrides(): Record<string, HolidayOverride> {
    return this.ctx.data.holidays;
  }

  async setHoliday(date: string, type: 'work' | 'off' | null, note: string | undefined, by: AuditActor): Promise<void> {
    if (!isValidDate(date)) throw new StoreError(`日期「${date}」无效，应为 YYYY-MM-DD`);
    await this.ctx.mutate((data) => {
      const old = data.holidays[date];
      if (type === null) delete data.holidays[date];
      else data.holidays[date] = { type, note, at: this.ctx.nowIso(), by };
      this.ctx.audit(data, { action: 'holiday', actor: by, old: old?.type ?? null, new: type, note: `${date}${note ? ` ${note}` : ''}` });
    }, ['holidays', 'history']);
  }
}
