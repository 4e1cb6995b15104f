/**
 * Several plans at once: one QA engine per active plan (each answers for one plan, built on first use),
 * and the router above them that decides which plan a question is about —
 *   1. the plan it names (title or short name);
 *   2. a task or part number (「第5项」「第二部分」): the plan this chat last asked about, else the default plan;
 *   3. a department's list: every plan where the department exists, grouped by plan;
 *   4. otherwise the words: every engine's own answer-or-refuse probability for the question and its best
 *      task's ranking score; the clearly best plan answers; when two fit alike, both answer, grouped by plan.
 * A plan is data here too: names, counts and examples come from the plans loaded.
 */
import type { Analysis, QaAnswer, QaEngine } from '../nlu/engine.js';
import type { ScoredTask } from '../nlu/search.js';
import type { LoadedPlan } from '../plan/load.js';
import { mentionedPlans, planShortName, withoutPlanName } from '../plan/names.js';
import { planExamples } from '../plan/examples.js';
import type { ExampleFacts } from './commands.js';
import { splitText } from './split.js';
import type { Reply, SizeLimit } from './types.js';

export interface AskOptions {
  limit?: SizeLimit;
  /** Who is asking (the conversation key): a bare 「第5项」 goes to the plan this chat last asked about. */
  chat?: string;
  /** The chat's default plan (/plan): a bare 「第5项」 of a chat that has not asked about a plan yet goes to it. */
  defaultPlan?: string;
}

export type RoutedAnswer = QaAnswer & {
  /** The plans the answer comes from, by id (one, or several grouped). */
  plans: string[];
};

export interface PlanRouter extends QaEngine {
  ask(text: string, opts?: AskOptions): RoutedAnswer;
  /** The active plans, the default first. */
  plans(): LoadedPlan[];
  /** Replace the plans (an import or archive while running); unchanged plans keep their engines. */
  replace(plans: LoadedPlan[]): void;
  /** Example questions taken from the plans loaded, each checked against its own engine. */
  examples(): string[];
  /** The department, task number and question that fill the command examples of /help (from the default plan). */
  exampleFacts(): ExampleFacts;
  /** What the bot can answer: one line per plan with its task count. */
  describe(): string;
  /** Ranked task ids of one plan (by id) for a search box, by that plan's own engine; [] for no active plan of that id. */
  searchIn(plan: string, text: string, k?: number): ScoredTask[];
  /** How many engines have been built (the rest are built on first question). */
  readonly built: number;
}

/** An engine's answer counts as a fit from this probability of answering (its own fitted decision). */
const FIT = 0.5;
/**
 * Plans that fit are compared by the probability of answering times the best task's ranking score (the
 * probability saturates near 1 for a generic wording in both plans; the ranking score tells which plan's task
 * matches it more closely). Within this share of the best they fit alike: both answer. Calibrated on
 * questions made from the fixtures by rule (bench/plans-bench.ts).
 */
const ALIKE = 0.85;
/** Chats whose last plan is remembered (least recently used forgotten first). */
const MAX_CHATS = 5000;

interface Entry {
  loaded: LoadedPlan;
  fingerprint: string;
  name: string;
  engine?: QaEngine;
}

const fingerprintOf = (l: LoadedPlan) =>
  `${l.plan.id}\u0000${l.plan.title}\u0000${l.plan.tasks.map((t) => `${t.id}:${t.text}:${t.departments.join(',')}`).join('\u0001')}\u0000${l.registry.names.join(',')}`;

/** How well one plan's engine can answer the question (0: it would refuse). */
function fit(a: Analysis): number {
  if (a.intent === 'unknown' || a.intent === 'help') return 0;
  if (a.intent === 'department_tasks') return a.departments.length ? 1 : 0;
  return a.decision?.p ?? 1;
}

/** A question that points into a plan by number: 第5项, 第二部分, (十七). */
const byNumber = (a: Analysis) => (a.intent === 'task_detail' && a.taskNumber !== undefined) || (a.intent === 'section_tasks' && a.section !== undefined);

export function createPlanRouter(plans: LoadedPlan[], makeEngine: (loaded: LoadedPlan) => QaEngine): PlanRouter {
  let entries: Entry[] = [];
  /** The checked examples of the plans loaded (each check asks an engine), until the plans change. */
  let exampleCache: string[] | undefined;
  const lastPlan = new Map<string, string>();

  const engineOf = (e: Entry): QaEngine => (e.engine ??= makeEngine(e.loaded));
  const label = (e: Entry) => e.name || e.loaded.plan.title || e.loaded.plan.id;

  function replace(next: LoadedPlan[]): void {
    if (!next.length) throw new Error('没有有效的方案（都已归档）');
    const old = new Map(entries.map((e) => [e.fingerprint, e]));
    entries = next.map((loaded) => {
      const fingerprint = fingerprintOf(loaded);
      return old.get(fingerprint) ?? { loaded, fingerprint, name: planShortName(loaded.plan.title) };
    });
    exampleCache = undefined;
  }
  replace(plans);

  const remember = (chat: string | undefined, id: string) => {
    if (!chat) return;
    lastPlan.delete(chat);
    lastPlan.set(chat, id);
    if (lastPlan.size > MAX_CHATS) lastPlan.delete(lastPlan.keys().next().value!);
  };
  const contextPlan = (opts: AskOptions): Entry =>
    entries.find((e) => e.loaded.plan.id === (opts.chat && lastPlan.get(opts.chat))) ?? entries.find((e) => e.loaded.plan.id === opts.defaultPlan) ?? entries[0];

  /** Every task reference carries its plan: the JSON contract's `plan` beside `id`. */
  const tagged = (e: Entry, r: Reply): Reply => ({ ...r, tasks: r.tasks.map((t) => ({ plan: e.loaded.plan.id, ...t })) });

  // (the answer is built field by field, once: a copy of a copy of each reply cost about 3% of a question's CPU)
  function finish(question: string, { text, intent, tasks, departments, topic }: Reply, ids: string[], opts: AskOptions): RoutedAnswer {
    const chunks = opts.limit ? splitText(text, opts.limit) : [text];
    const answer: RoutedAnswer = { text, intent, tasks, departments, question, chunks, plans: ids };
    if (topic) answer.topic = topic;
    return answer;
  }

  /** One plan answers; with several plans loaded the answer says which plan it is from. */
  function single(e: Entry, question: string, asked: string, opts: AskOptions): RoutedAnswer {
    const answer = engineOf(e).ask(asked);
    // (thanks or 在吗 is no question of the plan: the courteous word back, under no plan's name)
    if (answer.courtesy) return finish(question, answer, [], opts);
    // Help and refusals list what can be asked of every plan loaded, with examples each engine answers — but a refusal
    // that says why is kept: a unit the plan lacks (本方案的责任单位里没有「公安局」), another document or place asked about,
    // the tasks that came near
    if (answer.intent === 'unknown' && !answer.saysWhy) return overall(question, 'unknown', opts);
    if (answer.intent === 'help' && !answer.overview) return overall(question, 'help', opts);
    remember(opts.chat, e.loaded.plan.id);
    const id = e.loaded.plan.id;
    const text = entries.length > 1 ? `【${label(e)}】\n${answer.text}` : answer.text;
    const tasks = answer.tasks.map((t) => ({ plan: id, ...t }));
    return finish(question, { text, intent: answer.intent, tasks, departments: answer.departments, topic: answer.topic }, [id], opts);
  }

  /** Several plans answer, grouped by plan. */
  function grouped(list: Entry[], question: string, opts: AskOptions): RoutedAnswer {
    const replies = list.map((e) => tagged(e, engineOf(e).ask(question)));
    const text = list.map((e, i) => `【${label(e)}】\n${replies[i].text}`).join('\n\n');
    const departments = [...new Set(replies.flatMap((r) => r.departments))];
    return finish(question, { text, intent: replies[0].intent, tasks: replies.flatMap((r) => r.tasks), departments }, list.map((e) => e.loaded.plan.id), opts);
  }

  function describe(): string {
    return entries.map((e) => `《${e.loaded.plan.title || label(e)}》${e.loaded.plan.tasks.length}项任务`).join('、');
  }

  function examples(): string[] {
    const several = entries.length > 1;
    return (exampleCache ??= entries.flatMap((e) => {
      const engine = engineOf(e);
      // Only examples this plan's engine answers as meant (and, with several plans, routed back to it).
      const ok = planExamples(e.loaded, { planName: several ? label(e) : undefined }).filter((ex) => {
        const a = engine.analyze(several ? withoutPlanName(ex.question, label(e)) : ex.question);
        return a.intent === ex.intent && (ex.task === undefined || a.ranked[0]?.id === ex.task || a.taskNumber === ex.task);
      });
      return ok.slice(0, several ? 3 : 5).map((ex) => ex.question);
    }));
  }

  function exampleFacts(): ExampleFacts {
    const { plan, registry } = entries[0].loaded;
    const tasksOf = (name: string) => plan.tasks.filter((t) => t.departments.includes(name));
    // The single unit with most tasks (a collective one such as 各有关单位 reads badly in /bind), and one of its tasks.
    const units = registry.names.filter((n) => tasksOf(n).length).sort((a, b) => tasksOf(b).length - tasksOf(a).length);
    const department = units.find((n) => !/^各|、/.test(n)) ?? units[0] ?? registry.names[0] ?? '';
    const own = tasksOf(department);
    const task = own[Math.floor((own.length - 1) / 2)]?.id ?? plan.tasks[0]?.id ?? 1;
    const responsibility = planExamples(entries[0].loaded).find((e) => e.intent === 'responsibility');
    const question = (examples().find((e) => e === responsibility?.question) ?? examples()[0] ?? '').replace(/[？?]$/, '');
    return { department, task, taskReference: entries.length > 1 ? `${label(entries[0])} ${task}` : String(task), question };
  }

  /** Greeting, 帮助, or nothing any plan knows: what can be asked, from every plan. */
  function overall(question: string, intent: 'help' | 'unknown', opts: AskOptions, unknownUnit?: string): RoutedAnswer {
    const shown = [...question.replace(/\s+/g, ' ').trim()].slice(0, 30).join('');
    // (one plan is named as one: 可以回答《…》61项任务的分工问题, not 以下方案)
    const several = entries.length > 1;
    const head =
      intent === 'help'
        ? several
          ? `我是督办助手，可以回答以下方案的分工问题：${describe()}。某件事由哪些部门负责、某个部门有哪些任务、第几项任务的内容、某一部分包括哪些任务；问题里提到方案名称，就按该方案回答。`
          : `我是督办助手，可以回答${describe()}的分工问题：某件事由哪些部门负责、某个部门有哪些任务、第几项任务的内容、某一部分包括哪些任务。`
        : unknownUnit
          ? `这些方案的责任单位里都没有「${unknownUnit}」：${describe()}。`
          : several
            ? `没有找到与「${shown}」直接对应的任务。我能回答这些方案的分工问题：${describe()}。`
            : `没有找到与「${shown}」直接对应的任务。我只能回答${describe()}的分工问题。`;
    const text = [head, intent === 'help' ? '例如：' : '可以这样问：', ...examples().map((e) => `· ${e}`)].join('\n');
    return finish(question, { text, intent, tasks: [], departments: [] }, entries.map((e) => e.loaded.plan.id), opts);
  }

  function ask(text: string, opts: AskOptions = {}): RoutedAnswer {
    const question = String(text ?? '');
    if (entries.length === 1) return single(entries[0], question, question, opts);

    const named = mentionedPlans(question, entries.map((e) => ({ id: e.loaded.plan.id, title: e.loaded.plan.title, entry: e })));
    if (named.length === 1) return single(named[0].plan.entry, question, withoutPlanName(question, named[0].words) || question, opts);
    const candidates = named.length > 1 ? named.map((n) => n.plan.entry) : entries;

    const analyses = candidates.map((e) => ({ e, a: engineOf(e).analyze(question) }));
    if (analyses.some(({ a }) => a.courtesy)) return single(contextPlan(opts), question, question, opts);
    if (analyses.every(({ a }) => a.intent === 'help' && !a.overview)) return overall(question, 'help', opts);
    if (analyses.some(({ a }) => a.overview)) return grouped(candidates, question, opts);
    if (analyses.some(({ a }) => byNumber(a))) {
      const here = named.length > 1 ? candidates[0] : contextPlan(opts);
      return single(here, question, question, opts);
    }
    const lists = analyses.filter(({ a }) => a.intent === 'department_tasks' && a.departments.length);
    if (lists.length) return lists.length === 1 ? single(lists[0].e, question, question, opts) : grouped(lists.map((l) => l.e), question, opts);

    const fitting = analyses
      .map(({ e, a }) => ({ e, p: fit(a), score: fit(a) * Math.max(a.confidence, 0.1) }))
      .filter((x) => x.p >= FIT)
      .sort((x, y) => y.score - x.score);
    if (!fitting.length) {
      // Nothing fits: the chat's plan answers if it has a partial answer of its own, else what can be asked.
      const here = contextPlan(opts);
      const own = analyses.find((x) => x.e === here)?.a;
      if (own && own.intent !== 'unknown' && own.intent !== 'help') return single(here, question, question, opts);
      // a unit none of the plans has (公安局有哪些任务): said as such
      const unit = analyses[0]?.a.unknownUnit;
      return overall(question, 'unknown', opts, unit && analyses.every(({ a }) => a.unknownUnit === unit) ? unit : undefined);
    }
    const alike = fitting.filter((x) => x.score >= fitting[0].score * ALIKE);
    return alike.length > 1 ? grouped(alike.map((x) => x.e), question, opts) : single(fitting[0].e, question, question, opts);
  }

  // Understanding calls without a question's routing (progress handlers) use the default plan.
  const first = () => engineOf(entries[0]);
  return {
    ask,
    plans: () => entries.map((e) => e.loaded),
    replace,
    examples,
    exampleFacts,
    describe,
    get built() {
      return entries.filter((e) => e.engine).length;
    },
    search: (t, k) => first().search(t, k),
    searchIn: (plan, t, k) => {
      const e = entries.find((x) => x.loaded.plan.id === plan);
      return e ? engineOf(e).search(t, k) : [];
    },
    resolveDepartments: (t) => first().resolveDepartments(t),
    parseTaskNumber: (t) => first().parseTaskNumber(t),
    analyze: (t) => first().analyze(t),
    query: (t) => first().query(t),
  };
}
