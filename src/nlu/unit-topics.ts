import type { DepartmentRegistry } from '../plan/departments.js';
import type { QuestionCues } from './cues.js';
import type { ListRequests } from './list-requests.js';
import type { QueryTerms, TaskIndex } from './search.js';
import { segment } from './tokenize.js';
import { clausesOf } from './normalize.js';

/** The words that close a topic said as such (…相关, …沾边, …这块). */
const FRAME_ENDS = '相关|有关|方面|[这那][一两几]?块|沾边|领域';
/** A topic said as such: 跟X相关, 在X方面, 关于X这块, 跟X、Y这些有关 (not the 在 of 现在, 正在 …). */
export const TOPIC_FRAME = new RegExp(`(?:跟|和|与|(?<![现正实存所])在|关于|涉及)(\\p{Script=Han}[\\p{Script=Han}、]{1,15}?)(?:${FRAME_ENDS})`, 'gu');
/** The words that bring in a topic said after them (关于, 涉及, 提到, 讲 of 讲X的 — not 演讲, 宣讲). */
const BRINGS_TOPIC = '关于|涉及|提到|牵扯到?|(?<![演宣])讲(?:到|的是)?|说到|谈到';
/** A topic said after the word that brings it in, to the end of its phrase (涉及残疾人的, 关于居家养老). */
const SAID_AFTER = new RegExp(`(?:${BRINGS_TOPIC})(\\p{Script=Han}[\\p{Script=Han}、]{1,15}?)(?:的|[，,。？?！!\\s]|$)`, 'gu');
/** A word that brings in a topic, before what is no unit ({部门}) and no 的 (涉及的 of the unit's own tasks). */
const BROUGHT_IN = new RegExp(`(?:${BRINGS_TOPIC})(?!的|\\{)[\\p{Script=Han}a-z]`, 'u');
/** The same, to test a question for one (a global pattern keeps its place between tests). */
export const HAS_TOPIC_FRAME = new RegExp(TOPIC_FRAME.source, 'u');
/**
 * The question (units masked as {部门}) says its topic as such: 跟X相关, 关于X, 涉及X, 提到X, 讲X的 — not a unit in the frame
 * (涉及组织部的), nor 涉及的 of the unit's own tasks.
 */
export function saidAsTopic(masked: string): boolean {
  return (
    HAS_TOPIC_FRAME.test(masked) ||
    BROUGHT_IN.test(masked) ||
    // (right after the unit: 政法委考核这块, 财政那块儿, 海关总署研发相关的)
    /\{部门\}(?:这边|那边)?\p{Script=Han}{2,8}?(?:[这那][一两几]?块|方面|相关|有关)/u.test(masked)
  );
}

/** A topic closed by 相关 / 这块 right after a unit's name (财政局残疾人相关), read from where the name ends. */
const AFTER_UNIT = new RegExp(`(?:这边|那边)?(\\p{Script=Han}{2,8}?)(?:${FRAME_ENDS})`, 'uy');
/** …or closed by 那块 / 这方面 right before it (残疾人那块财政局), read up to where the name begins. */
const BEFORE_UNIT = /(?:^|[，,。？?！!])(\p{Script=Han}{2,8}?)(?:这|那)一?(?:块|方面)$/u;
/** The asker's own unit (我们工信局管中小企业这块，涉及我们的条目有哪些): described, not given a topic. */
const OWN_UNIT_BEFORE = /(?:我们|咱们|我)$/u;

/** The topics said right beside each of the unit names the question says. */
function besideUnits(text: string, names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      const before = text.slice(0, at);
      if (!OWN_UNIT_BEFORE.test(before)) {
        AFTER_UNIT.lastIndex = at + name.length;
        const after = AFTER_UNIT.exec(text);
        if (after) out.push(after[1]);
      }
      const ahead = BEFORE_UNIT.exec(before);
      if (ahead) out.push(ahead[1]);
    }
  }
  return out;
}

/** A piece that asks rather than names (涉及哪几家). */
const ASKING = /哪|几|什么|啥|谁/u;
/** Where a framed topic ends (…相关的, …有关, …沾边, …方面, …这块). */
const FRAME_END = new RegExp(`(?:这|那)?一?(?:${FRAME_ENDS})`, 'gu');

/**
 * The topics framed in a question: each clause up to a frame's end, from after the last unit named, 跟 / 关于 / 涉及 / 在
 * or 的 before it (人社这块跟培训沾边的 → 培训; 商务牵头的里面，维修和再制造相关的 → 维修和再制造).
 */
export function framedSpans(normalized: string, unitForms: string[]): string[] {
  const out: string[] = [];
  for (const m of normalized.matchAll(FRAME_END)) {
    const before = normalized.slice(0, m.index);
    let span = before.slice(before.search(/[^，,。；;？?！!\s]*$/u));
    for (const form of unitForms) {
      const at = span.lastIndexOf(form);
      if (at >= 0) span = span.slice(at + form.length);
    }
    span = span.replace(/^.*(?:跟|关于|涉及|(?<![现正实存所])在|的|里面|里头|当中)/u, '');
    // (和 joining the unit to it, not the 和 of 和解协议)
    if (/^(?:和|与|同)$/u.test(segment(span)[0] ?? '')) span = span.slice(1);
    if (span && !ASKING.test(span)) out.push(span);
  }
  return out;
}

/** The pieces of a topic framed as a list (跟医疗、养老、就业相关的): each an example of what is asked about. */
export function framedExamples(normalized: string): string[] {
  return [...normalized.matchAll(TOPIC_FRAME)].flatMap((m) => (m[1].includes('、') ? m[1].split('、').filter((p) => p.length >= 2) : []));
}

/** Phrases quoted in the question (提到“劳动法律监督”的, 跟"先行先试"有关): words the asker means word for word. */
export function quotedPhrases(normalized: string): string[] {
  return [...normalized.matchAll(/[“"「『]([^”"」』]{2,16})[”"」』]/gu)].map((m) => m[1]);
}

/** A clause that guesses (…那几条吧, 是不是也算, 应该也在里面吧, 好像是). */
const HEDGED = /(?:吧|吧[?？])$|是不是|应该|可能|估计|好像|大概|不确定/u;

/** The whole list asked for in so many words (全部列出来, 总共涉及哪些, 任务清单, 涉及哪些任务): no topic narrows it. */
export const WHOLE_LIST = /全部|全都|全梳理|全列|列全|所有|总共|一共|清单|(?:关于|涉及|提到)(?:哪|什么|啥|几)/u;

/**
 * One item asked for (是哪一项, 哪条, 是第几条, 给个编号, 那条是几号, task number?) or pointed at (财政部 扶贫资金奖励那条 — not
 * when its units are checked after it: 那条是不是只有财政部), not several (哪几项, 有哪些, 所有任务编号).
 */
export const ONE_ITEM = /^(?!.*(?:所有|全部|全都|一共))(?=.*(?:哪一?[项条个]|那一?[项条](?!.*(?:吗|吧|呢|是不是|是否|有没有|有份|一家|只有|单独|分工|牵头|配合|负责|谁|哪个部门))|第几[项条个]?|编号|[条项个]\s*是\s*(?:几|多少)号|\btask (?:number|no)\b|\bwhich (?:task|item)\b))(?!.*(?:哪些|哪几))/u;

/** A word of one unit's names in more than this share of the tasks is how the plan speaks (保障), not a topic. */
const COMMON_SHARE = 0.25;

/** The topic a request for a unit's tasks narrows them to: its terms, and how well the plan knows them. */
export interface UnitTopic {
  topicTerms: QueryTerms['groups'];
  topicCoverage: number;
}

export const NO_TOPIC: UnitTopic = { topicTerms: [], topicCoverage: 0 };

/**
 * What a request for a unit's tasks is about, besides the unit (总工会关于协商的任务: 协商): the question's terms without
 * the words naming the unit, the plan, the asker's purpose or a list.
 */
export class UnitTopics {
  /** Words shared by the names of several units (办公室, 管理, 委员会): describing a department, not a topic. */
  private readonly departmentWords: Set<string>;
  /**
   * Every word of a unit's names: a topic only of one item asked for (发改委 金融人才 哪条: 金融 of 市金融办) and when the
   * plan's tasks seldom have it (not 保障 of 市人力资源和社会保障局).
   */
  private readonly unitWords: Set<string>;

  constructor(
    private readonly registry: DepartmentRegistry,
    private readonly requests: ListRequests,
    private readonly index: TaskIndex,
    private readonly cue: QuestionCues,
  ) {
    const unitsOf = new Map<string, Set<string>>();
    for (const f of registry.surfaceForms())
      for (const word of segment(f.form.toLowerCase())) for (const name of f.names) unitsOf.set(word, (unitsOf.get(word) ?? new Set()).add(name));
    this.departmentWords = new Set([...unitsOf].filter(([, units]) => units.size > 1).map(([word]) => word));
    this.unitWords = new Set(unitsOf.keys());
  }

  /** The terms of a unit's list request that are its topic, and how well the plan knows them. */
  of(normalized: string, terms: QueryTerms, departments: string[]): UnitTopic {
    const { requests, index } = this;
    // the item said beside a request for the rest is one the asker knows: no topic (农业局…我们只看到食品那条，还有别的吗)
    if (requests.restAsked(normalized)) return NO_TOPIC;
    // words of a named department's own names (工信局管中小企业这块: 中小企业主管部门) describe it, not a topic
    const ownNames = this.registry.surfaceForms().filter((f) => f.names.some((n) => departments.includes(n)));
    // words that only name the plan itself (在人才集聚工程里, 这份分工方案, 重点任务) are no topic either, nor the asker's
    // purpose (…，我要做台账)
    const topicText = requests.withoutPlanReference(requests.withoutPurpose(normalized));
    // the plan's field as its title names it (在劳动人事争议这块): no topic, nor the pieces of that name
    const titled = requests.titleSpans(normalized);
    // …but a word framed as a topic is one, though a unit's name has it (财政部跟科技相关的那项, 发改委在水利方面负责的,
    // 工信跟中小企业服务有关的: 中小企业 of its own name 中小企业主管部门)
    // (or said after 涉及 / 关于 / 提到 alone: 卫生局有没有涉及残疾人的任务, 残疾人 of 市残疾人联合会)
    // (…or closed by 相关 / 这块 right after the unit or before it: 财政局残疾人相关任务, 残疾人那块财政局有份吗)
    const namesSaid = ownNames.map((f) => f.form.toLowerCase()).filter((form) => normalized.includes(form));
    const framed = [...[...normalized.matchAll(TOPIC_FRAME), ...normalized.matchAll(SAID_AFTER)].map((m) => m[1]), ...besideUnits(normalized, namesSaid)].filter(
      (f) => !ASKING.test(f),
    );
    // (but not the unit itself, said again: 公安局…把涉及公安的条目都给我)
    const isFramed = (term: string) =>
      framed.flatMap((f) => f.split(/[和与及、]/u)).some((piece) => piece.includes(term) && !namesSaid.some((form) => form.includes(piece)));
    const oneItem = ONE_ITEM.test(normalized);
    const topicTerms = terms.groups.filter(
      (g) =>
        !this.cue.LIST_FILLER.test(g.term) &&
        (!this.departmentWords.has(g.term) || isFramed(g.term)) &&
        (!this.unitWords.has(g.term) || (oneItem && index.taskShare(g.term) <= COMMON_SHARE) || isFramed(g.term)) &&
        (!ownNames.some((f) => f.form.includes(g.term)) || isFramed(g.term)) &&
        topicText.includes(g.term) &&
        !index.isSubject(g) &&
        !titled.some((t) => t.includes(g.term)),
    );
    // a topic framed as such is what the list is narrowed to: the words around it tell the asker's story (明天局里开调度会，
    // 我得汇报人社这块跟培训沾边的任务) — all of its clause before the frame's end after the unit named (维修和再制造相关的)
    const spans = framedSpans(normalized, ownNames.map((f) => f.form.toLowerCase()));
    const inFrame = topicTerms.filter((g) => spans.some((f) => f.includes(g.term)));
    const kept = inFrame.length ? inFrame : topicTerms;
    // English words beside a topic said in Chinese (foreign experts外国专家, cross-border跨境的) only repeat it
    const han = kept.filter((g) => /\p{Script=Han}/u.test(g.term));
    const said = han.length ? han : kept;
    // the whole list asked for, the topic only guessed at or told of beside the request (经费保障那几条吧？…全部列出来;
    // 会上说养老、救助这块进度偏慢…列个清单): what the asker thinks the list holds, not what narrows it
    // (not one item asked for, 这个事，政法委涉及哪条, nor the units of the work, 涉及哪些部门)
    const wholeAsked = WHOLE_LIST.test(normalized) && !oneItem && !this.cue.WHO_CUE.test(this.cue.plainCues(normalized));
    if (said.length && wholeAsked && said.every((g) => this.besideRequest(normalized, g.term))) return NO_TOPIC;
    return { topicTerms: said, topicCoverage: said.length ? index.coverage({ ...terms, groups: said }) : 0 };
  }

  /**
   * Every clause saying the term is beside the request: it guesses (…那几条吧, 是不是也算), or neither asks for the list nor
   * frames a topic (会上说养老、救助这块进度偏慢; 我们主任说留交会那条肯定有).
   */
  private besideRequest(text: string, term: string): boolean {
    const holding = clausesOf(text).filter((c) => c.includes(term));
    return holding.length > 0 && holding.every((c) => HEDGED.test(c) || (!this.requests.asks(this.cue.plainCues(c)) && !HAS_TOPIC_FRAME.test(c)));
  }
}
