import { addDays } from '../reminders/time.js';
import { isValidDate } from '../state/store.js';

// Calendar-date arithmetic is shared with the reminders.
export { addDays, dateKey } from '../reminders/time.js';

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string): Intl.DateTimeFormat {
  let f = fmtCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    fmtCache.set(timeZone, f);
  }
  return f;
}

/** "YYYY-MM-DD HH:mm" of an ISO instant in a time zone. */
export function localTime(iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = Object.fromEntries(fmt(timeZone).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Monday of the ISO week containing the date key. */
export function weekStart(key: string): string {
  const d = new Date(`${key}T00:00:00Z`);
  const wd = (d.getUTCDay() + 6) % 7;
  return addDays(key, -wd);
}

/**
 * A date as people type it in a spreadsheet: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日.
 * Returns YYYY-MM-DD, or undefined when it is not a real calendar date.
 */
export function normalizeDate(input: string): string | undefined {
  const s = input.trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (!m) return undefined;
  const key = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isValidDate(key) ? key : undefined;
}

/** Excel serial day number (1900 date system) → YYYY-MM-DD. */
export function excelSerialToDate(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 1 || n > 2958465) return undefined;
  const ms = Math.round((n - 25569) * 86400_000);
  return new Date(ms).toISOString().slice(0, 10);
}
