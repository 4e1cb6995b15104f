import { Jieba } from '@node-rs/jieba';
import { jiebaFile } from './jieba-files.js';

let shared: Jieba | undefined;
const loadedWords = new Set<string>();

/** The one jieba instance (loading the dictionary takes ~200 ms), with extra domain words added. */
export function jieba(extraWords: Iterable<string> = []): Jieba {
  shared ??= Jieba.withDict(jiebaFile('dict.txt'));
  const fresh = [...extraWords].map((w) => w.trim()).filter((w) => w.length >= 2 && !/\s/.test(w) && !loadedWords.has(w));
  if (fresh.length) {
    for (const w of fresh) loadedWords.add(w);
    shared.loadDict(new TextEncoder().encode(fresh.map((w) => `${w} 2000 n`).join('\n') + '\n'));
  }
  return shared;
}

const WORD_RE = /[\p{Script=Han}a-z0-9]/u;

/** Search-mode segmentation (compounds plus their parts), punctuation dropped. */
export function segment(text: string): string[] {
  return jieba()
    .cutForSearch(text, true)
    .filter((w) => WORD_RE.test(w));
}
