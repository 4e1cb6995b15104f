import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from '../plan/load.js';
import { generalIdf } from './general-idf.js';
import { TextIndex } from './text-index.js';

/** At most this many reading combinations per word (polyphonic characters multiply them). */
const MAX_KEYS = 8;
/** Plan words commoner than this in general Chinese (jieba idf) are not correction targets. */
const MIN_TARGET_IDF = 7;

/** Pieces whose answer is kept (forgotten all at once when full). */
const SEEN_PIECES = 20_000;
const HAN_ONLY = /^\p{Script=Han}+$/u;
/**
 * Particles that end or open a phrase, the copula 是, the interrogative 哪 and the 点 of "a little" (上点课, 学点):
 * never the edge of a misheard plan word (这事是 is not 这适时, 去哪 not 区内, 上点 not 商店).
 */
const PARTICLES = new Set([...'的了着过吗呢吧啊呀嘛地得是哪点']);

/**
 * Toneless readings of the common characters (data/lexicon/pinyin.json, generated): every reading, and the usual
 * one (the first of the bar-separated groups), which is how a question's character was typed.
 */
export class PinyinReadings {
  private readonly readings = new Map<string, string[]>();
  private readonly usual = new Map<string, string>();

  constructor(file = path.join(DATA_ROOT, 'lexicon', 'pinyin.json')) {
    const table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    for (const [reading, chars] of Object.entries(table)) {
      if (reading.startsWith('_')) continue;
      const [usual, also = ''] = chars.split('|');
      for (const ch of usual) this.usual.set(ch, reading);
      for (const ch of usual + also) {
        const list = this.readings.get(ch);
        if (list) list.push(reading);
        else this.readings.set(ch, [reading]);
      }
    }
  }

  /** Every reading of a word ("zhong cai"), at most MAX_KEYS; [] when a character is unknown. */
  keys(word: string): string[] {
    let out = [''];
    for (const ch of word) {
      const rs = this.readings.get(ch);
      if (!rs) return [];
      const next: string[] = [];
      for (const o of out) for (const r of rs) if (next.length < MAX_KEYS) next.push(o ? `${o} ${r}` : r);
      out = next;
    }
    return out;
  }

  /**
   * A word as it was typed by sound: each character's usual reading (搬厂 is bān chǎng, not the 办案 its rare ān
   * would make it); undefined when a character is unknown.
   */
  usualKey(word: string): string | undefined {
    let key = '';
    for (const ch of word) {
      const r = this.usual.get(ch);
      if (!r) return undefined;
      key = key ? `${key} ${r}` : r;
    }
    return key;
  }
}

/**
 * Sound-alike typo correction (voice input, pinyin keyboards): a 2–4 character piece of the question that is
 * neither plan text nor a common word, and sounds exactly like one plan word (toneless pinyin), is replaced
 * by it: 中栽 → 仲裁, 调介 → 调解, 之付令 → 支付令. Readings come from data/lexicon/pinyin.json (generated).
 */
export class HomophoneFixer {
  /** reading key ("zhong cai") → the plan word, or '' when several plan words sound alike */
  private readonly words = new Map<string, string>();
  /** The plan's text: a piece of it is plan wording, never a misheard word. */
  private readonly planText: TextIndex;

  constructor(
    vocabulary: Iterable<string>,
    planText: string,
    private readonly pinyin = new PinyinReadings(),
    /** Words known as such (the lexicon's synonyms: 五险): never a misheard plan word. */
    private readonly known: ReadonlySet<string> = new Set(),
  ) {
    this.planText = new TextIndex(planText);
    for (const w of vocabulary) {
      const n = [...w].length;
      if (n < 2 || n > 4 || !/^\p{Script=Han}+$/u.test(w)) continue;
      // only distinctive words are targets: not everyday ones a stray pair of characters may sound like (事实, 机制)
      if ((generalIdf(w) ?? Infinity) < MIN_TARGET_IDF) continue;
      for (const key of this.keys(w)) {
        const had = this.words.get(key);
        this.words.set(key, had === undefined || had === w ? w : '');
      }
    }
  }

  private keys(word: string): string[] {
    return this.pinyin.keys(word);
  }

  /**
   * `tokens` is the question segmented with the plan's words. A misheard word falls apart into single
   * characters (中/栽, 调/介/员) or a word and a stray character (支付/领): only pieces of whole tokens that
   * include a single character are looked at, never pieces across real words (是/什么 is not 事实么).
   */
  fix(text: string, tokens: string[]): string {
    if (this.words.size === 0) return text;
    // each token measured once, not once per piece it is part of
    const lengths = tokens.map((t) => [...t].length);
    const han = tokens.map((t) => t === '' || HAN_ONLY.test(t));
    let out = '';
    for (let i = 0; i < tokens.length; ) {
      let replaced = false;
      for (let j = Math.min(tokens.length, i + 4); j > i + 1 && !replaced; j--) {
        // the piece tokens[i..j): 2–4 Han characters, one of its tokens a single character
        let n = 0;
        let allHan = true;
        let single = false;
        for (let k = i; k < j; k++) {
          n += lengths[k];
          allHan &&= han[k];
          single ||= lengths[k] === 1;
        }
        if (n < 2 || n > 4 || !allHan || !single) continue;
        // a grammatical particle at either end is the sentence's, not part of a misheard word (分到的 is not 分道德)
        if (PARTICLES.has(tokens[i]) || PARTICLES.has(tokens[j - 1])) continue;
        const piece = tokens.slice(i, j).join('');
        const word = this.lookup(piece);
        if (word) {
          out += word;
          i = j;
          replaced = true;
        }
      }
      if (!replaced) out += tokens[i++];
    }
    return out;
  }

  /**
   * The text with each piece at `place` that sounds exactly like one of `words` (toneless) and is not plan text
   * replaced by that word: the words of asking typed by sound (哪个不门 → 哪个部门, 谁千头 → 谁牵头).
   */
  fixAt(text: string, place: RegExp, words: readonly string[]): string {
    return text.replace(place, (piece) => {
      if (words.includes(piece) || this.planText.includes(piece)) return piece;
      const key = this.pinyin.usualKey(piece);
      return words.find((w) => key !== undefined && this.keys(w).includes(key)) ?? piece;
    });
  }

  /** Answers of lookup() by piece: the same pieces recur question after question. */
  private readonly seen = new Map<string, string | undefined>();

  private lookup(piece: string): string | undefined {
    if (this.seen.has(piece)) return this.seen.get(piece);
    const word = this.soundAlike(piece);
    if (this.seen.size >= SEEN_PIECES) this.seen.clear();
    this.seen.set(piece, word);
    return word;
  }

  /** The plan word a piece sounds exactly like, if it is neither plan text nor a common word. */
  private soundAlike(piece: string): string | undefined {
    if (this.planText.includes(piece) || generalIdf(piece) !== undefined || this.known.has(piece)) return undefined;
    const key = this.pinyin.usualKey(piece);
    const word = key === undefined ? undefined : this.words.get(key);
    return word && word !== piece ? word : undefined;
  }
}
