import type { DepartmentRegistry } from '../plan/departments.js';
import type { Understood } from './analysis.js';
import type { QuestionCues } from './cues.js';
import { FIRST_TO_LAST, NUMERAL, toNumber, type SectionRef } from './numbers.js';
import { PART_CUE, type PlanParts } from './parts.js';
import { examplesIn, listedExamples } from './examples.js';
import { ONE_ITEM } from './unit-topics.js';
import { clausesOf } from './normalize.js';

/** Which part something is in (是哪个小节里的, 在哪一部分, 属于哪块, 归哪一节, 是第几节). */
const WHERE_PART = /(?:是|在|属于|归|放在)(?:方案)?(?:的)?(?:哪(?:一|个)?|第几)(?:小?节|块|部[分份]|章)/u;
/** Which part, asked (归哪个部分, 在哪一节, 属于哪块): no question about units (归哪). */
const WHICH_PART = /(?:归|属于|在|是)?哪(?:一|个)?[大整]?(?:小?节|块|部[分份]|章)/gu;
/** A part asked for whole (那一大部分, 那一大块, 整个部分), not one of its subsections. */
const WHOLE_PART = /大(?:部分|块|项)|整个?部分/;
/** A part named as one (那一节, 第二部分, 小标题, 那一章), not only pointed at as 这块 / 那块. */
const NAMED_LEVEL = /节|部[分份]|章|小标题|板块|\b(?:part|section|chapter)\b/i;
/**
 * All of the plan's tasks asked for (所有, 全部条目, 从头到尾, 一条不落, 整份任务, 第一条到最后一条, 方案里都有哪些任务,
 * 整个通知的任务都拉出来) — not 整个方案 alone (整个方案多少项任务 asks how many).
 */
const EVERY_TASK = new RegExp(`所有|全部|全量|完整|整份|全文|从头到尾|一条不落|一个都不能?漏|全都|全列|列全|按顺序|(?:整个|整体)的?(?:任务|条目|清单)|整体过一遍|(?:一共|总共|都)有(?:哪些|什么|啥)|都(?:列|拉|调)出来|(?:整个|整份)(?:方案|通知|文件|意见)的?(?:分工)?(?:重点)?任务|有(?:哪些|什么|啥)(?:重点|主要)?(?:任务|条目|事项)|${FIRST_TO_LAST.source}`, 'u');
/** "That part" said of a plan (那部分, 那一大块, 整个部分), not a 章 to stamp. */
const THAT_PART = /[那这]一?个?[大整小]?块|一?[大整]块|[那这]一?[大整]?个?[大整]?部[分份]|整个?部[分份]/;
/** Its tasks asked to be listed (列一下, 清单, 发我, 都有哪些), not how many parts there are. */
const LIST_ASKED = /列|清单|发我|给我|给出|拉出|调出|都有哪些|都有啥|哪些任务|所有|全部/;
/** The plan itself named (这份方案, 那个通知, 整个文件). */
const PLAN_NOUN = /方案|通知|文件|意见|分工|\bplan\b/;
/** Every task said with no part pointed at (所有任务清单发我, 全部重点任务有哪些): the whole plan, as its name would. */
const EVERY_TASK_OF_PLAN = /(?:所有|全部|全量|完整)的?(?:重点|主要)?(?:任务|条目|事项|措施)/;
/** A unit named right before the plan is, in one clause (国办那个激励支持的通知, 国办发的那个意见). */
const ISSUER_BEFORE_PLAN = /\{部门\}(?:那个|那份|这个|这份|的|发的|印发的|关于)[^，,。；;？?！!{]{0,24}?(?:方案|通知|文件|意见)/u;
/** Words that only name the plan or ask for all of it. */
const PLAN_ONLY_WORD = /^(?:方案|通知|文件|意见|分工|分工方案|任务|重点任务|条目|清单|列表|重点|主要|所有|全部|全量|整个|完整|整份|整体|全文|从头|到尾|从头到尾|第一|最后|顺序|按顺序|内容|出来|发出|这份|那份|里面|一遍|列个|列出|一份|plan)$/;
/** A number of items said as a whole (这30条, 那六十一项, 全部30个): the plan named by its size when it is the plan's count. */
const COUNT_OF_ITEMS = new RegExp(`(?:这|那|全部|所有|整)\\s*(${NUMERAL})\\s*[条项个]`, 'gu');
/** A span of the plan by the work it runs from and to (从拓展两个市场一直到推广创新制度的那部分). */
const SPAN = /从([^，,。？?从]{2,16}?)(?:一直|一路)?到([^，,。？?]{2,16}?)(?:的|那|这)/u;
/** A part described by what it is about: 讲…的那一节 (那部分, 那一大块, 那个小块). */
const DESCRIBED_PART = /讲[^，,。？?]{4,}的[那这]一?个?[大小整]?(?:节|部[分份]|块)/u;
/** The tasks asked for, several (有哪些任务, 所有任务和牵头单位发我一下), not whose one task it is (是哪个单位的任务). */
const TASKS_LISTED = /(?:都|全部?)列出来|哪些[^，,。？?]{0,6}任务|哪几[项条]|哪几个任务|任务[^，,。？?]{0,4}(?:有哪些|有哪几|清单)|(?:所有|全部)的?(?:重点)?任务|有什么任务/;
/** The whole of a part or subsection asked for (整节发我, 整个小节, 一整块). */
const WHOLE_POINTER = /整个?(?:小?节|块|部[分份]|章)/;

/** A clause saying which unit will look at the answer (财政那边要看, 明天去教育局督查, 下周教育局来对接, 政法委要开会), units masked. */
const AUDIENCE =
  /^(?:明天|下午|上午|下周|今天|回头)?(?:我们|我)?(?:要|得)?(?:(?:去|到|跟|和|与)?\{部门\}(?:[和、跟]\{部门\})*(?:那边|这边|条线)?(?:要|得|需要|想|来|去)?(?:看|对一?下|核对|督查|检查|调研|对接|开会|汇报)[一下看会]*)$/u;

/** Every unit the question names is named in a clause of its own that only says who will look at the answer. */
export function unitsOnlyAsAudience(masked: string): boolean {
  const clauses = clausesOf(masked).filter((c) => c.includes('{部门}'));
  return clauses.length > 0 && clauses.every((c) => AUDIENCE.test(c));
}

/** How the engine ranks a few words alone (an example of several, a described task). */
export interface PartRanking {
  /** The best task, when the plan knows the words well enough. */
  bestTaskOf(words: string): number | undefined;
  /** The best task when it is plainly that one: scoring half again as much as the next. */
  decisiveTaskOf(words: string): number | undefined;
  /** Below this ranking score nothing is taken from the question. */
  minConfidence: number;
}

/**
 * A part or subsection a question asks for without its number: by its title (exactly, most of it, or its core words),
 * by a word pointing at it, by examples of what it holds, by the task the question describes, or by what its tasks are
 * about. Units named in such a question are only words describing the part (仲裁院调解中心和工会法律服务工作站那节).
 */
export class PartQuestions {
  constructor(
    private readonly parts: PlanParts,
    private readonly registry: DepartmentRegistry,
    private readonly cue: QuestionCues,
    private readonly ranking: PartRanking,
    /** The question asks which units (配合单位有哪几家): then no part is read from its examples. */
    private readonly asksForUnits: (text: string) => boolean,
    /** The plan's title: its stretches a question says (激励支持 of …加大激励支持力度的通知), and the title itself. */
    private readonly planTitle: { titleSpans(text: string): string[]; title: string },
  ) {}

  /**
   * Every task of the plan asked for: all of them (所有, 全部, 从头到尾), of the plan named (这份方案, 那个通知, its title's
   * words) or described by examples from all over it (讲商事制度改革、外贸外资、企业债券直通车的那个方案) — no unit, no
   * part of a plan of several parts.
   */
  wholePlanAsked(q: Understood): boolean {
    // (a flat list of measures has one part: "that part" of it is all of it, 激励支持那部分，任务都列一下)
    const flat = this.parts.flat && THAT_PART.test(q.normalized) && LIST_ASKED.test(q.normalized);
    // (with the units of each task asked too: 所有重点任务和责任单位)
    if ((q.who && !TASKS_LISTED.test(q.normalized)) || !(q.list || q.requestsList) || !(EVERY_TASK.test(q.normalized) || flat)) return false;
    const named = this.namedForms(q.normalized);
    const spans = this.planTitle.titleSpans(q.normalized);
    // (a stretch of the title that is only a unit's name, 国务院办公厅有哪些任务, names that unit, not the plan)
    const planNamed = PLAN_NOUN.test(q.normalized) || spans.some((t) => !named.some((f) => f.form.toLowerCase() === t)) || this.namesPlanSize(q.normalized);
    // (a unit named only inside the title said, 国务院办公厅关于…的通知, or as the plan's issuer right before the plan is
    // named, 国办那个激励支持的通知, is the title's)
    const issuer = q.departments.length === 1 && this.issued(q.departments[0]) && ISSUER_BEFORE_PLAN.test(q.masked);
    if (!issuer && q.departments.some((d) => !named.some((f) => f.names.includes(d) && spans.some((t) => t.includes(f.form.toLowerCase()))))) return false;
    if (this.parts.namesTitle(q.residual) || (PART_CUE.test(q.normalized) && this.parts.partsWithTasks > 1)) return false;
    // (the words left name the plan: its title's, 真抓实干激励那块)
    const planOnly = q.topicTerms.every((g) => this.planOnlyWord(g.term));
    // (every task asked with no other word, 所有任务清单发我一份: all the question's words, as no unit is named)
    const everyTask = EVERY_TASK_OF_PLAN.test(q.normalized) && !NAMED_LEVEL.test(q.normalized) && q.terms.groups.every((g) => this.planOnlyWord(g.term));
    // …or the plan is described by examples from all over it, or a span from its start to its end (flat: any span)
    const whole = (planNamed && planOnly) || everyTask || ((planNamed || flat) && this.examplesAllOver(q.normalized, flat)) || (flat && SPAN.test(q.normalized));
    // — unless, no unit named, the words beside the title's name a part by its title: 智慧协商调解有哪些任务 is (十八)
    // 加强智慧协商调解建设, though 协商调解 is the plan's title too
    const ownWords = whole && !q.departments.length ? q.terms.groups.map((g) => g.term).filter((w) => !this.planOnlyWord(w)) : [];
    return whole && !(ownWords.length && this.parts.byTitle(q.residual, ownWords));
  }

  private planOnlyWord(term: string): boolean {
    return PLAN_ONLY_WORD.test(term) || this.cue.LIST_FILLER.test(term) || this.planTitle.title.includes(term);
  }

  /** The plan's own count of tasks said of a whole (把这30条激励措施全部展开 of a plan of 30). */
  private namesPlanSize(text: string): boolean {
    return [...text.matchAll(COUNT_OF_ITEMS)].some((m) => toNumber(m[1]) === this.parts.taskCount);
  }

  /** Examples of different tasks, in different parts of a plan of several (three or more; two of a flat list). */
  private examplesAllOver(text: string, flat: boolean): boolean {
    const examples = listedExamples(text);
    if (!examples || examples.length < (flat ? 2 : 3)) return false;
    const ids = new Set(examples.map((e) => this.ranking.bestTaskOf(e)).filter((id) => id !== undefined));
    const parts = new Set([...ids].map((id) => this.parts.partOf(id, 'section').index));
    return flat ? ids.size >= 2 : ids.size >= 3 && parts.size >= 2;
  }

  partAsked(q: Understood): SectionRef | undefined {
    const { parts, cue, ranking } = this;
    // (a part's tasks asked for with their units, 那一小块有哪些任务，牵头单位是谁: the part's answer gives both)
    const withUnits = q.who && PART_CUE.test(q.normalized) && TASKS_LISTED.test(q.normalized);
    // (a title alone, typed as into a search box: 统筹两个市场, 物流分拨中心)
    const alone = q.who ? undefined : parts.titleAlone(q.normalized);
    if (alone && parts.hasTasks(alone)) return alone;
    if ((q.who && !withUnits) || !(q.list || cue.SECTION_CUE.test(q.normalized))) return undefined;
    const holding = this.whereTaskIs(q);
    if (holding) return holding;
    // one item asked where 这块 only says "this matter" (把调解这块纳入考核，这是哪条任务要求的): no part
    if (ONE_ITEM.test(q.cueText) && !q.list && !q.requestsList && !/编号/.test(q.normalized) && !NAMED_LEVEL.test(q.normalized)) return undefined;
    if (q.departments.length && !unitsOnlyAsAudience(q.masked)) return this.partWithUnits(q);
    const words = q.terms.groups.map((g) => g.term);
    const whole = WHOLE_PART.test(q.normalized);
    // (or its words said by another name the lexicon knows: 矛调中心那一节 for 参与社会矛盾纠纷调处中心建设)
    const otherNames = q.terms.groups.flatMap((g) => g.alternatives);
    const byTitle = parts.byTitle(q.residual, words) ?? parts.byTitle(`${q.residual} ${otherNames.join(' ')}`, [...words, ...otherNames]);
    const wholePart = whole && byTitle?.kind !== 'section' ? parts.pointedAt(q.residual, true) : undefined;
    // examples of what the part holds (企业家、技能人才、金融人才这类…的项目; 融资租赁、跨境电商、期货交割的那一节): inside the
    // part the title names, if the question names one whole
    const examples = examplesIn(q.normalized) ?? (PART_CUE.test(q.normalized) ? listedExamples(q.normalized) : undefined);
    // (units asked for outside the examples and the part asked about: 诉调对接 is an example, not 对接 asking whom to
    // contact; 归哪个部分 asks which part, not 归哪 which unit)
    const outside = (examples?.reduce((t, e) => t.replace(e, ' '), q.normalized) ?? q.normalized).replace(WHICH_PART, ' ');
    const byExamples =
      examples && (q.list || PART_CUE.test(q.normalized)) && !this.asksForUnits(outside) ? parts.byExamples(examples, (e) => ranking.bestTaskOf(e), whole) : undefined;
    const pointed = () => (PART_CUE.test(q.normalized) ? parts.pointedAt(q.residual, whole) : undefined);
    return (
      // (by the tasks it runs from and to: 从拓展两个市场一直到推广创新制度的那部分)
      (PART_CUE.test(q.normalized) ? this.bySpan(q.normalized) : undefined) ??
      // (by where it stands beside a part named: 总体目标后面那一大块 — not that part itself)
      parts.byPosition(q.normalized) ??
      (byExamples && this.examplesOverTitle(examples!, byExamples, byTitle ?? pointed(), q.residual, whole) ? byExamples : undefined) ??
      (wholePart?.kind === 'section' ? wholePart : byTitle) ??
      pointed() ??
      // (by how many subsections of the plan's word for them it has, none of them named: 五大中心的任务)
      parts.byCountOfLevel(q.normalized) ??
      // a subsection pointed at by what one of its tasks is about (人才公寓那节), when the plan knows the subject well
      (cue.POINTED_SUBSECTION.test(q.normalized) && q.confidence >= ranking.minConfidence && q.coverage >= 0.8 ? parts.byContent(q.ranked) : undefined) ??
      // any part pointed at (那一章, 那部分, 那一块) by what its tasks are about, its list asked for (看病、医院那一章列一下)
      // — not a question about units (金融高管人才引进那块，配合单位有哪几家)
      // (the whole part asked for, 那一大部分: the part of those tasks, not their subsection; the tasks agreeing on one
      // part is the evidence, however weakly each is ranked: 看病就医、医院建设这一大块)
      (PART_CUE.test(q.normalized) && q.list && !this.asksForUnits(q.normalized)
        ? parts.byContent(q.ranked, whole ? 'sections' : 'any')
        : undefined)
    );
  }

  /** The unit's name, or its full name, is in the plan's title: it issued the plan (国务院办公厅关于…的通知). */
  private issued(name: string): boolean {
    const unit = this.registry.departments.find((d) => d.name === name);
    return !!unit && [unit.name, unit.fullName].some((n) => n.length >= 2 && this.planTitle.title.includes(n));
  }

  /** The units' names as the question writes them. */
  private namedForms(normalized: string) {
    return this.registry.surfaceForms().filter((f) => normalized.includes(f.form.toLowerCase()));
  }

  /** The part a span said runs over (从社会治安到应急避险的), each end plainly one task. */
  private bySpan(text: string): SectionRef | undefined {
    const m = SPAN.exec(text);
    const [first, last] = m ? [this.ranking.decisiveTaskOf(m[1]), this.ranking.decisiveTaskOf(m[2])] : [];
    return first !== undefined && last !== undefined ? this.parts.bySpan(first, last) : undefined;
  }

  /** A part a question naming units asks for: the units are words of its title, or said after examples of it. */
  private partWithUnits(q: Understood): SectionRef | undefined {
    const { parts } = this;
    // units named only as words of a title (仲裁院调解中心和工会法律服务工作站那节): that title's part — a part pointed
    // at, not only items counted (总工会那边跟劳动法律监督有关的是哪几条 is the unit's list)
    if (!this.cue.SECTION_CUE.test(q.normalized) || !PART_CUE.test(q.normalized)) return undefined;
    // (or in other words: 仲裁院里设调解中心、工会进驻工作站的那一小节)
    const titled = parts.byTitle(q.normalized, q.terms.groups.map((g) => g.term));
    const section = titled ?? parts.pointedAt(q.residual);
    const title = section && parts.titleOf(section);
    const named = this.namedForms(q.normalized);
    if (title && q.departments.every((d) => named.some((f) => f.names.includes(d) && title.includes(f.form.toLowerCase())))) {
      // (…unless that subsection is one of several examples of the 部分 they make up: 讲调解组织建设、仲裁院调解中心、
      // 调解规范化的那个部分)
      const whole = this.byListedExamples(q, 3);
      return whole?.kind === 'section' && section.kind === 'subsection' && this.parts.within(section, whole) && /部[分份]/.test(q.residual) && !/节/.test(q.residual) ? whole : section;
    }
    // …or named by its title with the whole of it asked for, or its title said whole and no list of the unit asked
    // (协助开展协商那节…整节发我; 保障工作经费那一节，财政给钱的那个)
    if (titled && (WHOLE_POINTER.test(q.normalized) || (parts.namesTitle(q.residual) && !q.requestsList))) return titled;
    // …or said after three examples or more of what the part holds (低保、养老院、优抚安置、慈善福彩这些民政的活在哪一块;
    // 讲企业内部协商、工会帮着协商、和解协议这些的那一大部分): the unit's line of work describes the part, it is not
    // whose list is asked for — examples without the units first, then with them
    // (two are enough inside a description of the part: 讲工会设协商室、社会力量开展协商咨询代理服务的那一节)
    // …or described by the units that each hold a task of their own in it, said to (各自, 分别) in a part named as one
    // (法院财政工信工会各自要担什么责那一节 — not 总工会在仲裁院和法院设工作站是第几条)
    const eachInPart = /各自|分别/.test(q.normalized) && NAMED_LEVEL.test(q.normalized);
    return this.byListedExamples(q, DESCRIBED_PART.test(q.normalized) ? 2 : 3) ?? (eachInPart ? parts.byOwnUnits(q.departments) : undefined);
  }

  /** The part that `least` examples or more listed before the units agree on — examples without the units first, then with them. */
  private byListedExamples(q: Understood, least: number): SectionRef | undefined {
    const whole = WHOLE_PART.test(q.normalized);
    for (const [text, at] of [[q.masked, (e: string) => q.masked.indexOf(e)], [q.normalized, (e: string) => q.normalized.indexOf(e)]] as const) {
      const examples = listedExamples(text);
      const listedAt = examples ? at(examples[0]) : -1;
      if (!examples || examples.length < least || listedAt < 0 || q.masked.indexOf('{部门}') < listedAt) continue;
      const part = this.parts.byExamples(examples, (e) => this.ranking.bestTaskOf(e), whole);
      if (part) return part;
    }
    return undefined;
  }

  /**
   * The part the examples agree on is taken over the one a title seems to name: when it lies inside that one, or when
   * three examples or more agree (or two, each plainly about one task) and no title is named whole — not when the title's
   * part lies inside it (讲产业提升、企业家和技能人才的那一小节: the subsection, unless the whole part is asked for), nor for two
   * examples that only lean to a task (抓前端、从源头上防争议的那一大部分: 源头治理).
   */
  private examplesOverTitle(examples: string[], byExamples: SectionRef, byTitle: SectionRef | undefined, residual: string, whole: boolean): boolean {
    const { parts } = this;
    if (!byTitle || parts.within(byExamples, byTitle)) return true;
    // (examples that are the titles of its subsections describe the part named: 支撑体系那个大块（交流培养、创新创业、服务保障那些）)
    if (byTitle.kind === 'section' && parts.inSubsectionTitles(examples, byTitle) >= 2) return false;
    // the whole part asked for (整个部分) — or a 部分, not a 节, by examples from several of its subsections (讲争议预防、风险
    // 监测预警和隐患排查的那一部分) —, a subsection of it named by title
    const partNotSubsection = /部[分份]/.test(residual) && !/节/.test(residual);
    if (parts.within(byTitle, byExamples)) return (whole || partNotSubsection) && byExamples.kind === 'section';
    if (parts.namesTitle(residual)) return false;
    // …or two examples each plainly about one task of it (开劳资恳谈会、设意见箱那种: not 抓前端、从源头上防争议)
    const plainly = examples.map((e) => this.ranking.decisiveTaskOf(e)).filter((id) => id !== undefined && parts.within(parts.partOf(id), byExamples));
    return examples.length >= 3 || plainly.length >= 2;
  }

  /**
   * Which part holds the task a question describes, when it asks that and for the part (工会设协商室那条是哪个小节里的？
   * 把那小节都发下): the task's subsection, or its part when a part is asked — only when the task is plainly one.
   */
  private whereTaskIs(q: Understood): SectionRef | undefined {
    const [best, next] = q.ranked;
    const asked = WHERE_PART.exec(q.normalized)?.[0];
    if (!asked || !best || best.score < this.ranking.minConfidence || best.score < 1.5 * (next?.score ?? 0)) return undefined;
    // the part asked for as asked: 哪个部分 / 哪一章 the part, 第几节 / 哪一块 the subsection (or the part, without one)
    const part = this.parts.partOf(best.id, /部[分份]|章/.test(asked) ? 'section' : undefined);
    return this.parts.hasTasks(part) ? part : undefined;
  }
}
