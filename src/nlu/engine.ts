/**
 * The question-answering engine: normalise → find task numbers, sections, departments →
 * decide the intent (intent-rules.ts) → rank tasks → format the answer (handlers/*) → split for the channel.
 * Synchronous after creation; no platform, state or HTTP code here.
 */
import type { LoadedPlan } from '../plan/load.js';
import { loadLexicon, type Lexicon } from './lexicon.js';
import { bigrams, clausesOf, normalize } from './normalize.js';
import { parseTaskNumber, type SectionRef } from './numbers.js';
import { NumberedQuestions } from './numbered.js';
import { jieba } from './tokenize.js';
import { generalIdf } from './general-idf.js';
import { TaskIndex, type ScoredTask } from './search.js';
import { loadRankModel, type RankModel } from './rank-model.js';
import { AnswerDecision } from './decision.js';
import { DepartmentMatcher } from './departments.js';
import { HomophoneFixer, PinyinReadings } from './homophones.js';
import { FormClassifier } from './intent-classifier.js';
import { planTerms } from './plan-terms.js';
import { ListRequests } from './list-requests.js';
import { PART_CUE, PlanParts } from './parts.js';
import { UnitReferences } from './unit-references.js';
import { OtherDocuments, otherPlacePattern } from './elsewhere.js';
import { PartQuestions, unitsOnlyAsAudience } from './part-questions.js';
import { QuestionText, type SearchTerms } from './question-text.js';
import { HAS_TOPIC_FRAME, NO_TOPIC, ONE_ITEM, quotedPhrases, saidAsTopic, UnitTopics } from './unit-topics.js';

export type { Analysis, Intent, QaAnswer, QaEngine, QaUnderstanding } from './analysis.js';
import type { Analysis, QaUnderstanding, Understood } from './analysis.js';
import { createIntentRules, MIN_CONFIDENCE } from './intent-rules.js';

export { BROAD_COUNT, MIN_CONFIDENCE } from './intent-rules.js';
/** A who-question said last on its own (…，谁负责 / who's in charge). */
const WHO_LAST = /(?:^|[，,。；;？?！!\s])(?:那?(?:都是)?(?:谁|哪个部门|哪些部门)(?:负责|牵头|管)的?|归谁管?|who'?s in charge|who is in charge)[？?。.!！]*$/iu;
/** The question asks who leads (谁牵头, 牵头单位是谁): the reply says the lead, as printed or that there is none. */
const LEAD_ASKED = /牵头/;

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
  const otherDocuments = new OtherDocuments(lexicon.documents, planWords, requests.title, lexicon.stopwords);
  // A local plan names its place (广州): a question about another place's work (深圳那边的孔雀计划) is not the plan's
  const ownPlaces = lexicon.places.filter((p) => planWords.includes(p));
  const otherPlaces = lexicon.places.filter((p) => !planWords.includes(p));
  const otherPlace = otherPlaces.length ? otherPlacePattern(otherPlaces, ownPlaces) : undefined;
  const answerDecision = new AnswerDecision(lexicon, index, model, planText, otherFields);
  // (words that name no unit and no term the plan knows say nothing of it: 核一下, 拉出来)
  const saysNothing = (words: string) => !matcher.find(words).names.length && index.terms(words).groups.every((g) => !index.known(g));
  const numbers = new NumberedQuestions(plan, parts, tasksAbout, saysNothing);
  const unitTopics = new UnitTopics(registry, requests, index, cue);
  const ranking = { bestTaskOf: (w: string) => bestTaskOf(w), decisiveTaskOf, minConfidence: MIN_CONFIDENCE };
  const partQuestions = new PartQuestions(parts, registry, cue, ranking, asksForUnits, requests);

  const decideIntent = createIntentRules({ plan, lexicon, index, tasks, matcher, requests, parts, partQuestions, bestTaskOf, unitsInPart });

  /** The best task for an example when it is plainly that one: scoring half again as much as the next. */
  function decisiveTaskOf(words: string): number | undefined {
    const [best, next] = index.rank(index.terms(words));
    return best && best.score >= MIN_CONFIDENCE && best.score >= 1.5 * (next?.score ?? 0) ? best.id : undefined;
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
    // (the clauses that ask for a list, when some do: a fact asked beside it, 顺便问下这个方案是哪年印发的, …哪几条，另外
    // 这个要求什么时候报进展, is asked apart)
    const listClauses = requestsList ? clausesOf(normalized).filter((c) => requests.asks(cue.plainCues(c))) : [];
    const listAsked = listClauses.length ? listClauses.join('。') : normalized;
    const { decision, personal, asks, notAList } = answerDecision.decide({ normalized, residual, terms, ranked, coverage, forms, who, departments, listAsked });
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
    // (or one item of its asked for, 机关工委 结对共建 是哪一条 — not who does it, 留交会是哪个单位在办的)
    const itemOfUnit = ONE_ITEM.test(cueText) && !cue.WHO_CUE.test(cueText);
    if (!found.departments.length && !PART_CUE.test(normalized) && (requestsList || itemOfUnit)) {
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
    // another place's work, in a plan of one place (深圳那边幸福社区是谁牵头): not this plan's, however near its own work —
    // in a plan of no one place, which is every place's, how a place does it (深圳那边…是怎么搞的)
    const place = otherPlace?.exec(normalized)?.[1];
    if (place && (ownPlaces.length > 0 || lexicon.practice?.test(normalized))) return { ...base, intent: 'unknown', form: 'out', elsewhere: { place }, rule: 'unknown: another place asked about' };
    // what another document says (劳动合同法第四十条是啥内容): not this plan's, and 第四十条 there is no task
    const document = otherDocuments.named(normalized);
    if (document) return { ...base, intent: 'unknown', form: 'out', elsewhere: { document }, rule: 'unknown: another document asked about' };
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
    return decideIntent(understand(normalized, found, cueText, requestsList));
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