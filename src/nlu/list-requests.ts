import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from '../plan/load.js';
import type { Plan, Task } from '../plan/types.js';
import type { SectionRef } from './numbers.js';
import { bigrams, clausesOf, normalize } from './normalize.js';

/** Only what a unit leads, or only what it supports (asked when the plan prints 牵头 and 配合 apart). */
export type Role = 'lead' | 'support';

export interface ListRequestWords {
  request: RegExp[];
  planNames: string[];
  purpose: RegExp;
  genericTasks: RegExp;
  lead: RegExp;
  support: RegExp;
  both: RegExp;
  together: RegExp;
  each: RegExp;
  /** The other role named as whom the unit works with (跟各牵头单位对接): not the role asked for. */
  counterpart: RegExp;
  /** The rest asked for beside an item already known (食品那条我们知道，还有别的吗): the whole list, that item no topic. */
  rest: RegExp;
  /** A role said as unwanted (配合的不算, 不要牵头的, not lead), per role. */
  notLead: RegExp;
  notSupport: RegExp;
}

export function loadListRequestWords(dir = path.join(DATA_ROOT, 'lexicon')): ListRequestWords {
  const raw = JSON.parse(readFileSync(path.join(dir, 'list-requests.json'), 'utf8')) as Record<string, string | string[]>;
  const re = (key: string, flags = 'u') => new RegExp(raw[key] as string, flags);
  return {
    request: (raw.request as string[]).map((p) => new RegExp(p, 'u')),
    planNames: raw.planNames as string[],
    purpose: re('purpose'),
    genericTasks: re('genericTasks', 'gu'),
    lead: re('lead'),
    support: re('support'),
    both: re('both'),
    together: re('together'),
    each: re('each'),
    counterpart: re('counterpart', 'gu'),
    rest: re('rest'),
    notLead: negated(raw, raw.lead as string),
    notSupport: negated(raw, raw.support as string),
  };
}

/** A role word with a negation before it (不要配合的, 不牵头, 不是我们牵头的) or right after it (配合的不算, 配合单位除外, 配合的先不用列). */
function negated(raw: Record<string, string | string[]>, role: string): RegExp {
  const before = raw.notRoleBefore as string;
  const after = raw.notRoleAfter as string;
  return new RegExp(`(?:${before})[\\s（(]*(?:我们|咱们|我)?(?:${role})|(?:${role})(?:的|单位|任务|项目|事项|那些|这些|部分|那?几?[条项个]|别人的?|别家的?)*[\\s，,、）)]*(?:先|就|暂时|暂且|都|也)?(?:${after})`, 'gu');
}

/**
 * English words in Chinese, longest first, from a table of data/lexicon (lexicon.ts): unit words (unit-words-en.json:
 * education bureau → 教育局, HR → 人社, finance → 财政), for finding a unit in a question that names it in English;
 * topic words (topic-words-en.json: employment → 就业, barrier-free → 无障碍), read as Chinese wherever they stand.
 */
export class EnglishWords {
  private readonly pattern?: RegExp;
  private readonly words: Map<string, string>;

  constructor(table: Record<string, string>) {
    this.words = new Map(Object.entries(table).map(([en, zh]) => [en.toLowerCase(), zh]));
    const keys = [...this.words.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (keys.length) this.pattern = new RegExp(`\\b(?:${keys.join('|')})\\b`, 'g');
  }

  /** The (lower-case) text with its English words in Chinese, the spaces between Chinese characters dropped. */
  translate(text: string): string {
    if (!this.pattern || !/[a-z]/.test(text)) return text;
    return text.replace(this.pattern, (w) => this.words.get(w) ?? w).replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1');
  }
}

/** Two units, each with its role: 教育局牵头、人社局配合 / 人社局配合卫生局牵头 (the roles differ). */
const ROLE_PAIR = /(\S{2,16}?)(牵头|主办|主责)[、，,\s]*(?:由|我们|咱们)?(\S{2,12}?)(配合|参与|协助|协办)|(\S{2,16}?)(配合|参与|协助|协办)(\S{2,12}?)(牵头|主办|主责)/u;
/** …or one unit's role inside the tasks another leads: 市财政在卫生局牵头的那些任务里配合了哪几条. */
const ROLE_WITHIN = /([^\s，,。；;？?！!、]{2,16}?)在([^\s，,。；;？?！!、]{2,12}?)(牵头|主办|主责)的[^，,。；;？?]{0,12}?(配合|参与|协助|协办)/u;

/** A stretch naming the plan is at least this share the plan title's bigrams (劳动争议协商调解 for 劳动人事争议协商调解). */
const TITLE_SHARE = 0.6;

/**
 * How a request for a unit's tasks is put (data/lexicon/list-requests.json): whether it asks for a list, the words in it
 * that only name the plan itself ("在人才集聚工程里", "这份分工方案", "重点任务") and so are no topic, and whether it
 * asks only for what the unit leads or only for what it supports.
 */
export class ListRequests {
  private readonly titleBigrams: Set<string>;
  /** The plan's title as questions are normalised, without spaces. */
  readonly title: string;
  private readonly planReference: RegExp;
  /** Whether the plan prints lead and supporting units apart (a 牵头 column). */
  readonly hasRoles: boolean;

  constructor(
    private readonly plan: Plan,
    private readonly words: ListRequestWords,
  ) {
    this.title = normalize(plan.title ?? '').replace(/\s+/g, '');
    this.titleBigrams = new Set(bigrams(this.title));
    const names = [...words.planNames].sort((a, b) => b.length - a.length).join('|');
    // (这份|那个|本…) 方案 (里): the stretch before it is checked against the title in withoutPlanReference
    this.planReference = new RegExp(`((?:这|那|本|该|整)一?(?:份|个|项|部)?)?(?:${names})(?:里面|里|中|内|当中|上)?`, 'gu');
    this.hasRoles = plan.tasks.some((t) => t.lead.length > 0);
  }

  /** The unit is among the task's units, in the role asked (lead / support) when one is. */
  holds(task: Task | undefined, unit: string, role?: Role): boolean {
    if (!task?.departments.includes(unit)) return false;
    return role === 'lead' ? task.lead.includes(unit) : role === 'support' ? !task.lead.includes(unit) : true;
  }

  /** The tasks of a part (or subsection) that all the units hold, in the role asked when one is. */
  tasksInPart(section: SectionRef, units: string[], role?: Role): number[] {
    const inPart = (t: Task) => (section.kind === 'section' ? t.section : t.subsection) === section.index;
    return this.plan.tasks.filter((t) => inPart(t) && units.every((d) => this.holds(t, d, role))).map((t) => t.id);
  }

  /** The stretches of the question, four characters or more, that are words of the plan's title (劳动人事争议, 民生幸福). */
  titleSpans(normalized: string): string[] {
    const spans: string[] = [];
    for (let i = 0; i + 4 <= this.title.length; i++) {
      let end = i + 4;
      if (!normalized.includes(this.title.slice(i, end))) continue;
      while (end < this.title.length && normalized.includes(this.title.slice(i, end + 1))) end++;
      spans.push(this.title.slice(i, end));
      i = end - 1;
    }
    return spans;
  }

  /** The question (啥 → 什么 already) asks for a list. */
  asks(cueText: string): boolean {
    return this.words.request.some((p) => p.test(cueText)) || this.restAsked(cueText);
  }

  /** The rest of a unit's items asked for beside one already known (…那条我们知道，还有别的吗). */
  restAsked(text: string): boolean {
    return this.words.rest.test(text);
  }

  /**
   * The question without the words that only name the plan itself or tasks in general: what is left may be a topic.
   * A plan noun (方案, 意见, 工程 …) names the plan with the stretch of the title's words before it (在人才集聚工程里,
   * 劳动争议协商调解这份分工方案), or alone after a demonstrative or 在 (这个意见, 在方案里).
   */
  withoutPlanReference(text: string): string {
    let out = '';
    let from = 0;
    for (const m of text.matchAll(this.planReference)) {
      const at = m.index!;
      // (the title's words joined to the noun by 的: 提振信心的政策)
      const before = text.slice(Math.max(from, at - 16), at);
      const joined = before.endsWith('的') && this.titleStretch(before.slice(0, -1)) > 0 ? 1 : 0;
      const start = at - joined - this.titleStretch(joined ? before.slice(0, -1) : before);
      const lead = text.slice(Math.max(from, start - 2), start);
      const opener = /(?:在|就是)$/.exec(lead)?.[0] ?? '';
      // …or alone, followed by where in it (文件里有它的事吗)
      if (start === at && !m[1] && !opener && !/(?:里面|里|当中|中)$/.test(m[0])) continue;
      out += text.slice(from, start - opener.length) + ' ';
      from = at + m[0].length;
    }
    return (out + text.slice(from)).replace(this.words.genericTasks, ' 任务 ');
  }

  /**
   * The question without the clauses that say what the asker will do with the list (…有哪些，我要做台账; 做明年预算要用):
   * the words there are no topic. The clause that asks for the list is kept whatever it says.
   */
  withoutPurpose(text: string): string {
    const kept: string[] = [];
    const clauses = clausesOf(text);
    for (const [i, clause] of clauses.entries()) {
      const asks = this.asks(clause);
      // (the purpose said first, the request after it: 下周要跟各牵头单位对接，把…的条目拉一下)
      const requestAfter = i === 0 && clauses.slice(1).some((c) => this.asks(c));
      if ((i > 0 || requestAfter) && !asks && this.words.purpose.test(clause)) continue;
      // said in one breath after the request (normalising drops the space: 财政局涉及哪几条做明年预算要用, 所有活都列出来我们要做台账,
      // 分了什么任务我看看要不要报进度)
      kept.push(asks ? clause.slice(0, this.purposeAfter(clause, this.requestEnd(clause))) : clause);
    }
    return kept.join(' ');
  }

  /** Where a purpose said after `from` begins in a clause (the clause's length when none is). */
  private purposeAfter(clause: string, from: number): number {
    for (let at = from; at < clause.length; at++) if (this.words.purpose.test(clause.slice(at))) return at;
    return clause.length;
  }

  /** Where the last-ending wording of a list request in a clause ends. */
  private requestEnd(clause: string): number {
    let end = 0;
    for (const p of this.words.request) {
      const m = p.exec(clause);
      if (m) end = Math.max(end, m.index + m[0].length);
    }
    return end;
  }

  /** Length of the longest end of `before` made mostly of the title's bigrams and opening with one of them. */
  private titleStretch(before: string): number {
    const chars = [...before];
    let best = 0;
    for (let k = 2; k <= chars.length; k++) {
      const piece = chars.slice(chars.length - k).join('');
      if (!/^\p{Script=Han}+$/u.test(piece)) break;
      const bs = bigrams(piece);
      if (!this.titleBigrams.has(bs[0])) continue;
      if (bs.filter((b) => this.titleBigrams.has(b)).length / bs.length >= TITLE_SHARE) best = k;
    }
    return best;
  }

  /**
   * Several units asked for together (共同负责, 都参与): their shared tasks rather than each one's list — unless each
   * one's is said outright (分别有哪些任务，一起列给我; 各自的任务，两家都要).
   */
  together(text: string): boolean {
    return this.words.together.test(text) && !this.words.each.test(text);
  }

  /**
   * Each of two units in the role the question gives it (教育局牵头、人社局配合的; 人社局配合卫生局牵头的), when the plan
   * prints roles: `unitsIn` names the units a stretch of the question names. Undefined when it gives none.
   */
  rolesGiven(text: string, unitsIn: (piece: string) => string[]): Array<{ department: string; role: Role }> | undefined {
    if (!this.hasRoles) return undefined;
    // [unit, its role, other unit, its role]
    const within = ROLE_WITHIN.exec(text);
    const pair = within ? undefined : ROLE_PAIR.exec(text);
    const said = within ? [within[1], within[4], within[2], within[3]] : pair && (pair[1] !== undefined ? pair.slice(1, 5) : pair.slice(5, 9));
    if (!said) return undefined;
    // (each with its role word after it: a unit said by a stem the plan also uses as a word names it where it acts —
    // 市财政配合, not 市财政 alone)
    const unitOf = (piece: string, role: string) => {
      const names = unitsIn(`${piece.split(/[，,。；;、\s]/).at(-1) ?? ''}${role}`);
      return names.length === 1 ? names[0] : undefined;
    };
    const [a, aRole, b, bRole] = said;
    const [first, second] = [unitOf(a, aRole), unitOf(b, bRole)];
    if (!first || !second || first === second) return undefined;
    const roleOf = (word: string): Role => (/配合|参与|协助|协办/.test(word) ? 'support' : 'lead');
    return [
      { department: first, role: roleOf(aRole) },
      { department: second, role: roleOf(bRole) },
    ];
  }

  /** Only what the unit leads (牵头的) or only what it supports (要配合的), when the plan prints them apart. */
  role(text: string): Role | undefined {
    if (!this.hasRoles) return undefined;
    // the units it works with are no role asked for (要去对接牵头单位)
    text = text.replace(this.words.counterpart, ' ');
    // a role said as unwanted asks for the other one (配合的不算 → what it leads)
    const notLead = text.search(this.words.notLead) >= 0;
    const notSupport = text.search(this.words.notSupport) >= 0;
    if (notLead !== notSupport) return notLead ? 'support' : 'lead';
    text = text.replace(this.words.notLead, ' ').replace(this.words.notSupport, ' ');
    const lead = this.words.lead.test(text);
    const support = this.words.support.test(text);
    if (this.words.both.test(text)) return undefined;
    if (lead && support) return this.roleWhereAsked(text);
    return lead === support ? undefined : lead ? 'lead' : 'support';
  }

  /**
   * Both roles said: the one said where the list is asked for, when only one is — the other is the asker's story
   * (我们科信局自己牵头的好像就一个，其它都是配合的，领导让我把配合的那些单独拎出来).
   */
  private roleWhereAsked(text: string): Role | undefined {
    const asked = clausesOf(text).filter((clause) => this.asks(clause)).join(' ');
    const lead = this.words.lead.test(asked);
    return lead === this.words.support.test(asked) ? undefined : lead ? 'lead' : 'support';
  }
}
