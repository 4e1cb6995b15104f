import * as OpenCC from 'opencc-js/t2cn';
import { WordFinder } from './word-finder.js';

/** Longest text we analyse; longer messages are cut (the reply still answers). */
export const MAX_ANALYSIS_CHARS = 300;

type Convert = (s: string) => string;
type Dict = string | ReadonlyArray<readonly [string, string]>;
let t2cn: Convert | undefined;
let changes: ConverterChanges | undefined;

function traditionalToSimplified(s: string): string {
  t2cn ??= (OpenCC as unknown as { Converter: (o: { from: string; to: string }) => Convert }).Converter({ from: 'tw', to: 'cn' });
  changes ??= converterChanges();
  // the converter walks its dictionaries' tries at every character (~7 µs a question); most questions hold nothing
  // it could change, which a scan of their characters and character pairs tells for a seventh of that
  return mayChange(s, changes) ? t2cn(s) : s;
}

/**
 * Where the tw → cn converter can change a text: the characters it maps to another and the first two characters of
 * its phrases (a text with neither is returned as it is by every stage). Read from the dictionaries it is made of.
 */
interface ConverterChanges {
  chars: Set<number>;
  pairs: Set<number>;
  /** The first characters of the pairs: a pair key is a heap number (beyond small integers), looked up only after this. */
  firsts: Set<number>;
}

function converterChanges(): ConverterChanges {
  const config = (OpenCC as unknown as { Locale: { configs: Record<string, { normalizationChain?: Dict[][]; conversionChain: Dict[][] }> } }).Locale
    .configs.tw2s;
  const chars = new Set<number>();
  const pairs = new Set<number>();
  const firsts = new Set<number>();
  const entry = (from: string, to: string) => {
    const first = from.codePointAt(0)!;
    const width = first > 0xffff ? 2 : 1;
    if (from.length === width) {
      if (to !== from) chars.add(first);
    } else {
      pairs.add(pairKey(first, from.codePointAt(width)!));
      firsts.add(first);
    }
  };
  for (const group of [...(config.normalizationChain ?? []), ...config.conversionChain]) {
    for (const dict of group) {
      if (typeof dict !== 'string') for (const [from, to] of dict) entry(from, to);
      else for (const item of dict.split('|')) if (item) entry(...(item.split(' ') as [string, string]));
    }
  }
  return { chars, pairs, firsts };
}

function pairKey(first: number, second: number): number {
  return first * 0x110000 + second;
}

function mayChange(s: string, { chars, pairs, firsts }: ConverterChanges): boolean {
  let previous = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (chars.has(c) || (previous >= 0 && firsts.has(previous) && pairs.has(pairKey(previous, c)))) return true;
    previous = c;
  }
  return false;
}

/**
 * Clean a user message for analysis: strip HTML/Markdown markup, control characters and emoji,
 * full-width → half-width (NFKC), traditional → simplified, lower case, fix known typos.
 */
export function normalize(input: string, typos: ReadonlyArray<[string, string]> = NO_TYPOS): string {
  const text = String(input ?? '');
  // One message is normalised several times on its way (the progress handlers' task-number test, then the
  // analysis): the last few results are kept, per typo table (tables are loaded once and never changed).
  let recent = recentByTable.get(typos);
  if (!recent) recentByTable.set(typos, (recent = new Map()));
  const hit = recent.get(text);
  if (hit !== undefined) return hit;
  const out = clean(text, typos);
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
  recent.set(text, out);
  return out;
}

const NO_TYPOS: ReadonlyArray<[string, string]> = [];
const typoFinders = new WeakMap<ReadonlyArray<[string, string]>, WordFinder>();

function typoFinder(typos: ReadonlyArray<[string, string]>): WordFinder {
  let finder = typoFinders.get(typos);
  if (!finder) typoFinders.set(typos, (finder = new WordFinder(typos.map(([wrong]) => wrong))));
  return finder;
}
const RECENT = 32;
const recentByTable = new WeakMap<ReadonlyArray<[string, string]>, Map<string, string>>();

function clean(input: string, typos: ReadonlyArray<[string, string]>): string {
  let s = input.slice(0, MAX_ANALYSIS_CHARS * 4);
  // most questions have no escape, markup or entity: a scan for its first character is cheaper than the pattern
  if (s.includes('\u001b')) s = s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ' ');
  if (s.includes('<')) s = s.replace(/<\s*(script|style)[^>]*>[\s\S]*?<\s*\/\s*\1\s*>/gi, ' ').replace(/<[^>]{0,200}>/g, ' ');
  if (s.includes('&')) s = s.replace(/&[a-z]+;|&#\d+;/gi, ' ');
  s = plainNfkc(s) ?? s.normalize('NFKC').replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, ' ').replace(/[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u20E3\uFE0F]/gu, ' ');
  // (a tilde between two numbers is a range, 46~48: read as 到 before markup is dropped)
  if (s.includes('~')) s = s.replace(/([0-9零〇一二两三四五六七八九十百])\s*~+\s*(?=[第0-9零〇一二两三四五六七八九十百])/gu, '$1到');
  s = s.replace(/[*_`~>|\\[\]{}=^$]/g, ' ');
  // OpenCC reads a lone 么 as the traditional variant of 幺 (在么 → 在幺); 麼 converts back to 么
  s = traditionalToSimplified(s.replace(/么/g, '麼')).toLowerCase();
  // a text with none of the misspellings is left as it is (one scan, not one per entry of the table)
  if (typoFinder(typos).someIn(s)) for (const [wrong, right] of typos) if (s.includes(wrong)) s = s.split(wrong).join(right);
  // spaces inside Chinese text carry no meaning ("调 解 员 培 训", "专家 库")
  if (/\s/.test(s)) s = s.replace(/\s+/g, ' ').replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1').trim();
  // no longer in code units than the limit in characters: nothing to cut (spread into characters only when it may be)
  return s.length <= MAX_ANALYSIS_CHARS ? s : [...s].slice(0, MAX_ANALYSIS_CHARS).join('');
}

/** The text's NFKC form (without ICU for a text of plain characters, see plainNfkc). */
export function nfkc(s: string): string {
  return plainNfkc(s) ?? s.normalize('NFKC');
}

/**
 * NFKC of a text made only of printable ASCII, CJK ideographs, common Chinese punctuation and full-width ASCII forms
 * (nearly every question), undefined for any other: NFKC maps each of these characters on its own (a full-width form
 * to its ASCII one) and composes none with a neighbour, and none is a control character or an emoji. Spares a pass
 * through ICU's tables and two scans by Unicode property, which a server answering other work meets cold each time.
 */
function plainNfkc(s: string): string | undefined {
  let wide = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) wide = true;
    else if (!((c >= 0x20 && c <= 0x7e) || (c >= 0x4e00 && c <= 0x9fff) || PLAIN_PUNCTUATION.has(c))) return undefined;
  }
  return wide ? s.replace(FULL_WIDTH, (ch) => (ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0))) : s;
}

/** 、。〈〉《》「」『』【】 — ‘’“” ·: their own NFKC form. */
const PLAIN_PUNCTUATION = new Set([0x3001, 0x3002, 0x3008, 0x3009, 0x300a, 0x300b, 0x300c, 0x300d, 0x300e, 0x300f, 0x3010, 0x3011, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0xb7]);
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/g;

/** A question's clauses: between commas, full stops, semicolons, question and exclamation marks, and spaces. */
export function clausesOf(text: string): string[] {
  return text.split(CLAUSE_BREAK);
}

/** A question's sentences: between full stops, semicolons, question and exclamation marks. */
export function sentencesOf(text: string): string[] {
  return text.split(SENTENCE_BREAK);
}

const CLAUSE_BREAK = /[，,。；;！!？?\s]+/u;
const SENTENCE_BREAK = /[。；;！!？?]+/u;

/** Character bigrams of the CJK/alphanumeric runs of a text. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\p{Script=Han}a-z0-9]+/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }
  return out;
}

/** 商(协)会 → "商会 协会", 协调员(师) → "协调员 协调师": the words a bracketed alternative stands for. */
export function bracketVariants(text: string): string {
  const out: string[] = [];
  for (const m of text.matchAll(/([\p{Script=Han}]{1,4})[(（]([\p{Script=Han}]{1,2})[)）]([\p{Script=Han}]?)/gu)) {
    const [, before, inner, after] = m;
    if (after) out.push(before + after, before.slice(0, -inner.length) + inner + after);
    else out.push(before, before.slice(0, -inner.length) + inner);
  }
  // single characters listed with 、 (老、孤、寡、残: the old, orphans, widows, the disabled) are also read run together (孤寡)
  for (const m of text.matchAll(/\p{Script=Han}(?:、\p{Script=Han}(?=、|[^\p{Script=Han}]|$)){1,}、\p{Script=Han}/gu)) out.push(m[0].replace(/、/g, ''));
  return out.join(' ');
}
