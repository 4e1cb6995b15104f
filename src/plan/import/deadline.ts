import type { Deadline } from '../types.js';

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 1: 1, 2: 2, 3: 3, 4: 4 };

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Every date a piece of deadline text names, as the last day it means (2026年6月底前 → 2026-06-30). */
function datesIn(text: string): string[] {
  const out: string[] = [];
  const re = /(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|\s*(上半年|下半年|年底|年末|底|末)|\s*第?([一二三四1-4])\s*季度)?/g;
  for (const m of text.matchAll(re)) {
    const y = Number(m[1]);
    if (m[2]) {
      const month = Number(m[2]);
      if (month < 1 || month > 12) continue;
      const day = m[3] ? Number(m[3]) : lastDay(y, month);
      if (day >= 1 && day <= lastDay(y, month)) out.push(iso(y, month, day));
    } else if (m[4] === '上半年') out.push(iso(y, 6, 30));
    else if (m[5]) {
      const q = CN_DIGITS[m[5]];
      out.push(iso(y, q * 3, lastDay(y, q * 3)));
    } else out.push(iso(y, 12, 31));
  }
  // 「2024—2026年」: the range ends with its last year.
  for (const m of text.matchAll(/(\d{4})\s*[-—–~～至到]\s*(\d{4})\s*年/g)) out.push(iso(Number(m[2]), 12, 31));
  return out;
}

/**
 * A 完成时限 cell: the words as printed, and the latest day they name (「2025年启动，2026年6月底前完成」 →
 * 2026-06-30). Text naming no date (「长期坚持」「每年」「持续推进」) is kept as text only.
 */
export function readDeadline(cell: string): Deadline | undefined {
  const text = cell.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const dates = datesIn(text.normalize('NFKC')).sort();
  return dates.length ? { text, date: dates.at(-1) } : { text };
}
