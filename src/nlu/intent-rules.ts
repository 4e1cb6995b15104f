/**
 * What a question asks: the ordered table of rules over what is understood of it (engine.ts understand()), the first
 * that decides wins — numbers and parts named outright are read before (engine.ts analyze()). Each rule is named; the
 * name goes with the answer (Analysis.rule) for eval and debugging. The fitted answer-or-refuse decision is one rule
 * among them: the rules before it decide whatever it would say.
 */
import type { Plan, Task } from '../plan/types.js';
import type { Lexicon } from './lexicon.js';
import type { SectionRef } from './numbers.js';
import { segment } from './tokenize.js';
import { clausesOf } from './normalize.js';
import { mattersAskedEach } from './matters.js';
import type { QueryTerms, ScoredTask, TaskIndex } from './search.js';
import { DECISION_FEATURES } from './rank-model.js';
import type { DepartmentMatcher } from './departments.js';
import type { ListRequests } from './list-requests.js';
import { PART_CUE, type PlanParts } from './parts.js';
import { examplesIn } from './examples.js';
import type { PartQuestions } from './part-questions.js';
import { framedExamples, framedSpans, HAS_TOPIC_FRAME, ONE_ITEM, WHOLE_LIST } from './unit-topics.js';
import type { Analysis, Understood } from './analysis.js';

/** When this many tasks score within 10% of the best, the question is too broad for one answer. */
export const BROAD_COUNT = 6;
/** Below this ranking score a question is not answered with a task. */
export const MIN_CONFIDENCE = 0.3;
/** A question asking only which item of the plan says something is answered from this probability of being answerable. */
const ITEM_ASKED_FROM = 0.2;
/** A message this short (characters), all of it the plan's words, is a topic typed as in a search box (欠薪). */
const SEARCH_BOX_LENGTH = 6;
/** A word naming a government unit by its organ word (公安局, 教育委, 应急办, 区政府, 公安部门, 总工会, 法院). */
const UNIT_WORD = /^\p{Script=Han}+(?:局|委|办|厅|署|政府|部门|工会|联合会|法院|检察院)$/u;
/** How many parts the plan has (几个部分, 哪几个部分, 哪些部分): the plan as a whole, not one part. */
const HOW_MANY_PARTS = /(?:几|多少)个?(?:大?部[分份]|小节|章)|哪些(?:部[分份]|小节|章)/u;
/** The words of such a question that name the parts or the plan, nothing to look up. */
const PART_WORD = /^(?:大部|大?部[分份]|小节|章|方案|文件|一共|总共|重点|主要|整体|总体|整个|概况|情况)$/u;

/** What the rules read besides the question: the plan, its index and parts, and the engine's own lookups. */
export interface RuleContext {
  plan: Plan;
  lexicon: Lexicon;
  index: TaskIndex;
  tasks: Map<number, Task>;
  matcher: DepartmentMatcher;
  requests: ListRequests;
  parts: PlanParts;
  partQuestions: PartQuestions;
  /** The best task for a few words alone, when the plan knows them well enough. */
  bestTaskOf(words: string, among?: (r: ScoredTask) => boolean): number | undefined;
  /** The named units' tasks in a part, as a list narrowed to that part's title. */
  unitsInPart(section: SectionRef, departments: string[], normalized: string, noneIsAnAnswer?: boolean): Pick<Analysis, 'topic' | 'role'> | undefined;
}

/** The intent rules over a plan: a function from what is understood of a question to its analysis. */
export function createIntentRules(ctx: RuleContext): (q: Understood) => Analysis {
  const { plan, lexicon, index, tasks, matcher, requests, parts, partQuestions, bestTaskOf, unitsInPart } = ctx;
  const cue = lexicon.cues;

  const DECIDED_BY_FIT = 'task: answerable (fitted decision) or a broad plan topic';
  /** One of the decision's signals of a question (DECISION_FEATURES: item, unit, other …). */
  const signal = (q: Understood, name: (typeof DECISION_FEATURES)[number]) => q.decision.signals[DECISION_FEATURES.indexOf(name)];
  type Rule = { name: string; decide: (q: Understood) => Omit<Analysis, 'rule'> | undefined };

  /** The rules that decide what a question asks, in order; the first that decides wins. */
  const RULES: Rule[] = [
    {
      name: 'unknown: about the bot itself',
      decide: (q) =>
        // 你是哪个公司开发的 — but not 调解员的职业标准由谁开发: the bot addressed, or words the plan does not know
        q.departments.length === 0 &&
        (/你|您|机器人|助手/.test(q.normalized) || q.coverage < 0.6) &&
        lexicon.aboutBot.some((c) => q.normalized.includes(c))
          ? { ...q.result, intent: 'unknown', ranked: [] }
          : undefined,
    },
    {
      name: 'help: how to use the bot',
      decide: (q) => {
        // (how to use the bot said in so many words is the help, whoever asks: 这个助手能干嘛 我该怎么问)
        if (q.departments.length === 0 && cue.USAGE.test(q.normalized)) return { ...q.result, intent: 'help' };
        const helpAsked =
          (cue.HELP_CUE.test(q.normalized) && q.confidence < 0.9) ||
          // (the plan's make-up asked, 方案整体是什么结构, is the overview's, below)
          (q.form === 'help' && q.forms[0].value > 0.6 && q.confidence < 0.6 && !cue.OVERVIEW_CUE.test(q.normalized));
        // 帮我查下我的社保缴费记录, 上报进度的deadline是哪天: a fact or a service asked for, not how to use the bot
        // (nor a who-question about the work: …商会自己能不能出面说和？这个谁管 — 这个机器人怎么用，谁能教教我 is help)
        const whoOfWork = q.who && !/你|您|机器人|助手/.test(q.normalized);
        return q.departments.length === 0 && helpAsked && !q.personal && !q.asks && !whoOfWork ? { ...q.result, intent: 'help' } : undefined;
      },
    },
    {
      // 激励支持那份方案，从头到尾的任务都有哪些: every task of the plan, part by part
      name: 'section: the whole plan, every task',
      decide: (q) => (partQuestions.wholePlanAsked(q) ? { ...q.result, intent: 'section_tasks', wholePlan: true, departments: [] } : undefined),
    },
    {
      name: 'overview: the plan as a whole',
      decide: (q) =>
        // (not a part pointed at: 各单位落实工作责任那节 — but how many parts there are: 方案有几个部分, whose 部分 a task
        // may say too)
        q.departments.length === 0 &&
        (cue.COUNTS_BY_UNIT.test(q.normalized) ||
          // (which unit has the most tasks asks who, and is answered by the plan's counts: 哪个部门任务最多)
          ((!q.who || /最多/.test(q.normalized)) &&
            cue.OVERVIEW_CUE.test(q.normalized) &&
            ((HOW_MANY_PARTS.test(q.normalized) && q.terms.groups.every((g) => PART_WORD.test(g.term))) ||
              // (the plan named by its title: 民生幸福工程这个方案总共多少个重点任务)
              // (the words asking for the overview are no topic: 整体结构, 任务总数)
              // (in the clause that asks, not the asker's story around it: 领导要个总数，重点任务一共几条)
              overviewTerms(q).every((g) => PART_WORD.test(g.term) || cue.LIST_FILLER.test(g.term) || namesPlan(q.normalized, g.term) || cue.overviewWords(q.normalized).some((w) => w.includes(g.term))) ||
              (!cue.SECTION_CUE.test(q.normalized) && (q.terms.groups.length === 0 || q.confidence < 0.5))))) &&
        // (nor a part named by its title: 主要任务一共多少条)
        !parts.namesTitle(q.residual)
          ? { ...q.result, intent: 'help', overview: true }
          : undefined,
    },
    {
      name: 'section: a part named by its title or in other words',
      // (units named are then only words describing the part: 仲裁院调解中心和工会法律服务工作站那节)
      decide: (q) => {
        const section = partQuestions.partAsked(q);
        return section ? { ...q.result, intent: 'section_tasks', section, departments: [] } : undefined;
      },
    },
    {
      // 组织部在“强化组织实施”这部分的任务, 异地务工人员服务体系那一部分里人社局要干的: the unit's tasks in the part pointed at
      name: 'department list: within a part',
      decide: (q) => {
        // (a part pointed at, or named by its whole title with where in it: 国际交流人才行动计划里头人社局的事有哪几件)
        const pointed = PART_CUE.test(q.normalized) || (parts.namesTitle(q.residual) && /里|中|内/.test(q.normalized));
        if (!q.departments.length || q.who || q.describesTask || !q.requestsList || !pointed) return undefined;
        const section = parts.byTitle(q.residual, q.topicTerms.map((g) => g.term)) ?? pointedByTopic(q);
        const inPart = section && unitsInPart(section, q.departments, q.normalized);
        return inPart ? { ...q.result, intent: 'department_tasks', ...inPart } : undefined;
      },
    },
    {
      // 教育局牵头、人社局配合的任务是哪些: the tasks where each unit holds the role the question gives it
      name: 'department list: each unit in its role',
      decide: (q) => {
        // (a list asked: 民企高管轮训，经贸委牵头对吧？工商联是配合？ checks one task's units)
        if (q.departments.length !== 2 || q.who || q.describesTask || !(q.requestsList || q.list)) return undefined;
        const { roles } = listShape(q);
        return roles ? { ...q.result, intent: 'department_tasks', roles } : undefined;
      },
    },
    {
      // 财政 负责哪几条, 政法委 task list, 国资委要配合的有哪些: the whole list, unless narrowed to a topic the plan knows well
      name: 'department list: however asked',
      decide: (q) => {
        // (a topic said as such may hold words the plan lacks: 关于跨境的那些, 涉及棚改、养老这种民生口子的)
        const topicStrong =
          (q.topicTerms.length > 0 && q.topicCoverage >= (q.topicSaid ? 0.5 : 0.9) && q.confidence >= MIN_CONFIDENCE) || q.quotedTasks.length > 0;
        // (one item asked about a topic is never the whole list: 水利部管湖泊保护的是哪个)
        const oneItem = ONE_ITEM.test(q.cueText) && q.topicCoverage >= 0.5;
        // (nor a topic said as such whose words, though the plan lacks some, single out a few of the unit's tasks: 水利部管河长湖长
        // 那块的是哪一条, where the plan says 河长制湖长制)
        return q.departments.length && !q.who && !q.describesTask && q.requestsList && !topicStrong && !oneItem && !q.notAList && !singlesOut(q)
          ? { ...q.result, intent: 'department_tasks', ...listShape(q) }
          : undefined;
      },
    },
    {
      // 总工会关于协商的任务有哪些: the department's tasks about the topic, not the single best task
      name: 'department list: narrowed to a topic',
      decide: (q) => {
        // (asked for items, or the topic framed as such: 财政部跟科技相关的那项, 发改委在水利方面负责的; or one item asked
        // for: 组织部管人才工作考核的是哪条, 教育局 外来务工人员子女上学 是哪个任务 — not 哪个法院 of a fact plans do not state)
        const narrowed = cue.TASKS_CUE.test(q.cueText) || HAS_TOPIC_FRAME.test(q.normalized) || q.topicSaid || (ONE_ITEM.test(q.cueText) && (q.requestsList || (!q.asks && !q.notAList && !q.personal)));
        // (a phrase quoted, 提到“劳动法律监督”的: the unit's tasks that say it word for word, when some do)
        const saying = q.quotedTasks;
        if (!q.departments.length || !q.topicTerms.length || q.describesTask || q.who || describedItem(q) || !narrowed || (topicWeak(q) && !saying.length && !singlesOut(q))) return undefined;
        const role = requests.role(q.normalized);
        const ofUnits = (r: ScoredTask) => q.departments.every((d) => requests.holds(tasks.get(r.id), d, role));
        // put in the question's order (a task naming the unit as its actor first)
        const place = new Map(q.ranked.map((r, i) => [r.id, i]));
        const ids = saying.length ? saying : [...nearTopic(q)].sort((a, b) => (place.get(a) ?? place.size) - (place.get(b) ?? place.size));
        // …and the unit's best task for each example given (涉及医疗器械、疫苗这一块的)
        for (const example of examplesIn(q.normalized) ?? framedExamples(q.normalized)) {
          const id = bestTaskOf(example, ofUnits);
          if (id !== undefined && !ids.includes(id)) ids.push(id);
        }
        // the topic's words the plan knows (those that chose the tasks), without the pieces of longer ones (调解组织,
        // not 调解/组织)
        const known = q.topicTerms.filter((g) => index.known(g));
        const words = topicWords((known.length ? known : q.topicTerms).map((g) => g.term));
        if (ids.length) return { ...q.result, intent: 'department_tasks', topic: { words, ids }, role };
        // the unit holds no task about a topic framed as such, which the plan has (财政跟培训有关的任务): said so, with the
        // plan's own task — never that task alone, as if the unit held it (one unit, no role: 配合的里面跟…有关的 may be
        // the role misread; the plan's subject, 奖励支持, is in every task)
        if (q.departments.length !== 1 || role || !HAS_TOPIC_FRAME.test(q.normalized) || q.topicCoverage < 0.9 || q.topicTerms.some((g) => index.isSubject(g))) return undefined;
        const nearest = index.rank(index.terms(q.topicTerms.map((g) => g.term).join(' ')))[0];
        return nearest && nearest.score >= MIN_CONFIDENCE ? { ...q.result, intent: 'department_tasks', topic: { words, ids: [], nearest: nearest.id }, role } : undefined;
      },
    },
    {
      // 总工会有哪些任务, 财政和工信共同负责哪些: no topic, or a weak one with a list cue
      name: 'department list: no topic to rank by',
      decide: (q) => {
        if (!q.departments.length || q.describesTask || q.notAList) return undefined;
        // Words the plan does not know ("立案流程") without an explicit list cue: not a request for the list — unless the
        // question asks in which item the unit is (法院也有份？哪一条) and no fact the plan does not state
        const foreign = q.terms.groups.some((g) => !index.known(g));
        const whichItem = cue.WHICH_ITEM.test(q.cueText) && !q.asks && !q.personal && !describedItem(q);
        // (not a question asking who handles the work of a story that names units: 跑了仲裁、司法所、工会三个地方…这个找谁)
        const storyUnits = q.who && !q.requestsList;
        const listAsked = (cue.LIST_CUE.test(q.cueText) || (q.form === 'list' && !foreign) || whichItem) && !storyUnits;
        const together = q.list && q.departments.length > 1 && requests.together(q.normalized) && !storyUnits;
        // …or a unit with nothing else to look up, whatever the asking words (城管委在文件里有分工吗，具体哪条)
        const nothingElse = !q.topicTerms.length && !q.who;
        return q.terms.groups.length === 0 || (listAsked && (topicWeak(q) || !q.topicTerms.length)) || together || nothingElse
          ? { ...q.result, intent: 'department_tasks', ...listShape(q) }
          : undefined;
      },
    },
    {
      // 扶贫那一块有哪些任务, 跟培训有关的任务有哪些: no unit named, a topic said as such and its items asked for — the
      // tasks about it, when it singles out a few (one is the who-question's answer; most of the plan is no topic)
      name: 'section: the tasks of a topic said as such',
      decide: (q) => {
        if (q.departments.length || q.who || q.asks || q.personal || q.notAList || ONE_ITEM.test(q.cueText)) return undefined;
        if (!(q.requestsList || q.list || cue.TASKS_CUE.test(q.cueText))) return undefined;
        const topic = framedSpans(q.normalized, []).join(' ');
        const terms = topic && index.terms(topic);
        if (!terms || !terms.groups.length || index.coverage(terms) < 0.5) return undefined;
        const near = nearestTasks(index.rank(terms), 0.5);
        if (near.length < 2 || near.length * 2 > plan.tasks.length) return undefined;
        return { ...q.result, intent: 'section_tasks', topic: { words: topicWords(terms.groups.map((g) => g.term)), ids: near }, departments: [] };
      },
    },
    {
      // the fitted answer-or-refuse decision; a topic the plan knows fully that runs through many tasks (调解) is
      // answered too, by asking for something more specific
      name: DECIDED_BY_FIT,
      decide: (q) => {
        const broad = q.coverage >= 0.99 && !q.personal && q.ranked.filter((r) => r.score >= q.confidence * 0.9).length >= BROAD_COUNT;
        // a bare topic typed as in a search box (欠薪, 争议预警), every word the plan's: what the plan says of it
        const keyword = q.coverage >= 0.99 && !q.personal && !q.asks && [...q.normalized].length <= SEARCH_BOX_LENGTH && q.confidence >= MIN_CONFIDENCE;
        // an item of the plan asked for and nothing else (…，哪条任务说的是这个): the asker knows the plan holds it, so one that
        // came near is answered, the next two offered (development: 9 of 12 such refusals named the task asked for, no
        // out-of-scope message among them)
        const itemAsked = signal(q, 'item') === 1 && signal(q, 'unit') === 0 && !q.asks && q.decision.p >= ITEM_ASKED_FROM;
        if (!(q.decision.p >= 0.5 || broad || keyword || itemAsked)) return undefined;
        // several matters asked about each (调解员培训和支付令分别谁负责): each one's task, in the order asked
        const each = q.who ? tasksOfEach(q) : undefined;
        if (!each) return { ...q.result, intent: 'responsibility' };
        const first = each.map((id) => q.ranked.find((r) => r.id === id)!);
        return { ...q.result, intent: 'responsibility', each, ranked: [...first, ...q.ranked.filter((r) => !each.includes(r.id))] };
      },
    },
    {
      name: 'help: a sentence with nothing to look up',
      decide: (q) =>
        q.form === 'help' && q.terms.groups.length === 0 && q.departments.length === 0 ? { ...q.result, intent: 'help' } : undefined,
    },
    {
      // 公安局有哪些任务 in a plan without 公安局: say the plan has no such unit, not that nothing matched
      name: 'unknown: a unit the plan does not have',
      decide: (q) => {
        if (q.departments.length || !(q.list || q.requestsList)) return undefined;
        const unit = segment(q.normalized).find((w) => [...w].length >= 2 && UNIT_WORD.test(w) && !index.vocabulary.has(w));
        return unit ? { ...q.result, intent: 'unknown', departments: [], unknownUnit: unit } : undefined;
      },
    },
    {
      // 帮查一下科技部的，我们要对口上报 / 文旅部在里面有分工吗: a unit of the plan and nothing else the plan knows is a
      // request for its list, not a question the plan cannot answer — unless it asks something else of the unit
      // (工会主席怎么选, …今天上班吗) and does not ask for tasks
      name: 'department list: the unit is all the plan knows',
      decide: (q) => {
        if (!q.departments.length || q.topicCoverage > 0 || q.who || q.asks || q.notAList || q.personal || q.describesTask) return undefined;
        // (the decision's reading of how the question asks: only for something other than a unit or an item)
        const asksOther = signal(q, 'other') === 1;
        return !asksOther || cue.LIST_CUE.test(q.cueText) || q.form === 'list' ? { ...q.result, intent: 'department_tasks', ...listShape(q) } : undefined;
      },
    },
    { name: 'unknown: not in the plan', decide: (q) => ({ ...q.result, intent: 'unknown', departments: [] }) },
  ];
  /** Where the answer-or-refuse decision is consulted: the rules before it decide whatever it would say. */
  const DECISION_RULE = RULES.findIndex((r) => r.name === DECIDED_BY_FIT);

  /**
   * How a unit's list is asked: only one role, each unit in its own role (教育局牵头、人社局配合), and several units each on
   * their own unless asked about together.
   */
  function listShape(q: Understood): Pick<Analysis, 'role' | 'separately' | 'roles'> {
    const roles = q.departments.length === 2 ? requests.rolesGiven(q.normalized, (piece) => matcher.find(piece).names) : undefined;
    if (roles && roles.every((r) => q.departments.includes(r.department))) return { roles };
    const units = new Set(q.mentions.map((m) => m.join()));
    const separately = q.departments.length > 1 && units.size > 1 && !requests.together(q.normalized);
    return { role: requests.role(q.normalized), ...(separately ? { separately } : {}) };
  }

  /** A word of the plan's own title said as its name (民生幸福工程 of 关于推进民生幸福工程的实施意见). */
  function namesPlan(normalized: string, term: string): boolean {
    return requests.titleSpans(normalized).some((t) => t.includes(term));
  }

  /** A part of the plan pointed at (那个小节, 那一部分, 这块), whichever clause does it. */
  const POINTS_AT_PART = /节|部[分份]|板块|[那这哪]一?个?[大整]?块|\b(?:part|section|chapter)\b/u;

  /**
   * The terms of the clauses that ask for the plan as a whole (重点任务一共几条 of 领导要个总数，重点任务一共几条); all of
   * them where a part is pointed at (延伸产业链条那小节，有几条任务).
   */
  function overviewTerms(q: Understood): QueryTerms['groups'] {
    if (POINTS_AT_PART.test(q.normalized)) return q.terms.groups;
    const clauses = clausesOf(q.normalized).filter((c) => cue.OVERVIEW_CUE.test(c));
    // (the plan named by its kind, 这份实施意见的任务总数, is no topic either)
    return clauses.length ? index.terms(requests.withoutPlanReference(clauses.join(' '))).groups : q.terms.groups;
  }

  /**
   * The named units' tasks (in the role asked) the topic's words alone are about — the asker's story, purpose or the
   * unit's own name weigh nothing: the best, and those at least half as near (a topic given by several examples,
   * 居家养老、养老院、农村养老这些, keeps the task each one names) or, one item asked for (跟扶贫相关的是哪一项), only a task
   * as near as makes no difference (调解协议履行 beside 和解协议…督促履行 is not asked for). Read once per question.
   */
  const topicTasks = new WeakMap<Understood, number[]>();
  function nearTopic(q: Understood): number[] {
    let near = topicTasks.get(q);
    if (!near) {
      const role = requests.role(q.normalized);
      const own = index.rank(index.terms(q.topicTerms.map((g) => g.term).join(' '))).filter((r) => q.departments.every((d) => requests.holds(tasks.get(r.id), d, role)));
      near = nearestTasks(own, ONE_ITEM.test(q.cueText) ? 0.95 : 0.5);
      topicTasks.set(q, near);
    }
    return near;
  }

  /**
   * Several matters asked about each (matters.ts): each one's own best task, when each has one and they differ.
   */
  function tasksOfEach(q: Understood): number[] | undefined {
    // (units said side by side are no matters: 人社、法院、工会各自…)
    const named = mattersAskedEach(q.normalized)?.filter((m) => !matcher.find(m).names.length);
    if (!named || named.length < 2 || named.length > 4) return undefined;
    const ids = named.map((m) => bestTaskOf(m));
    return ids.every((id): id is number => typeof id === 'number' && q.ranked.some((r) => r.id === id)) && new Set(ids).size === ids.length ? ids : undefined;
  }

  /** The tasks of a ranking at least this share as near as its best (and near enough to answer at all). */
  function nearestTasks(ranked: ScoredTask[], share: number): number[] {
    const floor = Math.max(MIN_CONFIDENCE, (ranked[0]?.score ?? 0) * share);
    return ranked.filter((r) => r.score >= floor).map((r) => r.id);
  }

  /** A topic said as such (or one item asked for), weak as its words may be, that singles out at most half of the unit's tasks. */
  function singlesOut(q: Understood): boolean {
    if (!q.topicTerms.length || !q.departments.length || !(q.topicSaid || ONE_ITEM.test(q.cueText)) || WHOLE_LIST.test(q.normalized)) return false;
    const near = nearTopic(q).length;
    const role = requests.role(q.normalized);
    return near > 0 && near * 2 <= plan.tasks.filter((t) => q.departments.every((d) => requests.holds(t, d, role))).length;
  }

  /**
   * The question asks which item says what it described, units in the story (…工会那边信息都不通各管各的，哪条任务说的是这个):
   * that item, no unit's list — unless the unit's part is asked (教育局牵头的哪条任务说了这个).
   */
  function describedItem(q: Understood): boolean {
    return cue.WHICH_TASK_SAYS.test(q.normalized) && !requests.role(q.normalized);
  }

  /**
   * A part pointed at (那块, 那部分) whose title holds every word of the topic, several items asked for: 人社局在异地务工人员
   * 那块的任务 (the part's head without its describing words) — not one item of a matter (法院这块…是哪条).
   */
  function pointedByTopic(q: Understood): SectionRef | undefined {
    if (!PART_CUE.test(q.normalized) || !q.topicTerms.length || ONE_ITEM.test(q.cueText)) return undefined;
    const section = parts.pointedAt(q.residual);
    const title = section && parts.titleOf(section);
    return title && q.topicTerms.every((g) => title.includes(g.term) || PART_CUE.test(g.term)) ? section : undefined;
  }

  function topicWeak(q: Understood): boolean {
    // (where items are asked for or the topic is said as such, by the topic's own words: 财政局在社会救助方面配合的是哪些任务,
    // 海关这边核销类的条目有哪些 — not 哪些任务, 条目, 配合)
    const coverage = q.topicTerms.length && (q.topicSaid || q.requestsList || cue.TASKS_CUE.test(q.cueText) || ONE_ITEM.test(q.cueText)) ? q.topicCoverage : q.coverage;
    return q.terms.groups.length === 0 || q.confidence < MIN_CONFIDENCE || coverage < 0.5;
  }

  return function decide(q: Understood): Analysis {
    for (let i = 0; i < RULES.length; i++) {
      const decided = RULES[i].decide(q);
      if (!decided) continue;
      // the decision's signals go with the answer only where the rules reached it: what it is fitted on
      if (i < DECISION_RULE) decided.decision = undefined;
      // every rule returns a fresh object: named in place, not copied once more
      return Object.assign(decided, { rule: RULES[i].name });
    }
    throw new Error('no rule decided'); // unreachable: the last rule always decides
  };
}

/** A topic's words as the reply names it: up to three, without the pieces of longer ones (调解组织, not 调解 / 组织). */
function topicWords(terms: string[]): string {
  return terms.filter((w) => !terms.some((o) => o !== w && o.includes(w))).slice(0, 3).join('、');
}

