import { generalIdf } from './general-idf.js';
import type { PinyinReadings } from './homophones.js';
import { codePointIn } from './name-pieces.js';
import type { TextIndex } from './text-index.js';

/** A piece of Chinese characters only. */
export const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * Units' names said differently (departments.ts): a piece of a question that sounds like a name (人设 → 人社, 财证 →
 * 财政, 私法所 → 司法所) or shortens one keeping its first and last character in order (住保办 → 住房保障办, 团委 → 团市委).
 */
export class UnusualNames {
  /** Reading of a 2–4 character name → the departments it names (null when it names several). */
  private readonly sounds = new Map<string, { form: string; names: string[] } | null>();
  /** Readings found in `sounds`, and whether a character has one: a piece with a character that has none sounds like no name. */
  private readonly soundReadings = new Set<string>();
  private readonly soundChars = new Map<number, boolean>();
  /**
   * Characters (code points) of the names, and their first and last code units: cheap tests on the question itself
   * before a piece of it is cut out (most pieces fail them).
   */
  private readonly nameChars = new Set<number>();
  private readonly firstChars = new Set<number>();
  private readonly lastChars = new Set<number>();

  constructor(
    /** The names as questions say them, longest first, with their units. */
    private readonly forms: Array<{ form: string; names: string[] }>,
    /** Colloquial names (department-aliases.json): said whole, never shortened. */
    private readonly colloquial: ReadonlySet<string>,
    /** The plan's text: a piece of it is plan wording, never a name said differently. */
    private readonly planText: TextIndex,
    private readonly pinyin?: PinyinReadings,
  ) {
    for (const f of forms) {
      for (const ch of f.form) this.nameChars.add(ch.codePointAt(0)!);
      this.firstChars.add(f.form.charCodeAt(0));
      this.lastChars.add(f.form.charCodeAt(f.form.length - 1));
    }
    if (pinyin) {
      for (const f of forms) {
        const n = [...f.form].length;
        if (n < 2 || n > 4 || !HAN_ONLY.test(f.form)) continue;
        for (const key of pinyin.keys(f.form)) {
          const had = this.sounds.get(key);
          const same = had && had.names.join() === f.names.join();
          this.sounds.set(key, had === undefined || same ? f : null);
          for (const reading of key.split(' ')) this.soundReadings.add(reading);
        }
      }
    }
  }

  /**
   * The piece text[i, i + len) as a name said differently: sounds like one (sharing a character) or a shortening of
   * one; undefined if none or several.
   */
  at(text: string, i: number, len: number, tests: Uint8Array | undefined): string[] | undefined {
    const end = i + len;
    const shortening = tests
      ? (tests[i] & OPENS_NAME) !== 0 && (tests[end - 1] & ENDS_NAME) !== 0
      : this.firstChars.has(text.charCodeAt(i)) && this.lastChars.has(text.charCodeAt(end - 1));
    if (!shortening && !(tests ? anyUnit(tests, i, end, NAME_CHAR) : this.hasNameChar(text, i, end))) return undefined;
    // it can sound like a name only if each of its characters reads like one of a name's
    const maySound = this.pinyin !== undefined && (tests ? everyUnit(tests, i, end, READS_LIKE_NAME) : this.allReadLikeNames(text, i, end));
    if (!maySound && !shortening) return undefined;
    const window = text.slice(i, end);
    if (!HAN_ONLY.test(window)) return undefined;
    const names = (maySound ? this.soundsLike(window) : undefined) ?? (shortening ? this.shortenedFrom(window) : undefined);
    // a piece of the plan's text is plan wording, never a name said differently (tested last)
    return names && !this.planText.includes(window) ? names : undefined;
  }

  /**
   * at's tests of each code unit of a text, made once for all its pieces: a character of the names, one that
   * reads like a name's, the first or last code unit of a name. Only for a text without surrogates (nearly every
   * question), where a code unit is a character; undefined for another (each piece is tested on its own).
   */
  tests(text: string): Uint8Array | undefined {
    const tests = new Uint8Array(text.length);
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0xd800 && c <= 0xdfff) return undefined;
      if (this.nameChars.has(c)) tests[k] |= NAME_CHAR;
      if (this.pinyin && this.hasNameReading(c)) tests[k] |= READS_LIKE_NAME;
      if (this.firstChars.has(c)) tests[k] |= OPENS_NAME;
      if (this.lastChars.has(c)) tests[k] |= ENDS_NAME;
    }
    return tests;
  }

  /** Has text[start, end) a character of the names? */
  private hasNameChar(text: string, start: number, end: number): boolean {
    for (let k = start; k < end; ) {
      const c = codePointIn(text, k, end);
      if (this.nameChars.has(c)) return true;
      k += c > 0xffff ? 2 : 1;
    }
    return false;
  }

  /** Has every character of text[start, end) a reading of a name's character? */
  private allReadLikeNames(text: string, start: number, end: number): boolean {
    for (let k = start; k < end; ) {
      const c = codePointIn(text, k, end);
      if (!this.hasNameReading(c)) return false;
      k += c > 0xffff ? 2 : 1;
    }
    return true;
  }

  /** The one name a piece (each of its characters reading like a name's) sounds exactly like, sharing a character with it. */
  private soundsLike(window: string): string[] | undefined {
    // a word of everyday Chinese is meant as said (任务总数 is no 总署)
    if (generalIdf(window) !== undefined) return undefined;
    for (const key of this.pinyin!.keys(window)) {
      const f = this.sounds.get(key);
      if (f && f.form !== window && [...window].some((ch) => f.form.includes(ch))) return f.names;
    }
    return undefined;
  }

  private hasNameReading(c: number): boolean {
    let has = this.soundChars.get(c);
    if (has === undefined) {
      has = this.pinyin!.keys(String.fromCodePoint(c)).some((r) => this.soundReadings.has(r));
      if (this.soundChars.size >= SEEN_CHARS) this.soundChars.clear();
      this.soundChars.set(c, has);
    }
    return has;
  }

  /** The one name a piece shortens, keeping its first and last character and its order. */
  shortenedFrom(window: string): string[] | undefined {
    let found: string[] | undefined;
    for (const f of this.forms) {
      // (names of up to 12 characters: 流管办 of 流动人员出租屋管理办)
      if (f.form.length <= window.length || f.form.length > 12 || f.form[0] !== window[0] || f.form.at(-1) !== window.at(-1)) continue;
      // (a colloquial name is said whole or not at all: 计委员会 is no shortening of 计划委员会)
      if (this.colloquial.has(f.form)) continue;
      // a shortening keeps at least three characters, or two of a three-character name (团委 of 团市委) — but a level
      // and an organ word alone (市委, 区府) name a body of their own, not 市建委
      if (window.length < 3 && (f.form.length !== 3 || LEVEL_AND_ORGAN.test(window))) continue;
      let at = 0;
      for (const ch of window) {
        at = f.form.indexOf(ch, at) + 1;
        if (at === 0) break;
      }
      if (at === 0) continue;
      if (found && found.join() !== f.names.join()) return undefined;
      found = f.names;
    }
    return found;
  }
}

/** unitTests' marks. */
const NAME_CHAR = 1;
const READS_LIKE_NAME = 2;
const OPENS_NAME = 4;
const ENDS_NAME = 8;

function anyUnit(tests: Uint8Array, start: number, end: number, mark: number): boolean {
  for (let k = start; k < end; k++) if (tests[k] & mark) return true;
  return false;
}

function everyUnit(tests: Uint8Array, start: number, end: number, mark: number): boolean {
  for (let k = start; k < end; k++) if (!(tests[k] & mark)) return false;
  return true;
}

/** A level and an organ word alone (市委, 区府): a body of its own, never a shortening of a longer name. */
const LEVEL_AND_ORGAN = /^[省市区县][委府办局]$/u;
/** Characters whose test is kept (the common ones are a few thousand; forgotten all at once when full). */
const SEEN_CHARS = 10_000;
