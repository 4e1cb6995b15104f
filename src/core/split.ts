import type { SizeLimit } from './types.js';

const encoder = new TextEncoder();

export function measure(text: string, how: SizeLimit['measure']): number {
  return how === 'bytes' ? encoder.encode(text).length : [...text].length;
}

/**
 * Split text into chunks within a size limit, breaking on line breaks where possible
 * and inside a line only when one line alone is too long (never inside a character).
 */
export function splitText(text: string, limit: SizeLimit): string[] {
  if (measure(text, limit.measure) <= limit.max) return [text];
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current) chunks.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (measure(candidate, limit.measure) <= limit.max) {
      current = candidate;
      continue;
    }
    flush();
    if (measure(line, limit.measure) <= limit.max) {
      current = line;
      continue;
    }
    let piece = '';
    for (const ch of line) {
      if (measure(piece + ch, limit.measure) > limit.max) {
        chunks.push(piece);
        piece = '';
      }
      piece += ch;
    }
    current = piece;
  }
  flush();
  return chunks;
}
