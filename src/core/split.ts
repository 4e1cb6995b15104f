import type { SizeLimit } from './types.js';

/** Size in UTF-8 bytes (a lone surrogate counts 3, as TextEncoder writes U+FFFD) or in characters. */
export function measure(text: string, how: SizeLimit['measure']): number {
  // byteLength counts without encoding: no buffer per line (or per character, for a line too long)
  return how === 'bytes' ? Buffer.byteLength(text, 'utf8') : [...text].length;
}

/**
 * Split text into chunks within a size limit, breaking on line breaks where possible
 * and inside a line only when one line alone is too long (never inside a character).
 * Sizes are added up line by line, so a long list costs one pass over the text.
 */
export function splitText(text: string, limit: SizeLimit): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length) chunks.push(current.join('\n'));
    current = [];
    size = 0;
  };
  for (const line of text.split('\n')) {
    const lineSize = measure(line, limit.measure);
    const added = current.length ? size + 1 + lineSize : lineSize;
    if (added <= limit.max) {
      current.push(line);
      size = added;
      continue;
    }
    flush();
    if (lineSize <= limit.max) {
      current.push(line);
      size = lineSize;
      continue;
    }
    let piece = '';
    let pieceSize = 0;
    for (const ch of line) {
      const chSize = measure(ch, limit.measure);
      if (pieceSize + chSize > limit.max) {
        chunks.push(piece);
        piece = '';
        pieceSize = 0;
      }
      piece += ch;
      pieceSize += chSize;
    }
    current.push(piece);
    size = pieceSize;
  }
  flush();
  return chunks.length ? chunks : [''];
}
