import { splitText } from '../../core/split.js';

/** Telegram's sendMessage limit: 4096 characters after entity parsing, counted in UTF-16 units. */
export const TELEGRAM_MAX_UNITS = 4096;
/** Chunk size for plain text before escaping (escaping does not change the parsed length). */
export const CHUNK_CHARS = 4000;

/** Escape text for parse_mode HTML: & first, then < and >. Quotes only matter inside attributes, escaped anyway. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Length as Telegram counts it (UTF-16 code units: a CJK character is 1, most emoji 2). */
export function utf16Length(text: string): number {
  return text.length;
}

/** Split plain text on line breaks into pieces Telegram accepts (≤ 4096 UTF-16 units each). */
export function splitForTelegram(text: string): string[] {
  const out: string[] = [];
  for (const chunk of splitText(text, { max: CHUNK_CHARS, measure: 'chars' })) {
    if (utf16Length(chunk) <= TELEGRAM_MAX_UNITS) out.push(chunk);
    // Astral characters (emoji) count twice: re-split at half size, which always fits.
    else out.push(...splitText(chunk, { max: TELEGRAM_MAX_UNITS / 2, measure: 'chars' }));
  }
  return out.filter((c) => c.trim().length > 0);
}

/**
 * One chunk of plain text → Telegram HTML. Everything is escaped; the only markup added is bold
 * for the 【…】 heading the core puts at the start of a line.
 */
export function chunkToHtml(chunk: string): string {
  return chunk
    .split('\n')
    .map((line) => {
      const m = /^(【[^【】\n]{1,40}】)(.*)$/.exec(line);
      return m ? `<b>${escapeHtml(m[1])}</b>${escapeHtml(m[2])}` : escapeHtml(line);
    })
    .join('\n');
}

/** Plain reply text → HTML messages, each under Telegram's limit, split on line breaks. */
export function toHtmlMessages(text: string): string[] {
  return splitForTelegram(text).map(chunkToHtml);
}
