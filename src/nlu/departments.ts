import type { DepartmentRegistry } from '../plan/departments.js';
import { levenshtein } from './natural.js';
import { nfkc } from './normalize.js';
import { TextIndex } from './text-index.js';
import { cut, isWord } from './tokenize.js';
import { diffAt, occurrences, starts, unitsByPiece, usedAsWord } from './name-pieces.js';
import { HAN_ONLY, UnusualNames } from './unusual-names.js';
import { WordFinder } from './word-finder.js';
import type { PinyinReadings } from './homophones.js';

export interface DepartmentMention {
  names: string[];
  /** The names of each mention, in the order found (a group name is one mention of several departments). */
  mentions: string[][];
  /** The text with every department mention replaced by {部门}. */
  masked: string;
}

/**
 * Finds departments in a normalised question: exact names and aliases (data/departments.json),
 * colloquial names (data/lexicon/department-aliases.json), then near misses of the longer names
 * (one character wrong: 总工汇 → 总工会) by edit distance, then — on words the plan does not contain —
 * names that sound the same (人设 → 人社, 财证 → 财政, 私法所 → 司法所) and shortened names that keep a name's
 * first and last character in order (住保办 → 住房保障办, 团委 → 团市委), when only one department fits.
 */
export class DepartmentMatcher {
  private readonly forms: Array<{ form: string; names: string[] }>;
  /** Stems of the names ending with an organ word (公安 of 公安局) that only one unit has → that unit. */
  private readonly stems: Map<string, string[]>;
  /** Stems taken as names (the plan's text never uses them): found only where a word begins. */
  private readonly stemForms = new Set<string>();
  /** Colloquial names (department-aliases.json) of this plan's units: recognised whole, never shortened. */
  private readonly colloquial: Set<string>;
  private readonly fuzzyForms: Array<{ form: string; names: string[] }>;
  /** The forms (in their order, longest first) and their units: a question is searched only for the forms it may hold. */
  private readonly formFinder: WordFinder;
  private readonly namesOfForm: Map<string, string[]>;
  /** Names said differently: sounding like one, or shortening one. */
  private readonly unusual: UnusualNames;

  /**
   * The beginnings (2–3 code units) and ends (2–8) of the names, each shorter than its name → the units of the names
   * that have it when they all name the same units (null: names of several); the last two code units of the names of
   * three. Made once: findByPartOfName looks up every piece of a question.
   */
  private readonly unitByStart: Map<string, string[] | null>;
  private readonly unitByEnd: Map<string, string[] | null>;
  private readonly threeUnitEnds: Set<string>;
  /** The plan's text, for pieces of it (plan wording, never a misspelt or shortened name). */
  private readonly planText: TextIndex;

  constructor(
    private readonly registry: DepartmentRegistry,
    extraAliases: Map<string, string[]>,
    /** Character bigrams of the plan text: a near miss that reads as plan wording (司法确认) is not a name. */
    private readonly planBigrams: Set<string> = new Set(),
    pinyin?: PinyinReadings,
    /** The plan's text: a piece of it is plan wording, never a misspelt or shortened name. */
    planText = '',
    /** Words saying a unit was renamed (原来的, 现在叫): question-cues.json `renamed`. */
    private readonly renamed?: RegExp,
  ) {
    this.planText = new TextIndex(planText);
    const all = new Map<string, string[]>();
    for (const f of registry.surfaceForms()) {
      // as a question is normalised (full-width brackets and commas become ASCII: 各镇（街道） → 各镇(街道))
      const form = nfkc(f.form).toLowerCase();
      all.set(f.form.toLowerCase(), f.names);
      all.set(form, f.names);
      // a name printed with a list mark, brackets or quotation marks inside (各区、县级市, 各镇（街道）, 市“两新”组织党工委)
      // is also typed without them (各区县级市, 各区,县级市, 各镇街道, 两新组织党工委), or without what is bracketed (各镇)
      const bare = form.replace(/[、,\s()“”"'‘’「」]/g, '');
      if (bare !== form && !all.has(bare)) all.set(bare, f.names);
      const unbracketed = form.replace(/\([^)]*\)/g, '');
      if (unbracketed !== form && [...unbracketed].length >= 2 && !all.has(unbracketed)) all.set(unbracketed, f.names);
      if (f.form.includes('、')) all.set(f.form.toLowerCase().replace(/、/g, ','), f.names);
    }
    // a district's branch and the bureau are named alike (规划分局 for 市规划局, 规划局 for 区规划分局): the other form of a
    // name ending with 局, when no unit has it
    for (const [form, names] of [...all]) {
      const other = form.endsWith('分局') ? `${form.slice(0, -2)}局` : /[^总分]局$/.test(form) ? `${form.slice(0, -1)}分局` : undefined;
      if (other && [...other].length >= 3 && !all.has(other)) all.set(other, names);
    }
    // The stem of a name that ends with an organ word (公安 of 公安局, 人口计生 of 市人口计生局), for units named by their line
    // of work (findByPartOfName) and colloquial names given by a short name (below).
    const byStem = new Map<string, Set<string>>();
    for (const f of registry.surfaceForms()) {
      if (f.names.length !== 1) continue;
      // (without the level, 市 of 市人社局 — and with it too when 市 opens a word of a longer stem: 市场 of 市场监管总局)
      const whole = ORGAN_END.exec(f.form.toLowerCase())?.[1];
      const stem = whole?.replace(/^(?:[省市]委?)(?=.{2})/, '');
      const stems = whole && stem !== whole && [...whole].length >= 4 && !/^[省市]委/.test(whole) && isWord(whole.slice(0, 2)) ? [stem, whole] : [stem];
      for (const s of stems) {
        if (!s || [...s].length < 2 || !HAN_ONLY.test(s)) continue;
        const units = byStem.get(s) ?? new Set<string>();
        byStem.set(s, units.add(f.names[0]));
      }
    }
    this.stems = new Map([...byStem].filter(([, units]) => units.size === 1).map(([stem, units]) => [stem, [...units]]));
    // a stem the plan's text never uses in a word (发改 of 市发改委, 人社 of 市人社局: 残疾人社区 is 残疾人 社区) can only
    // name its unit: one of its names — where a word of the question begins with it (not 安监 in 治安监控)
    for (const [stem, units] of this.stems) {
      if (all.has(stem) || (this.planText.includes(stem) && usedAsWord(this.planText.text, stem))) continue;
      all.set(stem, units);
      this.stemForms.add(stem);
    }
    // Colloquial names (department-aliases.json) name a unit by its usual short name (劳动局 → 人社): the unit of this plan
    // with that name, or with that stem (人社 → 市人社局).
    // (or any name of the unit the plan's import gave it: 卫健委 of 国家卫健委, 国务院办公厅 in full)
    // (or the one unit whose names end with it, an organ word and two more characters: 消防局 of 市公安消防局)
    const endingWith = (n: string) => {
      if ([...n].length < 3 || !ORGAN_END.test(n)) return undefined;
      const units = new Set([...all].filter(([form]) => form.endsWith(n)).flatMap(([, names]) => names));
      return units.size === 1 ? [...units][0] : undefined;
    };
    const unitOf = (n: string) => {
      const printed = all.get(n.toLowerCase());
      return (
        registry.get(n)?.name ??
        (printed?.length === 1 ? printed[0] : undefined) ??
        (byStem.get(n)?.size === 1 ? [...byStem.get(n)!][0] : undefined) ??
        endingWith(n)
      );
    };
    const colloquial = new Set<string>();
    for (const [form, names] of extraAliases) {
      const known = [...new Set(names.map(unitOf).filter((n): n is string => n !== undefined))];
      // (a name the plan prints itself is the plan's, not a colloquial one)
      if (!known.length || all.has(form.toLowerCase())) continue;
      all.set(form.toLowerCase(), known);
      colloquial.add(form.toLowerCase());
    }
    this.colloquial = colloquial;
    this.forms = [...all].map(([form, names]) => ({ form, names })).sort((a, b) => b.form.length - a.form.length);
    this.formFinder = new WordFinder(this.forms.map((f) => f.form));
    this.namesOfForm = new Map(this.forms.map((f) => [f.form, f.names]));
    // Near misses only for the official names (not for aliases such as 仲裁院, which read like plan wording).
    const official = new Set(registry.departments.flatMap((d) => [d.name, d.fullName]));
    this.unitByStart = unitsByPiece(this.forms, 3, (form, n) => form.slice(0, n));
    this.unitByEnd = unitsByPiece(this.forms, 8, (form, n) => form.slice(-n));
    // (the end of 各项目牵头单位, or a piece of that end, is how any plan speaks of units by their part: 一共有多少个牵头单位
    // names none)
    for (const piece of this.unitByEnd.keys()) if (UNITS_BY_PART.some((words) => words.endsWith(piece))) this.unitByEnd.delete(piece);
    // (two characters end a name of three only if the plan prints it: 事局 of the colloquial 人事局 names no unit in 海事局)
    this.threeUnitEnds = new Set(this.forms.filter((f) => f.form.length === 3 && !colloquial.has(f.form)).map((f) => f.form.slice(1)));
    this.fuzzyForms = this.forms.filter((f) => official.has(f.form) && [...f.form].length >= 3 && [...f.form].length <= 6);
    this.unusual = new UnusualNames(this.forms, colloquial, this.planText, pinyin);
  }

  /** The character at `at` is an organ word (委, 局, 办…) that follows the piece's last character in one of the names. */
  private organAfter(text: string, at: number, names: string[]): boolean {
    const pair = text.slice(at - 1, at + 1);
    return ORGAN_CHAR.test(text[at] ?? '') && this.forms.some((f) => f.names.some((n) => names.includes(n)) && f.form.includes(pair));
  }

  /**
   * A unit named by its line of work (公安部门 for 市公安局, 计生部门 for 市人口计生局) or by a part of its name only: the first word (司法 for 司法行政/司法局, 发改 for 发改委: the 2–3 characters
   * that open the names of exactly one unit) or its end without the rest (消防局 for 市公安消防局, 计生局 for 市人口计生局,
   * 出租屋管理办: at least 3 characters — or two of a three-character name, 工会 of 总工会 — that end the names of exactly
   * one unit). A last resort (such a word is often plan
   * wording too): the engine asks only when a unit's list is requested and no unit was found otherwise.
   */
  findByPartOfName(text: string): (DepartmentMention & { organ: boolean }) | undefined {
    const byLine: string[][] = [];
    const masked = this.byLineOfWork(text, LINE_OF_WORK, byLine);
    if (byLine.length) return { names: byLine[0], mentions: [byLine[0]], masked, organ: true };
    for (let len = 8; len >= 2; len--) {
      for (let i = 0; i + len <= text.length; i++) {
        const window = text.slice(i, i + len);
        if (!HAN_ONLY.test(window)) continue;
        const names = this.unitOfPiece(window);
        // organ: the piece ends with an organ word (房管局, 出租屋管理办), a unit's name in itself, not plan wording
        if (names) return { names: [...names], mentions: [names], masked: text.slice(0, i) + MASK + text.slice(i + len), organ: len >= 3 && ORGAN_END.test(window) };
      }
    }
    return undefined;
  }

  /** The one unit whose stem a piece is, or whose names open (2–3 code units) or end with it, or (5+) that it shortens. */
  private unitOfPiece(window: string): string[] | undefined {
    const len = window.length;
    // exactly one unit's stem, though it opens others' names too (公安 of 市公安局, not of 市公安消防局)
    const stem = this.stems.get(window);
    if (stem) return stem;
    if (len <= 3) {
      const unit = this.unitByStart.get(window);
      if (unit) return unit;
    }
    // two code units end a name only of three (工会 of 总工会)
    if (len >= 3 || this.threeUnitEnds.has(window)) {
      const unit = this.unitByEnd.get(window);
      if (unit) return unit;
    }
    // a longer shortening than the usual ones (各区县政府 for 各区、县级市政府)
    return len >= 5 ? this.unusual.shortenedFrom(window) : undefined;
  }

  /**
   * Units named by their line of work or side instead of their organ (公安部门, 计生部门, 卫生系统; 民政这边, 地税那边): the
   * stem of only one unit's name, or the end of only one unit's stem (计生 of 人口计生), before such a word. Masks them.
   */
  private byLineOfWork(text: string, words: RegExp, mentions: string[][]): string {
    for (const m of [...text.matchAll(words)].reverse()) {
      const before = text.slice(0, m.index);
      for (let len = Math.min(12, before.length); len >= 2; len--) {
        const said = before.slice(before.length - len);
        const tails = [...this.stems].filter(([stem]) => stem.length > len && stem.endsWith(said));
        const names = this.stems.get(said) ?? (tails.length === 1 && HAN_ONLY.test(said) ? tails[0][1] : undefined);
        if (!names) continue;
        mentions.push(names);
        text = text.slice(0, m.index! - len) + MASK + text.slice(m.index! + m[0].length);
        break;
      }
    }
    return text;
  }

  /**
   * A stem the plan also uses as a word (海关 of 海关总署 where the plan says 海关监管) names its unit where it acts: a
   * word of the question before a verb of a unit's role (海关负责哪条, 疫苗的事海关管哪条, 财政配合的), or opening the
   * question before its topic (海关跟自贸试验区经验有关的, 海关涉及备案的). Masks the stem only.
   */
  private asActor(text: string, mentions: string[][]): string {
    for (const m of [...text.matchAll(ACTING_OR_TOPIC)].reverse()) {
      // (a word of manner between the unit and its verb says nothing of who: 海关要配合的, 财政也参与)
      const before = text.slice(0, m.index).replace(MANNER_BEFORE_VERB, '');
      const gap = m.index! - before.length;
      for (let len = Math.min(6, before.length); len >= 2; len--) {
        const said = before.slice(before.length - len);
        const names = this.stems.get(said);
        if (!names || this.stemForms.has(said)) continue;
        // (the stem is a word of its own there: not 组织 of 党组织负责)
        const at = m.index! - gap - len;
        const verbEnd = m.index! + m[0].length;
        const words = starts(cut(text));
        if (!words.has(at) || !words.has(m.index! - gap)) continue;
        // (…and so is its verb: not 管 of 党员教育管理)
        if (verbEnd < text.length && !words.has(verbEnd)) continue;
        if (at !== 0 && !ACTING.test(m[0])) continue;
        mentions.push(names);
        text = text.slice(0, at) + MASK + text.slice(m.index! - gap);
        break;
      }
    }
    return text;
  }

  /** The units named right after 不是 / 而非 (not 是不是): said not to be the one meant. */
  private notMeant(text: string): string[] {
    const out: string[] = [];
    for (const m of text.matchAll(NOT_MEANT)) {
      const at = m.index! + m[0].length;
      const form = this.forms.find((f) => text.startsWith(f.form, at));
      if (form) out.push(...form.names);
    }
    return out;
  }

  find(text: string): DepartmentMention {
    // a party or league body by its full name, the place inside it (共青团广州市委 → 团市委, 中共广州市委宣传部 → 市委宣传部)
    text = text.replace(PARTY_BODY_PLACE, (m) => (m.startsWith('共青团') ? '团' : ''));
    const mentions: string[][] = [];
    let masked = text;
    // a form is found in the masked text only if it is in the text or in the mask (a normalised text has no braces)
    let wordStarts: Set<number> | undefined;
    for (const form of this.formFinder.allIn(text + MASK)) {
      if (!masked.includes(form)) continue;
      if (this.stemForms.has(form)) {
        wordStarts ??= starts(cut(masked));
        if (!occurrences(masked, form).some((at) => wordStarts!.has(at))) continue;
      }
      // a colloquial name of two characters (体委, 计委) only where neither character makes a word with its neighbour (体委 of
      // 整体委托, 计委 of 统计委员会, 市监 of 城市监管 are none)
      if (form.length === 2 && this.colloquial.has(form)) {
        const levelBefore = (at: number) => /(?:国家|省|市|区|县|原|老|前)$/.test(masked.slice(0, at));
        const alone = (at: number) =>
          (at === 0 || levelBefore(at) || !isWord(masked.slice(at - 1, at + 1))) && !(at + 2 < masked.length && isWord(masked.slice(at + 1, at + 3)));
        if (!occurrences(masked, form).some(alone)) continue;
      }
      masked = masked.split(form).join(MASK);
      // (the words begin elsewhere once a name is masked)
      wordStarts = undefined;
      mentions.push(this.namesOfForm.get(form)!);
    }
    // a unit's side (民政这边) always names it; a line of work (政法系统) may be a topic: only for a list (findByPartOfName)
    masked = this.byLineOfWork(masked, SIDE, mentions);
    masked = this.asActor(masked, mentions);
    // (党委 before a unit is the party level of its name, as 市委 is: 党委政法委 for 市委政法委 — no topic)
    masked = masked.replace(PARTY_LEVEL, '');
    // Near misses, only on what is left, only for names of 3+ characters, only one substitution.
    let fuzzyStarts: Set<number> | undefined;
    for (const { form, names } of this.fuzzyForms) {
      const len = form.length;
      for (let i = 0; i + len <= masked.length; i++) {
        // cheap test first: a near miss keeps the first or the last character
        if (masked.charCodeAt(i) !== form.charCodeAt(0) && masked.charCodeAt(i + len - 1) !== form.charCodeAt(len - 1)) continue;
        const window = masked.slice(i, i + len);
        if (/[{}]/.test(window) || !/^[\p{Script=Han}]+$/u.test(window)) continue;
        const at = diffAt(window, form);
        const joined = at > 0 ? window.slice(at - 1, at + 1) : window.slice(0, 2);
        // (not across a word of the question: 科技方面 is 科技 | 方面, not 科技部 mistyped)
        fuzzyStarts ??= starts(cut(masked));
        const whole = fuzzyStarts.has(i) && (i + len === masked.length || fuzzyStarts.has(i + len));
        if (at >= 0 && whole && !this.planBigrams.has(joined) && levenshtein(window, form) === 1) {
          masked = masked.slice(0, i) + MASK + masked.slice(i + len);
          fuzzyStarts = undefined;
          mentions.push(names);
          break;
        }
      }
    }
    const named = mentions.length;
    // Sound-alikes and shortenings, longest pieces first, only on what is left.
    let tests = this.unusual.tests(masked);
    // (a name said differently does not begin inside a longer word that ends within it: not 人保障 of 残疾人保障, read
    // 残疾人 | 保障 — though a word may hold it whole, 国家税务局, or a short one run into it, 下发该委)
    let words: Array<[number, number]> | undefined;
    for (let len = 4; len >= 2; len--) {
      for (let i = 0; i + len <= masked.length; i++) {
        const names = this.unusual.at(masked, i, len, tests);
        if (!names) continue;
        words ??= spans(cut(masked));
        if (words.some(([from, to]) => to - from >= 3 && from < i && to > i && to < i + len)) continue;
        // (the organ word right after it, as the name has it, is the name's too: 非公党工委, not 非公党工 | 委的)
        const end = i + len + (this.organAfter(masked, i + len, names) ? 1 : 0);
        masked = masked.slice(0, i) + MASK + masked.slice(end);
        tests = this.unusual.tests(masked);
        words = undefined;
        mentions.push(names);
      }
    }
    // the national level said before a unit's name (国家文物局, 中国证监会) belongs to the name, like 市 or 省
    masked = masked.replace(NATIONAL_MENTION, MASK);
    // A unit renamed, said by both names (卫健委，原来的卫生局): the name the plan prints is meant, not a guess at the other.
    if (named > 0 && mentions.length > named && this.renamed?.test(text)) mentions.length = named;
    // A group and one of its members both named (企业代表组织这块，就是企联): the member is meant.
    let kept = mentions.filter((m) => m.length < 2 || !mentions.some((o) => o !== m && o.length < m.length && o.every((n) => m.includes(n))));
    // A unit said not to be meant (城管委（不是城管局）, 注意不是工商局，是工商联): left out when another one is named.
    const unwanted = this.notMeant(text);
    if (unwanted.length) {
      const wanted = kept.filter((m) => !m.every((n) => unwanted.includes(n)));
      if (wanted.length) kept = wanted;
    }
    const order = this.registry.names;
    return { names: [...new Set(kept.flat())].sort((a, b) => order.indexOf(a) - order.indexOf(b)), mentions: kept, masked };
  }
}

/** Where each word of a cut text begins and ends. */
function spans(words: string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  for (const w of words) out.push([at, (at += w.length)]);
  return out;
}

/** Units spoken of by their part in a task (牵头单位, 配合部门, 有关单位): no unit's name, though one name may end so. */
const UNITS_BY_PART = ['责任', '牵头', '配合', '参与', '协办', '主办', '承办', '有关', '相关', '职能', '成员'].flatMap((part) => [`${part}单位`, `${part}部门`]);
const ORGAN_CHAR = /^[委局办厅部署会处]$/u;
const NATIONAL_MENTION = /(?:国家|中国|国务院)\{部门\}/gu;
const NOT_MEANT = /(?<!是)(?:不是|并非|而非)[\s（(]*/gu;
const PARTY_BODY_PLACE = /(?:共青团|中共)\p{Script=Han}{2,3}?(?=[省市区县]委)/gu;
const PARTY_LEVEL = /党委(?=\{部门\})/gu;
/** What a unit's name is replaced with in the masked text. */
const MASK = '{部门}';
/** A unit's name ending with its organ word (公安局, 计生局, 建委, 应急办, 市委宣传部): the part before it — without the
 *  level (市, 市委) — is the unit's stem. */
const ORGAN_END = /^(.+?)(?:委员会|办公室|总局|总署|局|委|办|厅|部|署)$/u;
/** Words for a unit's line of work said instead of its organ (公安部门, 卫生系统, 财政口). */
const LINE_OF_WORK = /部门|系统|机关|条线|口/g;
/** Words for a unit's side (民政这边, 地税那边). */
const SIDE = /这边|那边/g;
/** Verbs of a unit's role, after the unit said by its stem (海关负责, 财政配合, 海关在增值税上)… */
const ACTING = /^(?:负责|牵头|配合|参与|管|在)$/;
/** …or, where the stem opens the question, the words that bring in its topic (海关跟…有关的, 海关涉及…, 海关的任务里). */
const ACTING_OR_TOPIC = /负责|牵头|配合|参与|管|在|跟|涉及|关于|的任务/g;
/** Words of manner between a unit and its verb (海关要配合的, 财政也参与). */
const MANNER_BEFORE_VERB = /(?:主要|需要|也要|还要|要|也|还|都|会)$/u;
