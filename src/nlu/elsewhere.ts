/**
 * What is asked of elsewhere, which no plan answers with its tasks however near their words: another document than the
 * plan; another place's work in a plan of one place, or how another place does the work in any plan. engine.ts declines
 * them before anything is ranked, and the reply says which (handlers/help.ts).
 */
import { bigrams } from './normalize.js';
import { cut } from './tokenize.js';

/** A named document is the plan itself when this share of its name's bigrams are the title's (《关于推进…的实施意见》). */
const TITLE_SHARE = 0.5;
/** The shortest tail of a document's name the plan's words must hold for the plan to be citing it (劳动合同法 of 依照劳动合同法). */
const CITED_TAIL = 4;

/**
 * Another document than the plan, asked about (劳动合同法第四十条是啥内容, 国务院关于…的若干意见里讲了啥): a plan answers for
 * its own tasks only, and 第四十条 there is no task 40. Not the plan itself by its title, nor a document the plan's own
 * text names (its tasks may be about that law).
 */
export class OtherDocuments {
  private readonly titleBigrams: Set<string>;

  constructor(
    /** out-of-scope.json documents: the name in its first, second or third group. */
    private readonly pattern: RegExp | undefined,
    /** The plan's text, titles and unit names, lower case. */
    private readonly planWords: string,
    title: string,
    /** Words said before a name that are not part of it (请问, 我想问下). */
    private readonly stopwords: ReadonlySet<string>,
  ) {
    this.titleBigrams = new Set(bigrams(title));
  }

  /** The name of another document the question asks about, if it does. */
  named(normalized: string): string | undefined {
    if (!this.pattern) return undefined;
    for (const m of normalized.matchAll(this.pattern)) {
      const name = m[1] ?? m[2] ?? m[3];
      if (name && !this.isPlan(name) && !this.cited(name)) return this.withoutAsking(name);
    }
    return undefined;
  }

  /** The name without the words of asking the pattern read before it (请问劳动合同法 → 劳动合同法). */
  private withoutAsking(name: string): string {
    const words = cut(name);
    let first = 0;
    while (first < words.length - 1 && this.stopwords.has(words[first])) first++;
    return words.slice(first).join('');
  }

  private isPlan(name: string): boolean {
    const own = bigrams(name);
    return own.length > 0 && own.filter((b) => this.titleBigrams.has(b)).length / own.length >= TITLE_SHARE;
  }

  /** A tail of the name (the pattern reads leftmost: 请问劳动合同法) the plan's words hold. */
  private cited(name: string): boolean {
    for (let len = CITED_TAIL; len <= name.length; len++) if (this.planWords.includes(name.slice(-len))) return true;
    return name.length < CITED_TAIL && this.planWords.includes(name);
  }
}

/**
 * Another place's work asked about (深圳那边的孔雀计划, 深圳的幸福社区), the plan's own place not said — not someone or
 * something from, to or of there (从香港挖人, 去香港学习, 老家湖南的). The place is its first group.
 */
export function otherPlacePattern(others: string[], own: string[]): RegExp {
  const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const notOwn = own.length ? `(?!.*(?:${own.map(escape).join('|')}))` : '';
  return new RegExp(`^${notOwn}(?:.*[^去到来从在家])?(${others.map(escape).join('|')})(?:(?:那边|那里|那儿)的?|的)`, 'u');
}
