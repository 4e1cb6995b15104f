import type { Plan } from '../plan/types.js';
import { askedAgainLater, asksOnlyDetail, endTasks, FIRST_TO_LAST, firstItemMention, itemsFromEnd, listedTaskNumbers, numberMentions, NUMERAL, opensWithDetailAsk, parseSectionRef, parseTaskNumber, toNumber, type SectionRef } from './numbers.js';
import type { PlanParts } from './parts.js';
import { subsectionCountedInPart } from './subsection-in-part.js';

/** An item counted after a part named by number (第二部分第3项, 第2部分的第三条, 第二部分里的第一个任务). */
const ITEM_IN_PART = new RegExp(`部[分份](?:的|里面?的?|中的?|下面?的?)?\\s*第\\s*(${NUMERAL})\\s*(?:项|条|个任务|个事项|点)`, 'u');

/** What a question names by number: a task, or a part (resolved to this plan's numbering). */
export type Numbered =
  | { kind: 'task'; taskNumber: number; rule: string }
  | { kind: 'tasks'; taskNumbers: number[]; rule: string }
  | { kind: 'part'; section: SectionRef; sectionAlternatives?: SectionRef[]; counted: boolean };

/**
 * Questions that name a task or a part by its number, however written: 第46项, 帮我看下第七点, 十二条说的是…吗,
 * 最后一条, 第十部分那个53; 第二部分第一小节, 第八个体系 (the plan's own word for its parts). Numbers need no ranking, so
 * they are read before anything else; a loosely said number only when the rest asks nothing else or is about that task.
 */
export class NumberedQuestions {
  /** The plan's task numbers, in order (头一条, 前三条, 最后两项). */
  private readonly ids: number[];

  constructor(
    private readonly plan: Plan,
    private readonly parts: PlanParts,
    /** The tasks a few words alone are about: the best and those scoring at least `share` of it. */
    private readonly tasksAbout: (words: string, share: number) => number[],
    /** Words that name no unit and nothing a task is about (核一下, 拉出来): asking, not a topic. */
    private readonly saysNothing: (words: string) => boolean = () => false,
  ) {
    this.ids = plan.tasks.map((t) => t.id);
  }

  /**
   * The number the text (as typed, not corrected by sound: 九项是 is no 九相适) names, if any. `asksWho`: the message asks
   * who does something — then a number said loosely with other words is no task number (the who-question ranks it).
   */
  read(typed: string, normalized: string, asksWho: boolean): Numbered | undefined {
    if (FIRST_TO_LAST.test(typed)) return undefined;
    // (an item counted from the end is read as its number: 第一项和最后一项, 倒数第二条)
    const plain = itemsFromEnd(typed, this.ids);
    // several tasks asked about at once (46、47是什么, 第46项和第47项分别是谁负责, 46到48项) — before parts: 46、 is no part
    const listed = listedTaskNumbers(plain) ?? endTasks(plain, this.ids, this.saysNothing);
    if (listed?.every((n) => this.plan.tasks.some((t) => t.id === n))) return { kind: 'tasks', taskNumbers: listed, rule: 'task numbers: several at once' };
    // a subsection counted within a part named before it by number or title (第二部分最后一个小块, 源头治理部分的第二小节)
    const inNamedPart = subsectionCountedInPart(plain, this.parts) ?? (normalized !== plain ? subsectionCountedInPart(normalized, this.parts) : undefined);
    if (inNamedPart) return { kind: 'part', section: inNamedPart, counted: false };
    const said = parseSectionRef(plain);
    // a part or subsection counted by the plan's own word for it (第八个体系; 第二部分的第五个行动计划: within that part;
    // 六大行动计划的第四个 — before task numbers: 第四个 alone would be task 4)
    const counted = this.parts.byLevelNoun(plain, said?.kind === 'section' ? said.index : undefined);
    if (counted && (!said || counted.kind === 'subsection')) return { kind: 'part', section: counted, counted: true };
    // an item counted within a part (第二部分第3项): that task if the part holds it, else the part's n-th
    const inPart = said?.kind === 'section' ? this.itemInPart(plain, said) : undefined;
    if (inPart !== undefined) return { kind: 'task', taskNumber: inPart, rule: 'task number: counted within a part' };
    const taskNumber = parseTaskNumber(plain);
    if (taskNumber !== undefined) return { kind: 'task', taskNumber, rule: 'task number' };
    if (said) {
      const numbered = this.parts.resolve(said);
      // a task of the part said by its number too (第十部分那个53): that task
      const mentioned = numberMentions(plain).find(({ n }) => n !== said.index && this.parts.within(this.parts.partOf(n), numbered.section));
      if (mentioned) return { kind: 'task', taskNumber: mentioned.n, rule: 'task number: within a part' };
      // a part that holds no task (一、指导思想) said with the title of one that does (第一部分 统筹两个市场那块): the title;
      // a part the plan does not have, when a subsection is printed with that number (section 12, 第十二部分): that one
      const empty = !this.parts.hasTasks(numbered.section);
      const titled = empty ? this.parts.byTitle(normalized, []) : undefined;
      if (titled && this.parts.hasTasks(titled)) return { kind: 'part', section: titled, counted: false };
      const sub = empty && said.kind === 'section' && said.part === undefined ? this.parts.resolve({ kind: 'subsection', index: said.index }) : undefined;
      return { kind: 'part', ...(sub && this.parts.hasTasks(sub.section) ? sub : numbered), counted: false };
    }
    // a number said loosely (帮我看下第七点, 十二条说的是高新区扩区吗): the task, when nothing else is asked in the message
    // or in its clause (四十六条说的啥？好像就一句话), or the rest is about that very task (said with 第, 第三十九 是不是养老
    // 那条: near the best, 养老 being in many tasks); the first item (头一条) is the plan's first (the last is read above)
    const end = firstItemMention(plain, this.ids[0] ?? 0);
    const mentions = end ? [end] : numberMentions(plain);
    for (const mention of mentions) {
      const { n, rest, clause, ordinal } = mention;
      if (!this.plan.tasks.some((t) => t.id === n)) continue;
      // (or it opens the message and its content is asked at once: 四十项讲的是什么体制来着; or a later clause asks for it:
      // …四十一条的进展，先把这条原文给我)
      if (asksOnlyDetail(rest) || asksOnlyDetail(clause) || opensWithDetailAsk(plain, mention) || askedAgainLater(plain, mention) || (!asksWho && this.tasksAbout(rest, ordinal ? 0.8 : 1).includes(n))) {
        return { kind: 'task', taskNumber: n, rule: 'task number: said loosely' };
      }
    }
    return undefined;
  }

  /** The task an item counted within a numbered part names: the task of that number if the part holds it, else its n-th. */
  private itemInPart(plain: string, said: SectionRef): number | undefined {
    const m = ITEM_IN_PART.exec(plain);
    const n = m ? toNumber(m[1]) : undefined;
    if (n === undefined) return undefined;
    const part = this.parts.resolve(said).section;
    const inside = this.plan.tasks.filter((t) => this.parts.within(this.parts.partOf(t.id), part)).map((t) => t.id);
    return inside.includes(n) ? n : inside[n - 1];
  }
}
