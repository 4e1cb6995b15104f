/**
 * Log lines for a person at a terminal: 「10:02:03 信息 已连接 Telegram  username=duban_bot」 instead of pino's JSON.
 * Used only when stdout is a terminal (or LOG_FORMAT=pretty); files, pipes and LOG_FORMAT=json get JSON.
 */
const LEVELS: Record<number, string> = { 10: '跟踪', 20: '调试', 30: '信息', 40: '警告', 50: '错误', 60: '致命' };
const COLOURS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };
const RESET = '\x1b[0m';

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One JSON log record → one readable line (plus an error's stack on the lines after it). */
export function prettyLine(json: string, colour = false): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const { level, time, msg, err, ...fields } = rec as { level: number; time: number; msg?: string; err?: { message?: string; stack?: string } };
  const label = LEVELS[level] ?? String(level);
  const head = `${clock(time ?? Date.now())} ${colour && COLOURS[level] ? `${COLOURS[level]}${label}${RESET}` : label}`;
  // A text of several lines (a reminder on the console channel) is shown as it reads, below the line.
  const long = Object.entries(fields).filter(([, v]) => typeof v === 'string' && v.includes('\n'));
  const extra = Object.entries(fields).filter(([k]) => !long.some(([l]) => l === k)).map(([k, v]) => `${k}=${value(v)}`);
  const lines = [[head, msg ?? '', ...(extra.length ? [` ${extra.join(' ')}`] : [])].filter(Boolean).join(' ')];
  for (const [, v] of long) lines.push(`  ${(v as string).replace(/\n/g, '\n  ')}`);
  if (err) lines.push(`  ${err.stack ?? err.message ?? JSON.stringify(err)}`.replace(/\n/g, '\n  '));
  return lines.join('\n');
}

/** A pino destination writing readable lines to a stream. */
export function prettyDestination(out: NodeJS.WritableStream & { isTTY?: boolean }) {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) out.write(`${prettyLine(line, out.isTTY === true)}\n`);
    },
  };
}
