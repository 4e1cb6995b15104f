import { Jieba } from '@node-rs/jieba';
import { jiebaFile } from './jieba-files.js';

let shared: Jieba | undefined;
const loadedWords = new Set<string>();

/** The one jieba instance (loading the dictionary takes ~200 ms), with extra domain words added. */
export function jieba(extraWords?: Iterable<string>): Jieba {
  shared ??= Jieba.withDict(jiebaFile('dict.txt'));
  if (!extraWords) return shared;
  const fresh = [...extraWords].map((w) => w.trim()).filter((w) => w.length >= 2 && !/\s/.test(w) && !loadedWords.has(w));
  if (fresh.length) {
    memo.clear(); // new words cut differently
    recentCuts.clear();
    wholeWords.clear();
    for (const w of fresh) loadedWords.add(w);
    shared.loadDict(new TextEncoder().encode(fresh.map((w) => `${w} 2000 n`).join('\n') + '\n'));
  }
  return shared;
}

const WORD_RE = /[\p{Script=Han}a-z0-9]/u;

/** Recent segmentations: one question is segmented several times, and lexicon words on every question. */
const memo = new Map<string, string[]>();
const MEMO_SIZE = 20_000;
const wholeWords = new Map<string, boolean>();

/** Search-mode segmentation (compounds plus their parts), punctuation dropped. Callers must not mutate the result. */
export function segment(text: string): string[] {
  let out = memo.get(text);
  if (!out) {
    out = jieba()
      .cutForSearch(text, true)
      .filter((w) => WORD_RE.test(w));
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(text, out);
  }
  return out;
}

/**
 * Precise-mode segmentation without HMM (jieba's `cut(text, false)`), punctuation kept. The same text is often cut
 * twice for one question (the question as typed, then its terms when it names no unit): the last few cuts are kept.
 * Callers must not mutate the result.
 */
export function cut(text: string): string[] {
  let out = recentCuts.get(text);
  if (!out) {
    out = jieba().cut(text, false);
    if (recentCuts.size >= RECENT_CUTS) recentCuts.delete(recentCuts.keys().next().value!);
    recentCuts.set(text, out);
  }
  return out;
}

/** Cuts kept (the texts of the last few questions: one question is cut at most a handful of times). */
const RECENT_CUTS = 16;
const recentCuts = new Map<string, string[]>();

/** A word of the dictionary or a domain word: jieba keeps it whole without guessing new words (跟公 is a guess). */
export function isWord(text: string): boolean {
  let is = wholeWords.get(text);
  if (is === undefined) {
    is = jieba().cut(text, false).length === 1;
    if (wholeWords.size >= MEMO_SIZE) wholeWords.clear();
    wholeWords.set(text, is);
  }
  return is;
}
