import type { Lexicon } from './lexicon.js';
import { bigrams } from './normalize.js';
import { cut, isWord, segment } from './tokenize.js';
import { charGrams } from './bm25f.js';
import { generalIdf } from './general-idf.js';
import type { QueryTerms } from './search.js';

type Group = QueryTerms['groups'][number];

/**
 * What a question's words are, for the ranking (search.ts): its content terms with the plan words they may stand
 * for, their bigrams, its verbatim phrases and its character n-grams. Each step is a small method: V8 compiles
 * small functions once and cheaply, one large one took ~100 ms per (re)compilation on a fresh server.
 */
export class QueryReader {
  /** Stop words the segmenter cuts apart (帮我 → 帮 / 我, 那部分 → 那 / 部分): removed whole before segmenting. */
  private readonly stopPhrases: string[];
  /** Synonym keys of 2+ code units by their first character, each with its place in the lexicon's order. */
  private readonly synonymKeysByFirst = new Map<number, Array<{ key: string; at: number }>>();
  /** The plan's words of four or more characters by their first code unit, in the vocabulary's order (for short forms). */
  private readonly longWords = new Map<string, string[]>();
  /** Runs of two or three consecutive plan words (三级 甲等), by their first character (for short forms). */
  private readonly wordRuns: Map<string, string[][]>;
  /** The plan's own places, each with where it is said and the two characters on either side. */
  private readonly ownPlaces: Array<{ place: string; said: RegExp }>;
  private readonly planText: string;

  constructor(
    private readonly lexicon: Lexicon,
    /** The plan's words. */
    private readonly vocabulary: ReadonlySet<string>,
    /** The plan knows a term: as a word, through a synonym, or character by character. */
    private readonly known: (g: Group) => boolean,
    /** The words of each task's text, in order. */
    taskWords: string[][] = [],
    /** The plan's own place (广州 of a Guangzhou plan) and its text: where the place is said, it is no topic. */
    ownPlace: { places: string[]; planText: string } = { places: [], planText: '' },
  ) {
    this.planText = ownPlace.planText;
    this.ownPlaces = ownPlace.places.map((place) => ({ place, said: new RegExp(`(?<=(.{0,2}))${place}(?=(.{0,2}))`, 'gu') }));
    this.wordRuns = wordRuns(taskWords, lexicon.stopwords);
    this.stopPhrases = [...lexicon.stopwords].filter((w) => [...w].length >= 2 && !isWord(w)).sort((a, b) => b.length - a.length);
    for (const w of vocabulary) {
      if ([...w].length < 4 || !/^\p{Script=Han}+$/u.test(w)) continue;
      const list = this.longWords.get(w[0]);
      if (list) list.push(w);
      else this.longWords.set(w[0], [w]);
    }
    let at = 0;
    for (const key of lexicon.synonyms.keys()) {
      if (key.length < 2) continue;
      const list = this.synonymKeysByFirst.get(key.codePointAt(0)!);
      if (list) list.push({ key, at });
      else this.synonymKeysByFirst.set(key.codePointAt(0)!, [{ key, at }]);
      at++;
    }
  }

  /** Content terms of an (already normalised, departments removed) question, with synonym expansion. */
  terms(text: string): QueryTerms {
    text = this.withoutNonContent(text);
    const groups = this.groupsOf(text);
    this.addShortForms(groups);
    this.dropRedundant(groups);
    return { groups, bigrams: termBigrams(groups), phrases: this.phrasesOf(text), grams: this.contentGrams(text) };
  }

  private withoutNonContent(text: string): string {
    text = this.withoutOwnPlace(text);
    // A-not-A questions (能不能, 要不要, 有没有) ask yes or no; their pieces (不能, 不要) are not content.
    text = text.replace(/([\p{Script=Han}])[不没]\1/gu, ' ');
    // a stop word cut apart would leave pieces that read as content (帮 of 帮我 is a synonym of 帮助)
    for (let i = 0; i < this.stopPhrases.length; i++) if (text.includes(this.stopPhrases[i])) text = text.split(this.stopPhrases[i]).join(' ');
    return text;
  }

  /**
   * The plan's own place says where, not what (来广州打工的党员 of a Guangzhou plan): dropped — unless the plan says it
   * with what is said beside it, a name of its own (广州教育城, 赢在广州).
   */
  private withoutOwnPlace(text: string): string {
    const { planText } = this;
    for (const { place, said } of this.ownPlaces) {
      if (!text.includes(place)) continue;
      text = text.replace(said, (name, before: string, after: string) =>
        (before.length === 2 && planText.includes(before + name)) || (after.length === 2 && planText.includes(name + after)) ? name : ' ',
      );
    }
    return text;
  }

  /** Each content token once, with the plan words its synonyms stand for. */
  private groupsOf(text: string): Group[] {
    const { synonyms, stopwords } = this.lexicon;
    const tokens = [...segment(text)];
    // Colloquial phrases the segmenter may split (拖欠工资 → 拖欠 / 工资) are matched on the raw text too.
    for (const key of this.synonymKeysIn(text)) if (!tokens.includes(key)) tokens.push(key);
    const groups: Group[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i];
      // (a lexicon word is meant as said, though each of its characters alone says nothing: 说和)
      if (seen.has(tok) || stopwords.has(tok) || (everyChar(tok, stopwords) && !synonyms.has(tok))) continue;
      if (charCount(tok) < 2 && !synonyms.has(tok)) continue;
      seen.add(tok);
      groups.push({ term: tok, alternatives: this.alternativesOf(tok) });
    }
    return groups;
  }

  private alternativesOf(tok: string): string[] {
    const alternatives: string[] = [];
    const syns = this.lexicon.synonyms.get(tok);
    if (!syns) return alternatives;
    for (let s = 0; s < syns.length; s++) {
      const syn = syns[s].toLowerCase();
      this.addAlternative(alternatives, tok, syn);
      const pieces = segment(syn);
      for (let p = 0; p < pieces.length; p++) this.addAlternative(alternatives, tok, pieces[p]);
    }
    return alternatives;
  }

  private addAlternative(alternatives: string[], tok: string, w: string): void {
    if (!alternatives.includes(w) && w !== tok && charCount(w) >= 2 && this.vocabulary.has(w)) alternatives.push(w);
  }

  /**
   * A short form the plan does not use (杰青 for 杰出青年, 住保 for 住房保障): the plan's longer words that keep its
   * characters in order, starting with its first, when only a few do.
   */
  private addShortForms(groups: Group[]): void {
    for (const g of groups) {
      const n = charCount(g.term);
      if (n < 2 || n > 3 || this.known(g) || !/^\p{Script=Han}+$/u.test(g.term)) continue;
      const long = (this.longWords.get(g.term[0]) ?? []).filter((w) => isSubsequence(g.term, w));
      if (long.length && long.length <= 3) g.alternatives.push(...long);
      // a word common in general Chinese (别人, 目标) is that word, not a short form
      else if (!long.length && generalIdf(g.term) === undefined) this.addRunShortForm(g, n);
    }
  }

  /** A short form taking one character from each word of a run of plan words (三甲 for 三级 甲等): that run's words. */
  private addRunShortForm(g: Group, n: number): void {
    const found: string[][] = [];
    for (const words of this.wordRuns.get(g.term[0]) ?? []) {
      if (words.length !== n) continue;
      if (words.every((w, i) => w.includes(g.term[i]))) found.push(words);
      if (found.length > 3) return;
    }
    if (found.length) for (const words of found) for (const w of words) if (!g.alternatives.includes(w)) g.alternatives.push(w);
  }

  private dropRedundant(groups: Group[]): void {
    // A compound the plan does not know whose parts are also terms (吵起来 = 吵起 + 起来) adds nothing: the parts carry it.
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i];
      if (this.known(g) || charCount(g.term) < 3) continue;
      if (groups.some((o) => o !== g && o.term.length < g.term.length && g.term.includes(o.term))) groups.splice(i, 1);
    }
    // Unknown pieces of a longer term the plan knows (评先 / 先进 of 评先进 → 评选表彰) add nothing but noise.
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i];
      if (this.known(g)) continue;
      if (groups.some((o) => o !== g && o.term.length > g.term.length && o.term.includes(g.term) && this.known(o))) groups.splice(i, 1);
    }
  }

  /** Runs of the question between stop words (3+ characters, cut at 24: the phrase signal is for short questions). */
  private phrasesOf(text: string): string[] {
    const stopwords = this.lexicon.stopwords;
    const phrases: string[] = [];
    let run = '';
    const tokens = segment(text);
    for (let i = 0; i < tokens.length; i++) {
      if (stopwords.has(tokens[i])) {
        if (charCount(run) >= 3) phrases.push(run.slice(0, 24));
        run = '';
      } else run += tokens[i];
    }
    if (charCount(run) >= 3) phrases.push(run.slice(0, 24));
    return phrases;
  }

  /**
   * Character n-grams of the question without its stop words, pieces kept apart so that no n-gram spans a dropped word.
   * The words asking for a unit (哪个部门) are no content either: a task that happens to say 部门 is not nearer.
   */
  private contentGrams(text: string): string[] {
    const stopwords = this.lexicon.stopwords;
    let content = text;
    for (const p of this.lexicon.forms.unitAsked) content = content.replace(p, ' ');
    const words = cut(content);
    let grams = '';
    for (let i = 0; i < words.length; i++) grams += stopwords.has(words[i]) ? ' ' : words[i];
    return [...new Set(charGrams(grams))];
  }

  /**
   * The synonym keys (2+ code units) found in a text, in the lexicon's order: only keys starting with one of the
   * text's characters are tried, not every key of the lexicon on every question.
   */
  private synonymKeysIn(text: string): string[] {
    const found: Array<{ key: string; at: number }> = [];
    const tried = new Set<number>();
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (tried.has(code)) continue;
      tried.add(code);
      for (const k of this.synonymKeysByFirst.get(code) ?? []) if (text.includes(k.key)) found.push(k);
    }
    return found.sort((a, b) => a.at - b.at).map((k) => k.key);
  }
}

/** Character bigrams of the terms and their alternatives, each once, in order of first appearance. */
function termBigrams(groups: Group[]): string[] {
  const bg = new Set<string>();
  for (const g of groups) {
    for (const b of bigrams(g.term)) bg.add(b);
    for (const a of g.alternatives) for (const b of bigrams(a)) bg.add(b);
  }
  return [...bg];
}

/** Characters (code points) of a text, counted without making an array of them. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Is every character of the text one of the words (a stop word of one character)? */
function everyChar(text: string, words: ReadonlySet<string>): boolean {
  for (const ch of text) if (!words.has(ch)) return false;
  return true;
}

/** Are the characters of `short` found in `long` in the same order? */
function isSubsequence(short: string, long: string): boolean {
  let at = 0;
  for (const ch of short) {
    at = long.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * Runs of two or three consecutive words of the plan (三级 甲等, 刑满 释放), each of two or more characters: what a short
 * form of one character per word (三甲, 刑释) stands for. By their first character, each run once.
 */
function wordRuns(tasks: string[][], stopwords: ReadonlySet<string>): Map<string, string[][]> {
  const runs = new Map<string, string[][]>();
  const seen = new Set<string>();
  const ok = (w: string) => /^\p{Script=Han}{2,}$/u.test(w) && !stopwords.has(w);
  for (const words of tasks) {
    for (let i = 0; i < words.length; i++) {
      for (let n = 2; n <= 3 && i + n <= words.length; n++) {
        const run = words.slice(i, i + n);
        if (!run.every(ok)) break;
        const key = run.join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        const list = runs.get(run[0][0]);
        if (list) list.push(run);
        else runs.set(run[0][0], [run]);
      }
    }
  }
  return runs;
}
