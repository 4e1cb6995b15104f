import { jiebaFile } from './jieba-files.js';

/** Words at or above this general idf count as fully informative; only commoner words are kept. */
export const INFORMATIVE_IDF = 8.5;

let table: Map<string, number> | undefined;

/**
 * Inverse document frequency of a word in general Chinese (jieba's idf.txt): ~5 for function words
 * (之前, 多少), ~8–10 for content words (公积金, 机票). Used to weigh question words the plan does not contain.
 * Only the ~14k common words are kept in memory; any other word returns undefined (= informative).
 */
export function generalIdf(word: string): number | undefined {
  if (!table) {
    table = new Map();
    const text = jiebaFile('idf.txt').toString('utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const space = text.indexOf(' ', start);
      if (space > start && space < end) {
        const value = Number(text.slice(space + 1, end));
        if (value < INFORMATIVE_IDF) table.set(text.slice(start, space), value);
      }
      start = end + 1;
    }
  }
  return table.get(word);
}
