import { jiebaFile } from './jieba-files.js';

/** Words at or above this general idf count as fully informative; only commoner words are kept. */
export const INFORMATIVE_IDF = 8.5;

let table: Map<string, number> | undefined;
const NEWLINE = 0x0a;
const SPACE = 0x20;

/**
 * Inverse document frequency of a word in general Chinese (jieba's idf.txt): ~5 for function words
 * (之前, 多少), ~8–10 for content words (公积金, 机票). Used to weigh question words the plan does not contain.
 * Only the ~14k common words are kept in memory; any other word returns undefined (= informative).
 */
export function generalIdf(word: string): number | undefined {
  if (!table) {
    table = new Map();
    // Read as bytes, decoding only the words kept: the whole file as one string would be ~7 MB of heap at start-up.
    // (No byte of a multi-byte UTF-8 character is a space or a line break, so the lines split the same.)
    const bytes = jiebaFile('idf.txt');
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end < 0) end = bytes.length;
      const space = bytes.indexOf(SPACE, start);
      if (space > start && space < end) {
        const value = Number(bytes.toString('latin1', space + 1, end));
        if (value < INFORMATIVE_IDF) table.set(bytes.toString('utf8', start, space), value);
      }
      start = end + 1;
    }
  }
  return table.get(word);
}
