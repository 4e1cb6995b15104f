import * as OpenCC from 'opencc-js/t2cn';

/** Longest text we analyse; longer messages are cut (the reply still answers). */
export const MAX_ANALYSIS_CHARS = 300;

type Convert = (s: string) => string;
let t2cn: Convert | undefined;
function traditionalToSimplified(s: string): string {
  t2cn ??= (OpenCC as unknown as { Converter: (o: { from: string; to: string }) => Convert }).Converter({ from: 'tw', to: 'cn' });
  return t2cn(s);
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
const RECENT = 32;
const recentByTable = new WeakMap<ReadonlyArray<[string, string]>, Map<string, string>>();

function clean(input: string, typos: ReadonlyArray<[string, string]>): string {
  let s = input.slice(0, MAX_ANALYSIS_CHARS * 4);
  // most questions have no escape, markup or entity: a scan for its first character is cheaper than the pattern
  if (s.includes('\u001b')) s = s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ' ');
  if (s.includes('<')) s = s.replace(/<\s*(script|style)[^>]*>[\s\S]*?<\s*\/\s*\1\s*>/gi, ' ').replace(/<[^>]{0,200}>/g, ' ');
  if (s.includes('&')) s = s.replace(/&[a-z]+;|&#\d+;/gi, ' ');
  s = s.normalize('NFKC');
  s = s.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, ' ').replace(/[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u20E3\uFE0F]/gu, ' ');
  s = s.replace(/[*_`~>|\\[\]{}=^$]/g, ' ');
  // OpenCC reads a lone 么 as the traditional variant of 幺 (在么 → 在幺); 麼 converts back to 么
  s = traditionalToSimplified(s.replace(/么/g, '麼')).toLowerCase();
  for (const [wrong, right] of typos) if (s.includes(wrong)) s = s.split(wrong).join(right);
  // spaces inside Chinese text carry no meaning ("调 解 员 培 训", "专家 库")
  if (/\s/.test(s)) s = s.replace(/\s+/g, ' ').replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1').trim();
  // no longer in code units than the limit in characters: nothing to cut (spread into characters only when it may be)
  return s.length <= MAX_ANALYSIS_CHARS ? s : [...s].slice(0, MAX_ANALYSIS_CHARS).join('');
}

/** Character bigrams of the CJK/alphanumeric runs of a text. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\p{Script=Han}a-z0-9]+/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }
  return out;
}
