import type { Plan, Subsection } from '../plan/types.js';
import { bigrams } from './normalize.js';
import { NUMERAL, QUOTES, toNumber, type SectionRef } from './numbers.js';
import type { ScoredTask } from './search.js';
import { jieba, segment } from './tokenize.js';

/** A title word found in at least this share of the plan's titles does not tell them apart (劳动人事争议, 建设, 机制). */
const GENERIC_TITLE_SHARE = 0.2;
/** Words of asking for a list or pointing at a part, around the subject of a section question. */
const LIST_FILLER_WORDS =
  /有哪些|有哪几[条项个]?|哪些|哪几[条项个]?|包括|包含|任务清单|清单|条目|任务|事项|项目|相关的?|关于|下面?的?|里面?的?|都有啥|有啥|都有|列出来?|列一下|列下|列个|全部|所有|一共|多少|有几[条项个]?|几[条项个]|todo|task ?list|发我|给我|[那这]一?[大小]?(?:块|节|部分|章)|[那这][个组类些]|部分|板块|方面|的|都|吗|呢|啊|呀|哈|嘛|[？?，,。!！\s]/g;
/** Words for items, never a plan's word for its parts. */
const ITEM_WORDS = /任务|事项|措施|举措|项目|工作$/;
/** Titles counted together by the plan's word for them: 五大中心, 六个行动计划, 三大人才开发支撑体系. */
const COUNTED_LEVEL = /([两二三四五六七八九十])\s*[大个项]\s*(\p{Script=Han}{2,10})/gu;
/** An explicit pointer to a part of the plan (那一部分, 这一块, 那一大块, 那个小块, 一整块, 小节, 一整节, 哪个小节; not 一块, together). */
export const PART_CUE = /[那这哪]一?个?[大整小]?块|一?[大整]块|[那这哪]一?个?小?节|小节|小标题|整个?节|[那这哪]一?[大整]?个?[大整]?部[分份]|板块|部[分份]|[那这]?一?章|\b(?:part|section|chapter)\b/i;

/** A title, then where the part asked for stands beside it, then the part (总体目标后面紧跟着的那个部分, 发展目标后面那个讲具体任务的部分). */
const BESIDE = /(?:紧跟在|紧挨在|紧接在|就是|在)?(\p{Script=Han}{2,16}?)(?:那一?个?(?:大?部[分份]|大?块|小?节))?的?(后面|之后|后边|下面|前面|之前|前边)(?:紧跟着|紧挨着|紧接着|接着)?的?(?:(?:[那这]一?个?)?(?:讲[^，,。；;？?！!]{1,12}?的)?(?:[那这]一?个?)?(大?部[分份]|大块|小?节|小块|块)|[那这]一?个(?![\p{Script=Han}]))/u;

/** Between two parts named (夹在研发设计和检测维修中间的那一节, 源头治理和多元调解之间那部分). */
const BETWEEN = /(?:夹在|在)?(\p{Script=Han}{2,16}?)(?:那一?[节块]|那部分)?(?:和|与|跟)(\p{Script=Han}{2,16}?)(?:那一?[节块]|那部分)?的?(?:中间|之间)的?(?:[那这]一?个?)?(?:大?部[分份]|大块|小?节|小块|块)/u;

/** A compound cut left to right into the longest shorter words jieba knows in it (智慧协商调解 → 智慧, 协商, 调解). */
function finestPieces(word: string): string[] {
  if ([...word].length < 4) return [word];
  const parts = segment(word).filter((p) => p !== word);
  const out: string[] = [];
  for (let i = 0; i < word.length; ) {
    const p = parts.filter((x) => word.startsWith(x, i)).sort((a, b) => b.length - a.length)[0];
    if (p) out.push(p);
    i += p ? p.length : 1;
  }
  return out.length ? out : [word];
}

/** A part (section) or subsection of the plan and its title, lower case. */
export interface PartTitle {
  kind: 'section' | 'subsection';
  index: number;
  title: string;
}

/**
 * The parts and subsections of one plan as a question may name them: by number as the plan prints them, by title
 * (exactly, most of it, or its core words in other words), by a word pointing at one, or by what its tasks are about.
 */
export class PlanParts {
  readonly titles: PartTitle[];
  private readonly titleWords: string[][];
  private readonly titleCores: string[][];
  private readonly titleBigrams: Array<Set<string>>;
  /** The same in order, repeats kept (a title's share of the question counts each of them). */
  private readonly titleBigramLists: string[][];
  private readonly titleBigramDf = new Map<string, number>();
  private readonly coreIdf: Map<string, number>;
  /**
   * What a title names after its describing words (构建和谐稳定的公共安全体系 → 公共安全体系) or its last clause's verb
   * (…，打造销售服务中心 → 销售服务中心), when one title alone has it.
   */
  private readonly titleHeads: Array<string | undefined>;
  /** A title of one clause without the verb that opens it (实施六大人才行动计划 → 六大人才行动计划), seven characters or more. */
  private readonly clauseHeads: Array<string | undefined>;
  /** The same without the plan's word for its titles (社会保险体系 → 社会保险), when four characters or more are left. */
  private readonly headCores: Array<string | undefined>;
  /**
   * What the plan calls the titles of one level, by an ending two or more of them share (…人才行动计划 → 行动计划, 计划;
   * …体系 → 体系): 第五个行动计划, 头一个体系, 最后一个计划 count among those titles.
   */
  private readonly levelNouns: Map<string, PartTitle[]>;
  private readonly levelNounPattern?: RegExp;
  private readonly subsectionOf: Map<number, number | undefined>;
  private readonly sectionOf: Map<number, number>;
  /** How many parts hold tasks (a flat list of measures: one). */
  readonly partsWithTasks: number;
  /** The plan is one flat list of measures: its tasks in one part, no subsections. */
  readonly flat: boolean;
  /** How many tasks the plan has (这30条激励措施 names the plan by its size). */
  readonly taskCount: number;

  constructor(
    private readonly plan: Plan,
    stopwords: Set<string>,
  ) {
    // (a plan printed as one flat list has one part without a title: nothing to name it by)
    this.titles = [
      ...plan.sections.map((s) => ({ kind: 'section' as const, index: s.index, title: s.title.toLowerCase() })),
      ...plan.subsections.map((s) => ({ kind: 'subsection' as const, index: s.index, title: s.title.toLowerCase() })),
    ].filter((t) => t.title.trim() !== '');
    this.subsectionOf = new Map(plan.tasks.map((t) => [t.id, t.subsection]));
    this.partsWithTasks = new Set(plan.tasks.map((t) => t.section)).size;
    this.flat = this.partsWithTasks === 1 && plan.subsections.length === 0;
    this.taskCount = plan.tasks.length;
    // a task of an untitled part is in no part one can point at
    const titled = new Set(this.titles.filter((t) => t.kind === 'section').map((t) => t.index));
    this.sectionOf = new Map(plan.tasks.filter((t) => titled.has(t.section)).map((t) => [t.id, t.section]));
    // A title's core words: without the verbs and words every title shares (加强, 健全, 劳动人事争议, 建设 …).
    // The finest pieces (协商调解 → 协商, 调解), so that a paraphrase need not keep the title's compounds.
    this.titleWords = this.titles.map((t) => [...new Set(jieba().cut(t.title, true).flatMap(finestPieces))].filter((w) => [...w].length >= 2 && !stopwords.has(w)));
    const titleWordDf = new Map<string, number>();
    for (const ws of this.titleWords) for (const w of ws) titleWordDf.set(w, (titleWordDf.get(w) ?? 0) + 1);
    this.titleCores = this.titleWords.map((ws) => ws.filter((w) => (titleWordDf.get(w) ?? 0) < Math.max(2, GENERIC_TITLE_SHARE * this.titles.length)));
    // Character bigrams of the titles, weighed by how few titles share them, for a part named in other words.
    this.titleBigramLists = this.titles.map((t) => bigrams(t.title));
    this.titleBigrams = this.titleBigramLists.map((bs) => new Set(bs));
    for (const bs of this.titleBigrams) for (const b of bs) this.titleBigramDf.set(b, (this.titleBigramDf.get(b) ?? 0) + 1);

    const coreDf = new Map<string, number>();
    for (const core of this.titleCores) for (const w of core) coreDf.set(w, (coreDf.get(w) ?? 0) + 1);
    this.coreIdf = new Map([...coreDf].map(([w, df]) => [w, Math.log((this.titles.length + 1) / df)]));

    const heads = this.titles.map((t) => {
      const title = t.title.replace(/[。.；;]$/, '');
      const at = title.lastIndexOf('的');
      if (at >= 0) return [...title.slice(at + 1)].length >= 4 ? title.slice(at + 1) : undefined;
      // …or its last clause without the verb that opens it (统筹两个市场，打造加工制造中心 → 加工制造中心)
      const clause = title.slice(title.search(/[^，,]*$/)).slice(2);
      return title.includes('，') && [...clause].length >= 4 ? clause : undefined;
    });
    this.titleHeads = heads.map((h) => (h && heads.filter((x) => x === h).length === 1 ? h : undefined));
    // (long enough that what it names is plain — said whole, it names the part; not a title core, which moved 百人计划
    // questions to 人才创新创业体系)
    this.clauseHeads = this.titles.map((t, i) => {
      const title = t.title.replace(/[。.；;]$/, '');
      return !heads[i] && !/[，,的]/.test(title) && [...title].length >= 7 ? title.slice(2) : undefined;
    });

    this.levelNouns = new Map();
    for (const kind of ['section', 'subsection'] as const) {
      const level = this.titles.filter((t) => t.kind === kind);
      for (let n = 2; n <= 4; n++) {
        const byEnding = new Map<string, PartTitle[]>();
        for (const t of level) {
          const end = t.title.replace(/[。.；;，,\s]+$/, '').slice(-n);
          if (/^\p{Script=Han}+$/u.test(end)) byEnding.set(end, [...(byEnding.get(end) ?? []), t]);
        }
        // (not a word for items: titles ending in 任务 do not make 第三个任务 a part)
        for (const [end, titles] of byEnding) if (titles.length >= 2 && !this.levelNouns.has(end) && !ITEM_WORDS.test(end)) this.levelNouns.set(end, titles);
      }
    }
    const nouns = [...this.levelNouns.keys()].sort((a, b) => b.length - a.length).join('|');
    const cores = this.titleHeads.map((h) => {
      const noun = h && [...this.levelNouns.keys()].filter((n) => h.endsWith(n)).sort((a, b) => b.length - a.length)[0];
      const core = noun ? h!.slice(0, -noun.length) : undefined;
      return core && [...core].length >= 4 ? core : undefined;
    });
    this.headCores = cores.map((c) => (c && cores.filter((x) => x === c).length === 1 ? c : undefined));
    if (nouns) {
      this.levelNounPattern = new RegExp(
        `(?:(?<back1>倒数)?第\\s*(?<n1>${NUMERAL})\\s*一?|(?<end1>头|首|最后|末)\\s*(?:一|(?=个)))\\s*个?\\s*(?<noun1>${nouns})` +
          `|(?<noun2>${nouns})[^，,。？?！!]{0,8}?(?:排)?(?:(?<back2>倒数)?第\\s*(?<n2>${NUMERAL})|(?<end2>(?:头|首)\\s*一|(?:最后|末)\\s*一?))(?:个|的)`,
        'u',
      );
    }
  }

  /** The text points at a part (那一块, 部分) or says the plan's word for its parts (体系, 中心). */
  private pointsAtPart(text: string): boolean {
    return PART_CUE.test(text) || [...this.levelNouns.keys()].some((n) => text.includes(n));
  }

  /** The plan has a part of that number (counted from the end when negative). */
  private hasPart(index: number): boolean {
    return index < 0 ? this.plan.sections.length >= -index : this.plan.sections.some((p) => p.index === index);
  }

  /** The title of a part or subsection. */
  titleOf(ref: SectionRef): string | undefined {
    return this.titles.find((t) => t.kind === ref.kind && t.index === ref.index)?.title;
  }

  /**
   * A numbered subsection as this plan prints it. Named in a part (第二部分第一小节, 二之(三)): the one printed with that
   * number in the part, else the part's n-th (plans that number subsections through the whole plan); left with its part
   * when the part has no such subsection. Named alone ((二)): the one printed so, the first part's when numbering
   * restarts in each part (the others offered), else the n-th of the plan.
   */
  resolve(said: SectionRef): { section: SectionRef; sectionAlternatives?: SectionRef[] } {
    // a plan without subsections: its parts are what 第三节 / 最后一节 can name — one it has (第十七小节 of a plan of
    // eleven parts is answered that the plan has no subsections)
    if (said.kind === 'subsection' && said.part === undefined && !this.plan.subsections.length && this.hasPart(said.index)) said = { kind: 'section', index: said.index };
    if (said.index < 0) {
      // counted from the end: the last part (最后一部分), the second-last subsection (倒数第二节), of a part if one is named
      const all = said.kind === 'section' ? this.plan.sections : this.plan.subsections.filter((s) => said.part === undefined || s.section === said.part);
      const found = all[all.length + said.index];
      return { section: { kind: said.kind, index: found ? found.index : all.length + said.index + 1 } };
    }
    if (said.kind === 'section') return { section: said };
    const ref = (s: { index: number }): SectionRef => ({ kind: 'subsection', index: s.index });
    const printed = (subs: Subsection[]) => subs.filter((s) => toNumber(s.no) === said.index);
    if (said.part !== undefined) {
      const inPart = this.plan.subsections.filter((s) => s.section === said.part);
      const found = printed(inPart)[0] ?? inPart[said.index - 1];
      return { section: found ? ref(found) : said };
    }
    const same = printed(this.plan.subsections);
    if (!same.length) return { section: { kind: 'subsection', index: said.index } };
    return { section: ref(same[0]), ...(same.length > 1 ? { sectionAlternatives: same.slice(1).map(ref) } : {}) };
  }

  /** The part or subsection a question points at explicitly ("源头治理那一大块"): the title sharing most distinctive bigrams. */
  pointedAt(text: string, whole = false): SectionRef | undefined {
    const unpointed = text.replace(PART_CUE, ' ');
    const qb = new Set(bigrams(unpointed));
    // (a word of the list asked for is no title's own: 一共几项任务 does not point at 目标任务)
    const said = new Set(bigrams(unpointed.replace(LIST_FILLER_WORDS, ' ')));
    const words = new Set(segment(text));
    let best: { i: number; score: number; hits: number } | undefined;
    let tied = false;
    for (let i = 0; i < this.titles.length; i++) {
      if (whole && this.titles[i].kind !== 'section') continue;
      let score = 0;
      let hits = 0;
      for (const b of qb) {
        if (!this.titleBigrams[i].has(b)) continue;
        hits++;
        score += Math.log((this.titles.length + 1) / this.titleBigramDf.get(b)!);
      }
      // two bigrams shared, or one word of the question that no other title has (从源头上防争议的那一大部分: 源头)
      const unique = [...said].some((b) => this.titleBigrams[i].has(b) && this.titleBigramDf.get(b) === 1 && words.has(b));
      // the same title as part and as subsection (a part without subsections): either one, the part first
      if (!(hits >= 2 || unique)) continue;
      if (best && Math.abs(score - best.score) <= 1e-9 && this.titles[i].kind === this.titles[best.i].kind && this.titles[i].title !== this.titles[best.i].title) tied = true;
      if (!best || score > best.score + 1e-9) {
        best = { i, score, hits };
        tied = false;
      }
    }
    // (words that titles of one level share alike — 保障体系 of three parts, 打造…中心 of five subsections — point at none)
    if (!best || tied) return undefined;
    const found = this.titles[best.i];
    // a subsection of it named as well (六大行动计划里文化那块): the subsection — unless the whole part is meant (那一大部分)
    const ref: SectionRef = { kind: found.kind, index: found.index };
    return found.kind === 'section' && !whole ? (this.subsectionNamedIn(best.i, said) ?? ref) : ref;
  }

  /** Of the part at `titles[at]`, the one subsection whose title shares most of the question's other bigrams. */
  private subsectionNamedIn(at: number, qb: Set<string>): SectionRef | undefined {
    const part = this.titles[at];
    const rest = [...qb].filter((b) => !this.titleBigrams[at].has(b));
    const inside = this.titles
      .map((t, i) => ({ t, hits: rest.filter((b) => this.titleBigrams[i].has(b)).length }))
      .filter(({ t, hits }) => t.kind === 'subsection' && hits > 0 && this.plan.subsections.find((s) => s.index === t.index)?.section === part.index)
      .sort((a, b) => b.hits - a.hits);
    return inside.length === 1 || (inside.length > 1 && inside[0].hits > inside[1].hits) ? { kind: 'subsection', index: inside[0].t.index } : undefined;
  }

  /**
   * A section or subsection whose title the question names: exactly, most of its bigrams, or (said in other
   * words, "经费保障那一节" for 保障工作经费) most of its core words in any order, when the question is about little else.
   */
  byTitle(text: string, terms: string[] = []): SectionRef | undefined {
    let best: { ref: SectionRef; score: number } | undefined;
    const qb = new Set(bigrams(text));
    // the question's subject without the words of asking for a list (六大行动计划 | 有哪些任务)
    const subject = new Set(bigrams(text.replace(LIST_FILLER_WORDS, ' ')));
    for (let i = 0; i < this.titles.length; i++) {
      const t = this.titles[i];
      const core = this.titleCores[i];
      // core words weighed by how few titles have them: 智慧 tells (十八) apart, 调解 does not
      let hitWeight = 0;
      let allWeight = 0;
      let hits = 0;
      for (const w of core) {
        const weight = this.coreIdf.get(w) ?? 0;
        allWeight += weight;
        if (text.includes(w)) {
          hits++;
          hitWeight += weight;
        }
      }
      const share = allWeight ? hitWeight / allWeight : 0;
      if (hits >= 2 && share >= 0.6 && terms.length) {
        const about = terms.filter((w) => t.title.includes(w) || core.some((c) => c.includes(w) || w.includes(c))).length / terms.length;
        const score = 0.75 + 0.2 * share;
        if (about >= 0.6 && (!best || score > best.score)) best = { ref: { kind: t.kind, index: t.index }, score };
      }
    }
    for (let i = 0; i < this.titles.length; i++) {
      const t = this.titles[i];
      let score: number;
      if (text.includes(t.title)) score = 1 + t.title.length / 100;
      // the thing a title names, without how it describes it: 公共安全体系有几条 for 构建和谐稳定的公共安全体系
      else if (this.titleHeads[i] && text.includes(this.titleHeads[i]!)) score = 0.9;
      else if (this.clauseHeads[i] && text.includes(this.clauseHeads[i]!)) score = 0.88;
      // (pointed at as a part, or by the plan's word for its parts: 幸福社区 alone may name the communities, not the part)
      else if (this.headCores[i] && text.includes(this.headCores[i]!) && this.pointsAtPart(text)) score = 0.85;
      else {
        const tb = this.titleBigramLists[i];
        const hit = tb.filter((b) => qb.has(b)).length;
        score = tb.length ? hit / tb.length : 0;
        // the question must be mostly about the title, not just share words with it
        const qCover = qb.size ? hit / qb.size : 0;
        // …or its subject is nothing but (a good part of) the title: 六大行动计划有哪些任务 → 实施六大人才行动计划
        const subjectHit = tb.filter((b) => subject.has(b)).length;
        const subjectCover = subject.size ? subjectHit / subject.size : 0;
        if (subjectCover >= 0.75 && subjectHit >= 3 && score >= 1 / 3) score = Math.max(score, 0.75);
        else if (qCover < 0.5) score = 0;
      }
      if (score >= 0.75 && (!best || score > best.score)) best = { ref: { kind: t.kind, index: t.index }, score };
    }
    // a part named by words its subsections share (人才行动计划), and one subsection by its own (文化): that subsection
    if (best?.ref.kind === 'section') {
      const at = this.titles.findIndex((t) => t.kind === 'section' && t.index === best!.ref.index);
      // (by the words of the subject, not of asking for a list: 总体要求有哪些任务 is not 目标任务)
      return this.subsectionNamedIn(at, subject) ?? best.ref;
    }
    return best?.ref;
  }

  /**
   * A part given by examples of what it holds (治安、食品药品、安全生产、应急这些…的任务): the one subsection — else the one
   * part — that holds the best task of every example. `bestTask` ranks one example alone.
   */
  byExamples(examples: string[], bestTask: (example: string) => number | undefined, whole = false): SectionRef | undefined {
    const ids = examples.map((e) => bestTask(e)).filter((id) => id !== undefined);
    // two examples, or two thirds of them, agreeing (one may be said in words the plan does not use)
    const needed = Math.max(2, Math.ceil((examples.length * 2) / 3));
    const agreed = (keyOf: (id: number) => number | undefined) => {
      const votes = new Map<number, number>();
      for (const id of ids) {
        const key = keyOf(id);
        if (key !== undefined) votes.set(key, (votes.get(key) ?? 0) + 1);
      }
      const [key, count] = [...votes].sort((a, b) => b[1] - a[1])[0] ?? [];
      return count !== undefined && count >= needed ? key : undefined;
    };
    const sub = whole ? undefined : agreed((id) => this.subsectionOf.get(id));
    if (sub !== undefined) return { kind: 'subsection', index: sub };
    const sec = agreed((id) => this.sectionOf.get(id));
    return sec !== undefined ? { kind: 'section', index: sec } : undefined;
  }

  /**
   * The message is a title alone, as typed into a search box: whole, what it names, or one of its clauses of five
   * characters or more (统筹两个市场 of 统筹两个市场，打造加工制造中心) — when only that title has it (a heading of
   * four, 指导思想 or 基本原则, is a word people ask about).
   */
  titleAlone(text: string): SectionRef | undefined {
    const typed = text.replace(/[\s，,。.？?！!、“”"]/g, '');
    if ([...typed].length < 5) return undefined;
    const saying = this.titles.filter((t, i) => t.title.replace(/[。.]$/, '') === typed || this.titleHeads[i] === typed || t.title.split(/[，,。.]/).includes(typed));
    return saying.length === 1 ? { kind: saying[0].kind, index: saying[0].index } : undefined;
  }

  /** The question holds a title whole, or what it names (公共安全体系): the part is named, not guessed. */
  namesTitle(text: string): boolean {
    return this.titles.some((t, i) => text.includes(t.title) || (this.titleHeads[i] !== undefined && text.includes(this.titleHeads[i]!)));
  }

  /**
   * A part or subsection counted among the titles that share the plan's word for them (第五个行动计划, 第八个体系,
   * 六大计划的最后一个, 五个中心里倒数第二个, 三大支撑体系里头一个体系): the one printed with that number if it has the word, else the n-th
   * of them — within the part named too (第二部分的第五个行动计划).
   */
  byLevelNoun(text: string, part?: number): SectionRef | undefined {
    const g = this.levelNounPattern?.exec(text)?.groups;
    if (!g) return undefined;
    const noun = g.noun1 ?? g.noun2;
    const numeral = g.n1 ?? g.n2;
    // counted from the end: 最后一个, 倒数第二个
    const fromEnd = /最后|末/.test(g.end1 ?? g.end2 ?? '') || (g.back1 ?? g.back2) !== undefined;
    const all = this.levelNouns.get(noun)!.filter((t) => part === undefined || t.kind === 'section' || this.within({ kind: t.kind, index: t.index }, { kind: 'section', index: part }));
    const n = numeral ? toNumber(numeral) : 1;
    if (!n || !all.length) return undefined;
    const printed = all.filter((t) => this.printedNumber(t) === n);
    const found = fromEnd ? all[all.length - n] : (printed.length === 1 ? printed[0] : all[n - 1]);
    return found && { kind: found.kind, index: found.index };
  }

  /**
   * A part named by how many subsections it has of the plan's word for them (五大中心 when five subsections of one part
   * are …中心, 六个行动计划): that part, whose subsections they all are.
   */
  byCountOfLevel(text: string): SectionRef | undefined {
    for (const m of text.matchAll(COUNTED_LEVEL)) {
      const n = toNumber(m[1]);
      const noun = [...this.levelNouns.keys()].filter((k) => m[2].endsWith(k) || m[2].startsWith(k)).sort((a, b) => b.length - a.length)[0];
      const titles = noun ? this.levelNouns.get(noun)!.filter((t) => t.kind === 'subsection') : [];
      const parts = new Set(titles.map((t) => this.plan.subsections.find((s) => s.index === t.index)?.section));
      const [section] = parts;
      if (n && titles.length === n && parts.size === 1 && section !== undefined) return { kind: 'section', index: section };
    }
    return undefined;
  }

  /** The number a part or subsection is printed with (二、 → 2, (三) → 3). */
  private printedNumber(t: PartTitle): number | undefined {
    if (t.kind === 'section') return t.index;
    const no = this.plan.subsections.find((s) => s.index === t.index)?.no;
    return no === undefined ? undefined : toNumber(no);
  }

  /**
   * A part said by where it stands beside another named by its title (总体目标后面那一大块, 加工制造那节后面紧挨着的那一
   * 小节, 有关要求前面的那一大块): the next (or previous) one of the same level — a subsection only when one is named and
   * a 节 or 小块 asked for.
   */
  byPosition(said: string): SectionRef | undefined {
    // (quotes around a title, “有关要求”前面那一大块, say nothing)
    const text = said.replace(QUOTES, '');
    const between = BETWEEN.exec(text);
    if (between) return this.between(between[1], between[2]);
    const m = BESIDE.exec(text);
    if (!m) return undefined;
    const anchor = this.anchor(m[1]);
    if (!anchor) return undefined;
    const step = /前/.test(m[2]) ? -1 : 1;
    // (后面那个, the kind said elsewhere: the level of the part it stands beside)
    const small = m[3] === undefined ? anchor.kind === 'subsection' : /节|小块/.test(m[3]);
    if (small !== (anchor.kind === 'subsection')) return undefined;
    const list = anchor.kind === 'section' ? this.plan.sections : this.plan.subsections;
    const at = list.findIndex((p) => p.index === anchor.index);
    const next = at < 0 ? undefined : list[at + step];
    return next ? { kind: anchor.kind, index: next.index } : undefined;
  }

  /** A part named to say where another stands: by its title whole or in other words, or a piece only its title has (加工制造). */
  private anchor(said: string): SectionRef | undefined {
    const holding = this.titles.filter((t) => t.title.includes(said));
    return this.byTitle(said) ?? (holding.length === 1 ? { kind: holding[0].kind, index: holding[0].index } : undefined);
  }

  /** The one part between two of a level (夹在研发设计和检测维修中间的那一节). */
  private between(first: string, second: string): SectionRef | undefined {
    const [a, b] = [this.anchor(first), this.anchor(second)];
    if (!a || !b || a.kind !== b.kind) return undefined;
    const list = a.kind === 'section' ? this.plan.sections : this.plan.subsections;
    const [i, j] = [list.findIndex((p) => p.index === a.index), list.findIndex((p) => p.index === b.index)];
    return Math.abs(i - j) === 2 ? { kind: a.kind, index: list[Math.min(i, j) + 1].index } : undefined;
  }

  /** The subsection a task is in, else (or when its part is asked for) its part. */
  partOf(id: number, kind?: 'section'): SectionRef {
    const task = this.plan.tasks.find((t) => t.id === id);
    return task?.subsection !== undefined && kind !== 'section' ? { kind: 'subsection', index: task.subsection } : { kind: 'section', index: task?.section ?? -1 };
  }

  /** The smallest part holding two tasks, the ends of a span said (从社会治安到应急避险的那块): their subsection, else their part. */
  bySpan(first: number, last: number): SectionRef | undefined {
    if (first === last) return undefined;
    const sub = this.subsectionOf.get(first);
    if (sub !== undefined && sub === this.subsectionOf.get(last)) return { kind: 'subsection', index: sub };
    const part = this.sectionOf.get(first);
    return part !== undefined && part === this.sectionOf.get(last) ? { kind: 'section', index: part } : undefined;
  }

  /** How many of the words are in titles of the subsections inside a part (交流培养、创新创业 of 三大…支撑体系's). */
  inSubsectionTitles(words: string[], part: SectionRef): number {
    const titles = this.titles.filter((t) => t.kind === 'subsection' && this.within({ kind: 'subsection', index: t.index }, part)).map((t) => t.title);
    return words.filter((w) => titles.some((t) => t.includes(w))).length;
  }

  /**
   * The subsection (else part) in which most of three units or more each hold a task of their own, no other unit in it
   * (法院财政工信工会各自要担什么责那一节: the subsection of each unit's own duty) — when three or more, and three in four
   * of those named, do, in one place only.
   */
  byOwnUnits(units: string[]): SectionRef | undefined {
    if (units.length < 3) return undefined;
    const owners = new Map<string, Set<string>>();
    for (const t of this.plan.tasks) {
      if (t.departments.length !== 1 || !units.includes(t.departments[0])) continue;
      for (const key of [t.subsection !== undefined ? `subsection:${t.subsection}` : undefined, this.sectionOf.has(t.id) ? `section:${t.section}` : undefined]) {
        if (key) owners.set(key, (owners.get(key) ?? new Set()).add(t.departments[0]));
      }
    }
    const least = Math.max(3, Math.ceil(units.length * 0.75));
    // (a subsection before the part holding it: the finer place the units' duties are)
    const found = [...owners].filter(([, held]) => held.size >= least).sort((a, b) => b[1].size - a[1].size);
    const best = found.filter(([, held]) => held.size === found[0]?.[1].size);
    const sub = best.filter(([key]) => key.startsWith('subsection:'));
    const [key] = sub.length === 1 ? sub[0] : best.length === 1 ? best[0] : [];
    if (!key) return undefined;
    const [kind, index] = key.split(':');
    return { kind: kind as SectionRef['kind'], index: Number(index) };
  }

  /** The part or subsection holds at least one task. */
  hasTasks(ref: SectionRef): boolean {
    return this.plan.tasks.some((t) => (ref.kind === 'section' ? t.section : t.subsection) === ref.index);
  }

  /** The part or subsection `inner` lies in `outer` (or is it). */
  within(inner: SectionRef, outer: SectionRef): boolean {
    if (inner.kind === outer.kind) return inner.index === outer.index;
    return outer.kind === 'section' && this.plan.subsections.find((s) => s.index === inner.index)?.section === outer.index;
  }

  /**
   * A subsection pointed at by what its best tasks are about (人才公寓那节): more than half the weight of the tasks
   * ranked within 30% of the best lies in it. Asked for any part (看病、医院那一章), a task without a subsection counts
   * for its part.
   */
  byContent(ranked: ScoredTask[], parts: 'subsections' | 'any' | 'sections' = 'subsections'): SectionRef | undefined {
    const near = ranked.filter((r) => r.score >= (ranked[0]?.score ?? 0) * 0.7);
    // a task's subsection, or (asked for any part) its part when it has none: keys apart as 'subsection:3', 'section:2'
    const mass = new Map<string, number>();
    for (const r of near) {
      const sub = this.subsectionOf.get(r.id);
      const part = this.sectionOf.get(r.id);
      const key =
        sub !== undefined && parts !== 'sections' ? `subsection:${sub}` : parts !== 'subsections' && part !== undefined ? `section:${part}` : undefined;
      if (key) mass.set(key, (mass.get(key) ?? 0) + r.score);
    }
    const total = near.reduce((sum, r) => sum + r.score, 0);
    const [key, weight] = [...mass].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (key === undefined || weight === undefined || weight <= total / 2) return undefined;
    const [kind, index] = key.split(':');
    return { kind: kind as SectionRef['kind'], index: Number(index) };
  }
}
