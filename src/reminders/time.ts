/** Date helpers in a configured IANA zone. Date keys are YYYY-MM-DD strings in that zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function fmt(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface ZonedParts {
  date: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

export function zoned(d: Date, timeZone: string): ZonedParts {
  const p: Record<string, string> = {};
  for (const part of fmt(timeZone).formatToParts(d)) p[part.type] = part.value;
  const year = Number(p.year);
  const month = Number(p.month);
  const day = Number(p.day);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    year,
    month,
    day,
    hour: Number(p.hour),
    minute: Number(p.minute),
    weekday: WEEKDAYS[p.weekday],
  };
}

const keyMemo = new Map<string, string>();

/** YYYY-MM-DD of an instant in the zone (never the server's local date). */
export function dateKey(d: Date, timeZone: string): string {
  // Every zone's offset is a multiple of 15 minutes: instants in the same UTC quarter hour share a local date.
  const memo = `${timeZone}|${Math.floor(d.getTime() / 900_000)}`;
  let key = keyMemo.get(memo);
  if (key === undefined) {
    key = zoned(d, timeZone).date;
    if (keyMemo.size > 50_000) keyMemo.clear();
    keyMemo.set(memo, key);
  }
  return key;
}

export function addDays(key: string, n: number): string {
  const d = new Date(`${key}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const dayNumbers = new Map<string, number>();
function dayNumber(key: string): number {
  let n = dayNumbers.get(key);
  if (n === undefined) {
    n = Math.round(Date.parse(`${key}T00:00:00Z`) / 86_400_000);
    if (dayNumbers.size > 50_000) dayNumbers.clear();
    dayNumbers.set(key, n);
  }
  return n;
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

export function weekdayOf(key: string): number {
  const w = new Date(`${key}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/** ISO week of a date key: "2026-W49". */
export function isoWeek(key: string): string {
  const d = new Date(`${key}T00:00:00Z`);
  const wd = weekdayOf(key);
  d.setUTCDate(d.getUTCDate() + 4 - wd);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** "12月7日" */
export function shortDate(key: string): string {
  return `${Number(key.slice(5, 7))}月${Number(key.slice(8, 10))}日`;
}

export const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** 周一 / 星期一 / 礼拜一 / mon / 1 → 1 … 7. */
export function parseWeekday(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  const m = /^(?:周|星期|礼拜)([一二三四五六日天1-7])$/.exec(t);
  const map: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
  if (m) return map[m[1]] ?? Number(m[1]);
  const en = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].findIndex((x) => t.startsWith(x));
  if (en >= 0) return en + 1;
  if (/^[1-7]$/.test(t)) return Number(t);
  return undefined;
}

/** "09:10" / "9:10" / "9点10" → "09:10". */
export function parseTime(text: string): string | undefined {
  const m = /^(\d{1,2})(?:[:：点时](\d{1,2})?分?)$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
