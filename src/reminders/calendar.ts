import { readFileSync } from 'node:fs';
import chineseDays from 'chinese-days';
import type { HolidayOverride } from '../state/types.js';
import { dateKey, weekdayOf } from './time.js';

// chinese-days is CommonJS without an exports map: named ESM imports fail at runtime.
const { isWorkday: cdIsWorkday, getDayDetail } = chineseDays;

/** data/holidays.json: dates an administrator adds or overrides, for years the package doesn't cover. */
export interface HolidayFile {
  version?: number;
  /** Years the administrator has entered in full (so they count as covered). */
  coveredYears?: number[];
  days: Record<string, 'work' | 'off' | { type: 'work' | 'off'; note?: string }>;
}

export function readHolidayFile(file: string): HolidayFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { days: {} };
    throw new Error(`节假日文件 ${file} 无法读取：${(err as Error).message}`);
  }
  const f = parsed as HolidayFile;
  if (!f || typeof f !== 'object' || typeof f.days !== 'object' || f.days === null) {
    throw new Error(`节假日文件 ${file} 格式错误：需要 {"days": {"YYYY-MM-DD": "work"|"off"}}`);
  }
  for (const [d, v] of Object.entries(f.days)) {
    const type = typeof v === 'string' ? v : v?.type;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || (type !== 'work' && type !== 'off')) {
      throw new Error(`节假日文件 ${file} 中「${d}」无效：日期应为 YYYY-MM-DD，值应为 "work" 或 "off"`);
    }
  }
  return f;
}

export interface DayInfo {
  date: string;
  work: boolean;
  source: 'store' | 'file' | 'chinese-days' | 'weekday';
  name?: string;
  /** The year's official schedule is known (package data, or an administrator entered it). */
  covered: boolean;
}

/**
 * Chinese workdays: store overrides (set from chat or the dashboard), then data/holidays.json,
 * then chinese-days (with 调休), and plain Mon–Fri for years nobody covers.
 */
export class WorkdayCalendar {
  private readonly coveredCache = new Map<number, boolean>();

  constructor(
    readonly timeZone: string,
    private readonly file: HolidayFile = { days: {} },
    private readonly storeOverrides: () => Record<string, HolidayOverride> = () => ({}),
  ) {}

  dateKey(d: Date): string {
    return dateKey(d, this.timeZone);
  }

  isCovered(year: number): boolean {
    if (this.file.coveredYears?.includes(year)) return true;
    let c = this.coveredCache.get(year);
    if (c === undefined) {
      // 元旦 is a holiday every year: the package names it only when it has that year's data.
      c = /,/.test(getDayDetail(`${year}-01-01`).name);
      this.coveredCache.set(year, c);
    }
    return c;
  }

  day(key: string): DayInfo {
    const covered = this.isCovered(Number(key.slice(0, 4)));
    const o = this.storeOverrides()[key];
    if (o) return { date: key, work: o.type === 'work', source: 'store', name: o.note, covered };
    const f = this.file.days[key];
    if (f) {
      const type = typeof f === 'string' ? f : f.type;
      return { date: key, work: type === 'work', source: 'file', name: typeof f === 'string' ? undefined : f.note, covered };
    }
    if (covered) {
      const detail = getDayDetail(key);
      const name = detail.name.includes(',') ? detail.name.split(',')[1] : undefined;
      return { date: key, work: cdIsWorkday(key), source: 'chinese-days', name, covered };
    }
    return { date: key, work: weekdayOf(key) <= 5, source: 'weekday', covered };
  }

  /** Pass a YYYY-MM-DD key (computed in the reminder zone) or an instant. */
  isWorkday(date: string | Date): boolean {
    return this.day(typeof date === 'string' ? date : this.dateKey(date)).work;
  }
}
