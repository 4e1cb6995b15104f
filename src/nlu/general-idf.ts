import { idf } from '@node-rs/jieba/dict.js';

let table: Map<string, number> | undefined;

/**
 * Inverse document frequency of a word in general Chinese (jieba's idf.txt): ~5 for function words
 * (之前, 多少), ~8–10 for content words (公积金, 机票). Used to weigh question words the plan does not contain.
 */
export function generalIdf(word: string): number | undefined {
  if (!table) {
    table = new Map();
    const text = new TextDecoder().decode(idf);
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const space = text.indexOf(' ', start);
      if (space > start && space < end) table.set(text.slice(start, space), Number(text.slice(space + 1, end)));
      start = end + 1;
    }
  }
  return table.get(word);
}
