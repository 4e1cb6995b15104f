/**
 * The question-answering engine: normalise → find task numbers, sections, departments →
 * decide the intent → rank tasks → format the answer (handlers/*) → split for the channel.
 * Synchronous after creation; no platform, state or HTTP code here.
 */
import type { LoadedPlan } from '../plan/load.js';
import { loadLexicon, type Lexicon } from './lexicon.js';
import { bigrams, normalize } from './normalize.js';
import { parseTaskNumber, type SectionRef } from './numbers.js';
import { NumberedQuestions } from './numbered.js';
import { jieba, segment } from './tokenize.js';
import { mattersAskedEach } from './matters.js';
import { generalIdf } from './general-idf.js';
import { TaskIndex, type QueryTerms, type ScoredTask } from './search.js';
import { DECISION_FEATURES, loadRankModel, type RankModel } from './rank-model.js';
import { AnswerDecision, otherPlacePattern } from './decision.js';
import { DepartmentMatcher } from './departments.js';
import { HomophoneFixer, PinyinReadings } from './homophones.js';
import { FormClassifier, type QuestionForm } from './intent-classifier.js';
import { planTerms } from './plan-terms.js';
import { ListRequests, type Role } from './list-requests.js';
import { examplesIn, PART_CUE, PlanParts } from './parts.js';
import { UnitReferences } from './unit-references.js';
import { PartQuestions, unitsOnlyAsAudience } from './part-questions.js';
import { QuestionText, type SearchTerms } from './question-text.js';
import { framedExamples, framedSpans, HAS_TOPIC_FRAME, NO_TOPIC, ONE_ITEM, quotedPhrases, saidAsTopic, UnitTopics, WHOLE_LIST } from './unit-topics.js';

export type { Analysis, Intent, QaAnswer, QaEngine, QaUnderstanding } from './analysis.js';
import type { Analysis, QaUnderstanding, Understood } from './analysis.js';

/** When this many tasks score within 10% of the best, the question is too broad for one answer. */
export const BROAD_COUNT = 6;
/** Below this ranking score a question is not answered with a task. */
export const MIN_CONFIDENCE = 0.3;
/** A question asking only which item of the plan says something is answered from this probability of being answerable. */
/** A who-question said last on its own (…，谁负责 / who's in charge). */
const WHO_LAST = /(?:^|[，,。；;？?！!\s])(?:那?(?:都是)?(?:谁|哪个部门|哪些部门)(?:负责|牵头|管)的?|归谁管?|who'?s in charge|who is in charge)[？?。.!！]*$/iu;
const ITEM_ASKED_FROM = 0.2;
/** A message this short (characters), all of it the plan's words, is a topic typed as in a search box (欠薪). */
const SEARCH_BOX_LENGTH = 6;
/** A word naming a government unit by its organ word (公安局, 教育委, 应急办, 区政府, 公安部门, 总工会, 法院). */
const UNIT_WORD = /^\p{Script=Han}+(?:局|委|办|厅|署|政府|部门|工会|联合会|法院|检察院)$/u;
/** The question asks who leads (谁牵头, 牵头单位是谁): the reply says the lead, as printed or that there is none. */
const LEAD_ASKED = /牵头/;
/** How many parts the plan has (几个部分, 哪几个部分, 哪些部分): the plan as a whole, not one part. */
const HOW_MANY_PARTS = /(?:几|多少)个?(?:大?部[分份]|小节|章)|哪些(?:部[分份]|小节|章)/u;
/** The words of such a question that name the parts or the plan, nothing to look up. */
const PART_WORD = /^(?:大部|大?部[分份]|小节|章|方案|文件|一共|总共|重点|主要|整体|总体|整个|概况|情况)$/u;

export function createQaUnderstanding(loaded: LoadedPlan, options: { lexicon?: Lexicon; model?: RankModel } = {}): QaUnderstanding {
  const { plan, registry } = loaded;
  const lexicon = options.lexicon ?? loadLexicon();
  const cue = lexicon.cues;

  // Words for the segmenter: department names and colloquial names, corrected typos (synonym keys are matched on
  // the raw text, so that a synonym entry changes nothing but the answers it is meant for).
  const domainWords = new Set<string>();
  for (const f of registry.surfaceForms()) domainWords.add(f.form);
  for (const k of lexicon.departmentAliases.keys()) domainWords.add(k);
  for (const [, right] of lexicon.typos) domainWords.add(right);
  jieba(domainWords);
  // the plan's own recurring terms (after the names, so that these cut the plan's text as the plan has it)
  jieba(planTerms(plan, lexicon.stopwords));
  generalIdf(''); // load the common-word table now, not on the first question

  const model = options.model ?? loadRankModel();
  const index = new TaskIndex(plan, lexicon, model);
  const taskDepartments = new Map(plan.tasks.map((t) => [t.id, t.departments]));
  const tasks = new Map(plan.tasks.map((t) => [t.id, t]));
  const planBigrams = new Set(plan.tasks.flatMap((t) => bigrams(t.text)));
  const classifier = new FormClassifier(lexicon.intents);
  const requests = new ListRequests(plan, lexicon.listRequests);
  const unitReferences = new UnitReferences(plan, registry, lexicon.stopwords, index, requests, MIN_CONFIDENCE);
  const planText = plan.tasks.map((t) => t.text).join('\n').toLowerCase();
  const pinyin = new PinyinReadings();
  const matcher = new DepartmentMatcher(registry, lexicon.departmentAliases, planBigrams, pinyin, planText, cue.RENAMED);
  // (the lexicon's own words are meant as said: 五险 is no misheard 无线)
  const homophones = new HomophoneFixer(index.vocabulary, planText, pinyin, new Set(lexicon.synonyms.keys()));
  const reading = new QuestionText(lexicon, matcher, index, homophones, classifier.literalWords, registry, planText);

  const parts = new PlanParts(plan, lexicon.stopwords);
  const titles = parts.titles;
  // Topics of other fields (out-of-scope.json topics) that this plan never mentions, in its tasks, titles or units —
  // nor their field (地震 in a plan on 应急避险 is its own field's)
  const planWords = [planText, ...titles.map((t) => t.title), ...registry.surfaceForms().map((f) => f.form.toLowerCase())].join('\n');
  const otherFields = lexicon.topics.filter((w) => !planWords.includes(w) && !(lexicon.topicFields.get(w) ?? []).some((f) => planWords.includes(f)));
  // words of text work the plan itself uses (翻译人才) are the plan's words there
  const officeWork = lexicon.officeWork.filter((w) => !planWords.includes(w));
  // A local plan names its place (广州): a question about another place's work (深圳那边的孔雀计划) is elsewhere
  const ownPlaces = lexicon.places.filter((p) => planWords.includes(p));
  const otherPlace = ownPlaces.length ? otherPlacePattern(lexicon.places.filter((p) => !planWords.includes(p)), ownPlaces) : undefined;
  const answerDecision = new AnswerDecision(lexicon, index, model, planText, otherFields, otherPlace);
  // (words that name no unit and no term the plan knows say nothing of it: 核一下, 拉出来)
  const saysNothing = (words: string) => !matcher.find(words).names.length && index.terms(words).groups.every((g) => !index.known(g));
  const numbers = new NumberedQuestions(plan, parts, tasksAbout, saysNothing);
  const unitTopics = new UnitTopics(registry, requests, index, cue);
  const ranking = { bestTaskOf: (w: string) => bestTaskOf(w), decisiveTaskOf, minConfidence: MIN_CONFIDENCE };
  const partQuestions = new PartQuestions(parts, registry, cue, ranking, asksForUnits, requests);

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

  /** The best task for an example when it is plainly that one: scoring half again as much as the next. */
  function decisiveTaskOf(words: string): number | undefined {
    const [best, next] = index.rank(index.terms(words));
    return best && best.score >= MIN_CONFIDENCE && best.score >= 1.5 * (next?.score ?? 0) ? best.id : undefined;
  }

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

  /**
   * The named units' tasks in a part, in the role asked, as a list narrowed to that part's title; undefined if none —
   * unless the part was named by its number, not guessed from words (第三部分里民政局牵头的有哪些: none is the answer).
   */
  function unitsInPart(section: SectionRef, departments: string[], normalized: string, noneIsAnAnswer = false): Pick<Analysis, 'topic' | 'role'> | undefined {
    const title = parts.titleOf(section);
    const role = requests.role(normalized);
    const ids = departments.length ? requests.tasksInPart(section, departments, role) : [];
    return title && departments.length && (ids.length || noneIsAnAnswer) ? { topic: { words: title, ids }, role } : undefined;
  }

  /**
   * Every unit is named inside a stretch of the part's title the question says (仲裁院调解中心, 工会法律服务工作站 of
   * (十一)): words of the title, not whose tasks (第十一小节里工会的任务 asks for 工会's).
   */
  function namedInTitle(section: SectionRef, departments: string[], normalized: string): boolean {
    const title = parts.titleOf(section)?.toLowerCase() ?? '';
    const inStretch = (form: string) => {
      const at = normalized.indexOf(form);
      return at >= 0 && (title.includes(normalized.slice(at, at + form.length + 2)) || (at >= 2 && title.includes(normalized.slice(at - 2, at + form.length))));
    };
    const said = registry.surfaceForms().filter((f) => inStretch(f.form.toLowerCase()));
    return departments.every((d) => said.some((f) => f.names.includes(d)));
  }

  /** The question asks which units (配合单位有哪几家, 主责单位是): question-forms.json `unit`, or names units at all. */
  function asksForUnits(normalized: string): boolean {
    // (单位 / 部门 as such, not 用人单位 or 劳动者和单位 in a description)
    return /(?<![用人和与跟及])(?:单位|部门)/.test(normalized) || lexicon.forms.unit.some((p) => p.test(normalized));
  }

  /** The tasks a few words alone are about: the best, and those scoring at least `share` of it, when the plan knows them well enough. */
  function tasksAbout(words: string, share: number): number[] {
    const ranked = index.rank(index.terms(words));
    const floor = Math.max(MIN_CONFIDENCE, (ranked[0]?.score ?? 0) * share);
    return ranked.filter((r, i) => i === 0 ? r.score >= MIN_CONFIDENCE : r.score >= floor).map((r) => r.id);
  }

  /** The best task for a few words alone (one example of several), when the plan knows them well enough. */
  function bestTaskOf(words: string, among: (r: ScoredTask) => boolean = () => true): number | undefined {
    const best = index.rank(index.terms(words)).find(among);
    return best && best.score >= MIN_CONFIDENCE ? best.id : undefined;
  }

  /** The named units' tasks (in the role asked) that say a phrase the question quotes, unless all of them do. */
  function quotedIn(normalized: string, departments: string[]): number[] {
    const quoted = quotedPhrases(normalized);
    if (!quoted.length || !departments.length) return [];
    const role = requests.role(normalized);
    const own = plan.tasks.filter((t) => departments.every((d) => requests.holds(t, d, role)));
    const saying = own.filter((t) => quoted.some((p) => t.text.includes(p)));
    return saying.length < own.length ? saying.map((t) => t.id) : [];
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
    const clauses = q.normalized.split(/[，,。；;？?！!\s]+/u).filter((c) => cue.OVERVIEW_CUE.test(c));
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

  function understand(normalized: string, found: SearchTerms, cueText: string, requestsList: boolean): Understood {
    const { departments, mentions, masked, residual, terms } = found;
    // "财政负责调解员培训吗": a yes/no question about a department is answered from the topic alone (the reply says
    // whether the department is among those responsible), so the department does not steer the ranking.
    const ranked = index.rank(terms, cue.YES_NO.test(normalized) ? [] : departments);
    const confidence = ranked[0]?.score ?? 0;
    const coverage = index.coverage(terms);
    const pattern = reading.maskTopics(masked);
    const forms = classifier.classify(pattern);
    const form = forms[0].label;
    // (who holds them, asked after a request for a unit's items, 人社局考核相关的任务有哪些，谁负责: the list answers it)
    const listFirst = departments.length > 0 && WHO_LAST.test(normalized) ? normalized.replace(WHO_LAST, '') : undefined;
    const whoAfterList = listFirst !== undefined && cue.TASKS_CUE.test(listFirst) && !ONE_ITEM.test(listFirst);
    const who = cue.WHO_CUE.test(cueText) && !whoAfterList;
    const list = cue.LIST_CUE.test(cueText) || form === 'list';
    // only the rules of a unit's list read its topic: a question that names no unit has none to make
    const { topicTerms, topicCoverage } = departments.length ? unitTopics.of(normalized, terms, departments) : NO_TOPIC;
    const { decision, personal, asks, notAList } = answerDecision.decide({ normalized, residual, terms, ranked, coverage, forms, who, departments });
    return {
      normalized,
      departments,
      mentions,
      masked,
      residual,
      terms,
      ranked,
      confidence,
      coverage,
      form,
      forms,
      cueText,
      requestsList,
      who,
      list,
      topicTerms,
      topicCoverage,
      topicSaid: departments.length > 0 && saidAsTopic(masked),
      quotedTasks: quotedIn(normalized, departments),
      describesTask: departments.length >= 2 && topicTerms.length >= 2 && topicCoverage >= 0.8,
      decision,
      personal,
      asks,
      notAList,
      result: {
        normalized,
        departments,
        ranked,
        confidence,
        form,
        coverage,
        forms,
        masked: pattern,
        decision,
        understood: terms.groups.map((g) => g.term),
        asksLead: LEAD_ASKED.test(normalized),
        ...(whoAfterList ? { unitsAsked: true } : {}),
      },
    };
  }

  function analyze(text: string): Analysis {
    const typed = reading.typed(text);
    const normalized = reading.withoutAsker(reading.clean(typed));
    const base = { normalized, departments: [] as string[], ranked: [] as ScoredTask[], confidence: 0 };
    // Nothing to analyse: empty, markup or emoji only, or a stray latin fragment ("*x*" → "x").
    const hasContent = /[\p{Script=Han}0-9]/u.test(normalized) || /[a-z]{4,}/.test(normalized);
    if (!hasContent || cue.HELP_ONLY.test(normalized)) return { ...base, intent: 'help', form: 'help', rule: 'help: a greeting or nothing to analyse' };
    if (cue.COURTESY.test(normalized)) return { ...base, intent: 'unknown', form: 'out', courtesy: true, rule: 'unknown: thanks, an acknowledgement or 在吗' };
    let found = reading.searchTerms(normalized);
    // a unit named in English (education bureau task list, HR 的 todo)
    const english = found.departments.length ? normalized : lexicon.english.units.translate(normalized);
    if (english !== normalized) {
      const named = matcher.find(english);
      if (named.names.length) found = reading.searchTerms(normalized, named);
    }
    // a list asked for a unit named by a part of its name only (司法的todo有哪些, 发改那边牵头的有几项, 消防局有哪些任务)
    // — only when nothing else in it is a topic of the plan or points at a part (仲裁诉讼衔接的几条 is no unit's list)
    let namedByPart = false;
    const cueText = cue.plainCues(normalized);
    const requestsList = requests.asks(cueText);
    if (!found.departments.length && !PART_CUE.test(normalized) && requestsList) {
      const leading = matcher.findByPartOfName(english);
      const asUnit = leading && reading.searchTerms(normalized, leading);
      // (or before a topic framed as such: 海关跟医疗器械、疫苗这些有关的任务有哪些)
      const framedAfter = asUnit && /\{部门\}(?:跟|和|与|在|关于|涉及)/.test(asUnit.masked) && HAS_TOPIC_FRAME.test(normalized);
      if (asUnit && (leading.organ || framedAfter || asUnit.terms.groups.every((g) => cue.LIST_FILLER.test(g.term) || !index.known(g) || index.isSubject(g)))) {
        found = asUnit;
        namedByPart = true;
      }
    }
    // …or described by its work, not named (办留交会的那个办公室，活儿都有哪些): that unit's list
    if (!found.departments.length && requestsList && !PART_CUE.test(normalized)) {
      const described = unitReferences.described(normalized);
      if (described) {
        const named = matcher.find(normalized.replace(described.said, ` ${described.unit} `));
        if (named.names.length) found = reading.searchTerms(normalized, named);
      }
    }
    // text work asked of the bot (把第13条翻译成英文, 改写成汇报材料): no task answers it, whatever it names
    if (officeWork.some((w) => normalized.includes(w))) return { ...base, departments: [], intent: 'unknown', form: 'out', rule: 'unknown: work the bot does not do' };
    // numbers first: they are unambiguous and need no ranking
    // (from the text as typed: a sound-alike correction may run across a number and its counter, 九项是 → 九相适)
    const plain = typed.replace(cue.GREETING_PREFIX, '').trim() || typed;
    const numbered = numbers.read(plain, normalized, cue.WHO_CUE.test(cueText));
    if (numbered?.kind === 'task' || numbered?.kind === 'tasks') {
      const counted = numbered.kind === 'task' ? unitReferences.countedInList(found.departments, found.masked, normalized, numbered.taskNumber) : undefined;
      if (counted !== undefined) return { ...base, departments: found.departments, intent: 'task_detail', taskNumber: counted, taskNumbers: [counted], form: 'who', rule: "task number: counted in a unit's list", asksLead: LEAD_ASKED.test(normalized) };
      const taskNumbers = numbered.kind === 'tasks' ? numbered.taskNumbers : [numbered.taskNumber];
      return { ...base, departments: found.departments, intent: 'task_detail', taskNumber: taskNumbers[0], taskNumbers, form: 'who', rule: numbered.rule, asksLead: LEAD_ASKED.test(normalized) };
    }
    if (numbered) {
      const { section, sectionAlternatives } = numbered;
      // a unit's list asked within a numbered part (司法行政在第四部分里涉及哪些条目): its tasks there — a unit named, not
      // guessed from a part of its name (第三大块社保的任务清单: 社保 is what the part is about)
      // — not units said only as words of that part's title ((十一)那一节，仲裁院调解中心和工会法律服务工作站，下面的任务)
      // — nor units said only as who will look at the answer (第八部分有哪些任务，我们民政局要对一下)
      const inPart =
        !numbered.counted && !namedByPart && requestsList && !namedInTitle(section, found.departments, normalized) && !unitsOnlyAsAudience(found.masked) && unitsInPart(section, found.departments, normalized, true);
      if (inPart) return { ...base, departments: found.departments, intent: 'department_tasks', ...inPart, form: 'list', rule: 'department list: within a numbered part' };
      const rule = numbered.counted ? "section: counted by the plan's word for it" : 'section number';
      return { ...base, departments: found.departments, intent: 'section_tasks', section, ...(sectionAlternatives ? { sectionAlternatives } : {}), form: 'list', rule };
    }
    const q = understand(normalized, found, cueText, requestsList);
    for (let i = 0; i < RULES.length; i++) {
      const decided = RULES[i].decide(q);
      if (!decided) continue;
      // the decision's signals go with the answer only where the rules reached it: what it is fitted on
      if (i < DECISION_RULE) decided.decision = undefined;
      // every rule returns a fresh object: named in place, not copied once more
      return Object.assign(decided, { rule: RULES[i].name });
    }
    throw new Error('no rule decided'); // unreachable: the last rule always decides
  }

  // Warm the lazy parts (traditional→simplified tables, classifier, JIT) so the first user is not slower.
  // The questions are made from the plan itself: no plan's wording is written here.
  const sample = plan.tasks[0];
  for (const q of [`谁负责${sample?.text.slice(0, 12) ?? ''}?`, `${registry.names[0] ?? ''}有哪些任務`, `第${sample?.id ?? 1}项`]) analyze(q);

  return {
    analyze,
    query(text) {
      const { departments, terms } = reading.searchTerms(reading.clean(reading.typed(text)));
      return { terms, departments };
    },
    search(text, k = 10) {
      const normalized = normalize(text, lexicon.typos);
      const out: ScoredTask[] = [];
      const n = parseTaskNumber(normalized);
      if (n !== undefined && taskDepartments.has(n)) out.push({ id: n, score: 1 });
      const { names, masked } = matcher.find(normalized);
      const terms = index.terms(masked.replace(/\{部门\}/g, ' '));
      let ranked: ScoredTask[];
      if (terms.groups.length === 0 && names.length) {
        // only departments: their tasks, those naming them as actor first
        ranked = plan.tasks
          .filter((t) => names.every((d) => t.departments.includes(d)))
          .map((t) => ({ id: t.id, score: names.some((d) => t.actors.includes(d)) ? 1 : 0.5 }))
          .sort((a, b) => b.score - a.score || a.id - b.id);
      } else {
        ranked = index.rank(terms, names);
        const floor = Math.max(0.1, (ranked[0]?.score ?? 0) * 0.3);
        ranked = ranked.filter((r) => r.score >= floor);
      }
      for (const r of ranked) if (!out.some((o) => o.id === r.id)) out.push(r);
      return out.slice(0, k);
    },
    resolveDepartments(text) {
      return matcher.find(normalize(text, lexicon.typos)).names;
    },
    parseTaskNumber(text) {
      return parseTaskNumber(normalize(text, lexicon.typos));
    },
  };
}

/** A topic's words as the reply names it: up to three, without the pieces of longer ones (调解组织, not 调解 / 组织). */
function topicWords(terms: string[]): string {
  return terms.filter((w) => !terms.some((o) => o !== w && o.includes(w))).slice(0, 3).join('、');
}
