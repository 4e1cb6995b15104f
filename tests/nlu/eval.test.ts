import { describe, expect, it } from 'vitest';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { bigramBaseline } from '../eval/baseline.js';
import { evaluate, loadQuestions, loadSuitePlan, preloadSuitePlans, suites, summarize, type EvalSuite } from '../eval/eval-lib.js';
import { STRESS_BATCHES } from '../eval/fit-lib.js';

/**
 * Guards against regressions: the development set (tuned on) must stay near its honest figure, and every
 * blind test split (never tuned on) must stay at or above the naive baseline on "who is responsible" questions.
 * Thresholds are the figures recorded in tests/eval/RECORD.md minus a margin.
 */
await preloadSuitePlans();
const engines = new Map<string, ReturnType<typeof build>>();
function build(plan: EvalSuite['plan']) {
  const loaded = loadSuitePlan(plan);
  return { loaded, engine: createQaEngine(loaded) };
}
const engineFor = (plan: EvalSuite['plan']) => engines.get(plan) ?? (engines.set(plan, build(plan)), engines.get(plan)!);

describe('the development set of the shipped plan (tests/eval/questions.jsonl)', () => {
  // the boundary batch (near misses half and half) is held to its own figures below
  const questions = loadQuestions().filter((q) => !STRESS_BATCHES.has(q.batch ?? ''));
  const { loaded, engine } = engineFor('plan1');
  const { perCategory, responsibility, overall } = summarize(evaluate(engine, questions, bigramBaseline(loaded)));

  it('has questions of every category', () => {
    expect(questions.length).toBeGreaterThanOrEqual(200);
    expect(Object.keys(perCategory)).toEqual(
      expect.arrayContaining(['paraphrase', 'keyword', 'typo_traditional', 'department_tasks', 'task_number', 'section', 'help', 'out_of_scope']),
    );
  });

  it('answers "who is responsible" questions on the first task at least as well as recorded (minus a margin)', () => {
    // recorded after blind batch 4 joined: top-1 95.3%, top-3 96.9%; with the decision fitted on five plans (stop 14)
    // 94.9% / 96.2%: it refuses more of the first, hand-written questions (bare topics: 小微企业的调解机制怎么建); 94.1%
    // when batch 54's who-questions in everyday words joined at 55.0% (stop 17), 93.9% after a topic said right after
    // the unit became a list's topic (政法委考核这块怎么弄 is now that unit's list about 考核: RECORD.md); 92.8% when
    // batch 76's who-questions that avoid the plan's own terms joined at 42.5% (session 22), 92.4% after batches 78 and 80
    // (77.5% and 80.0% when they arrived), 91.7% after batches 81 and 82 (67.5%, 72.5%), 90.9% after 121A (75.0%),
    // 90.4% after 126D and 131C (67.5%, 77.5%)
    expect(responsibility.top1).toBeGreaterThanOrEqual(0.9);
    expect(responsibility.top3).toBeGreaterThanOrEqual(0.93); // (95.5% before batch 54, whose top-3 was 70%; 94.96% after batch 76, 93.9% after 82, 93.4% after 131C)
    // (94.7% after batch 76, 94.4% after 80, 94.0% after 82, 93.4% after 111A at 82.5%, 92.9% after 126D at 67.5%, 92.5%
    // after 131C, 133A, 135D and 137A at 77.5–82.5%)
    expect(overall.top1).toBeGreaterThanOrEqual(0.92);
  });

  it('beats the naive baseline on "who is responsible" questions', () => {
    expect(responsibility.top1).toBeGreaterThan(responsibility.baseTop1!);
  });

  it('gets department lists and task numbers right', () => {
    // 95.7% when the list-only blind batch 14 joined, 98.0% after the list rules it led to (RECORD.md); 97.0% when
    // batches 23L and 29L joined, 97.4% after
    expect(perCategory.department_tasks.top1).toBeGreaterThanOrEqual(0.97);
    // every task number (batch 99A's 领导让我核一下最后三条任务 too, since words naming nothing of the plan only ask)
    const numbers = perCategory.task_number;
    expect(Math.round(numbers.n * (1 - numbers.top1))).toBe(0);
  });

  it('rarely answers an out-of-scope question with a task, and rarely refuses an answerable one', () => {
    // recorded after blind batch 4 joined: 6 of 234 out-of-scope answered (2.6%), 18 of 1,631 refused (1.1%)
    expect(overall.answeredOutOfScope / perCategory.out_of_scope.n).toBeLessThanOrEqual(0.035);
    expect(overall.refused / overall.n).toBeLessThanOrEqual(0.015);
  });
});

describe('the development set of the untuned second plan (tests/eval/plan2/dev.jsonl)', () => {
  const suite = suites().find((s) => s.name === 'plan2 dev')!;
  const { loaded, engine } = engineFor('plan2');
  const questions = loadQuestions(suite.file).filter((q) => !STRESS_BATCHES.has(q.batch ?? ''));
  const { perCategory, responsibility, overall } = summarize(evaluate(engine, questions, bigramBaseline(loaded)));

  it('answers as well as recorded (minus a margin) and at least as well as the naive baseline', () => {
    expect(responsibility.top1).toBeGreaterThanOrEqual(0.95);
    expect(responsibility.top1).toBeGreaterThanOrEqual(responsibility.baseTop1!);
  });

  // Sections: batch 34 (40 written by a writer of part questions only, RECORD.md) brought harder ones, most of them
  // parts given by examples of what they hold.
  // Task numbers: one of batch 40's misses (三十八条是不是讲房子的？确认下内容: 房子 is not the plan's word).
  it('gets task numbers right but one, and at least 93% of sections', () => {
    expect(perCategory.task_number.top1).toBeGreaterThanOrEqual(0.98);
    expect(perCategory.section.top1).toBeGreaterThanOrEqual(0.93);
  });

  it('rarely refuses an answerable question or answers an out-of-scope one', () => {
    expect(overall.refused / overall.n).toBeLessThanOrEqual(0.025);
    expect(overall.answeredOutOfScope / perCategory.out_of_scope.n).toBeLessThanOrEqual(0.05);
  });
});

describe('the development set of the sixth plan (tests/eval/plan6/dev.jsonl: ministries as units, batches 19–21)', () => {
  const suite = suites().find((s) => s.name === 'plan6 dev')!;
  const { engine } = engineFor('plan6');
  const { perCategory } = summarize(evaluate(engine, loadQuestions(suite.file)));

  // Recorded when batch 19 arrived (RECORD.md): unit lists 42 of 60 (70–80%), then 52 of 60 — a ministry by its stem
  // (税务这边), beside the plan's subject (综保区), with the national level (国家文物局). Batch 20 joined unseen: 61 of 70
  // lists, 30 of 31 parts; then the names of central bodies (税总, GACC, 环保部) and batch 21, unseen: 109 of 120 lists,
  // 46 of 48 parts.
  // Task numbers: all but one of batch 45's (七条 建设创新高地那个 涉及哪几个部门 — asks who, answered with task 7 first),
  // batch 53's 17号那条融资租赁的是谁负责 (a who-question, answered with task 17) and batch 110's 第8根第10条 (跟 typed as
  // 根); the first or last few asked with words that name nothing of the plan (列一列, 最后两条 task) are read since.
  // Four since batch 220C joined: 麻烦看下综保区实施意见里面二十一那条写的什么，会上有人提到了 (a number said loosely, the
  // plan's name and a story around it) is ranked as a who-question.
  it('lists a ministry’s tasks however it is named, and gets every task number but four and nearly every part', () => {
    expect(perCategory.department_tasks.top1).toBeGreaterThanOrEqual(0.9);
    const numbers = perCategory.task_number;
    expect(Math.round(numbers.n * (1 - numbers.top1))).toBeLessThanOrEqual(4);
    expect(perCategory.section.top1).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the development set of the seventh plan (tests/eval/plan7/dev.jsonl: one flat list of measures, ministries, no lead)', () => {
  const suite = suites().find((s) => s.name === 'plan7 dev')!;
  const { engine } = engineFor('plan7');
  const { perCategory, overall } = summarize(evaluate(engine, loadQuestions(suite.file)));

  // Recorded when batches 25 and 26 arrived (RECORD.md): out-of-scope answered 5 of 20 and 12 of 30 (its one untitled
  // part matched every question), unit lists 9 of 10 and 25 of 50; at the end of stop 14: 1 of 50 answered, lists 50 of
  // 60, every task number — until batch 59's number writer joined: three of its forms still missed (第六点 交通那个
  // 哪家负责来着 and 那第十五呢，工业那块是谁的活 are answered as who-questions of that task; di 9 tiao shi sha a is pinyin).
  it('answers near misses with no measure, lists a ministry’s measures, gets the task numbers', () => {
    // (3 since batch 61's boundary writer joined with one near miss answered; 6 since batch 196D's writer of hard
    // out-of-scope messages joined: 文物保护单位的修缮资金, 网约车合规化, 森林防火的督查责任单位 of other fields and another
    // document's 营商环境评价方案 are answered; 13 since batch 212A, a writer of hard out-of-scope messages, joined with 7 of
    // its 40 answered: 安全生产专项整治三年行动、粮食最低收购价、文物保护 of other fields)
    expect(overall.answeredOutOfScope).toBeLessThanOrEqual(13);
    expect(perCategory.department_tasks.top1).toBeGreaterThanOrEqual(0.8);
    const numbers = perCategory.task_number;
    // (4 since batches 130B and 136D joined: 4号和26号任务找出来, 第二三条 for the second and third)
    expect(Math.round(numbers.n * (1 - numbers.top1))).toBeLessThanOrEqual(4);
  });
});

describe('the boundary batches: near misses and look-alike answerable questions (blind batches 5 and 18B, not fitted on)', () => {
  // Recorded when it arrived (RECORD.md): out-of-scope answered 19/80, 8/60, 11/60; answerable refused 0/80, 3/60,
  // 1/60. A ratchet: the decision must not get worse at telling them apart. Plan 2's ceiling went from 8 to 9 when
  // the segmenter's guesses stopped counting as unknown words: one near miss more answered here, six answerable
  // questions fewer refused on the development sets and plan 4 (RECORD.md, batch 8). Tightened to the figures after
  // the asked-for facts gained opening hours, the counter to go to and 我还能…吗, and again after the refit with
  // blind batch 9, and again when a channel to choose for one's own case (该找仲裁还是直接去法院) became an asked-for fact,
  // and when text work asked of the bot (翻译成英文, 改写) was declined. Plan 3's went back from 5 to 6 when 三甲 became a
  // short form of the plan's 三级甲等: 「广州现在一共有几家三甲医院」 is now a near miss answered (RECORD.md). Tightened
  // again when 还能…吗 / 能要…不 and 有没有规定 / 有效吗 became asked-for facts, and when a place asked for gained
  // 几楼 / 哪个位置 / 哪条路. Batch 18B joined with its own figures as it arrived (11/30, 0/30, 5/30 answered; 0, 1, 0
  // refused): the ceilings are the sums; tightened when opening hours, a name and points (占几分) were asked-for facts,
  // and again for a head count (至少几个委员) and a roster asked to be sent (发个名单); plan 2 refuses one answerable
  // question fewer since a bare 材料 (搞材料的, a field of science) is no longer a fact asked for. Tightened in stop 16
  // when how often, a share, a format, an age limit, a scope, a likely ruling and a recommendation became asked-for facts.
  const ceilings: Record<string, { answered: number; refused: number }> = {
    'plan1 dev': { answered: 4, refused: 0 },
    'plan2 dev': { answered: 2, refused: 1 },
    'plan3 dev': { answered: 7, refused: 0 },
  };
  for (const [name, ceiling] of Object.entries(ceilings)) {
    it(`${name}: no more out-of-scope answered or answerable refused than recorded`, () => {
      const suite = suites().find((s) => s.name === name)!;
      const boundary = loadQuestions(suite.file).filter((q) => STRESS_BATCHES.has(q.batch ?? ''));
      expect(boundary.length).toBeGreaterThan(0);
      const { overall } = summarize(evaluate(engineFor(suite.plan).engine, boundary));
      expect(overall.answeredOutOfScope, name).toBeLessThanOrEqual(ceiling.answered);
      expect(overall.refused, name).toBeLessThanOrEqual(ceiling.refused);
    });
  }
});

describe('the blind test splits (figures only, never tuned on)', () => {
  // The target is never to fall below the naive baseline on held-out questions. Measured on 2026-11-29 (RECORD.md)
  // the engine is still just below it on plan 1 (after round 3 of issue 9: plan 1: 97.8% vs 98.9%; plan 2, whose
  // answer-or-refuse decision is now fitted on its dev set too: 95.5% vs 93.3%; plan 3, never tuned, loaded through
  // the importer: equal to it): this guard is a ratchet that stops the gap from growing; tighten it as the gap closes.
  // Plan 4 (a fourth domain, never tuned): 96.1% vs 97.4% when it arrived, 92.3% vs 94.4% with blind batch 9, 93.0%
  // after the refit with batch 9.
  // Plan 5 (a fifth domain, never tuned): 83.1% vs 88.3% when it arrived, 85.7% after the refit with batch 9.
  // Tightened at the end of stop 13 (RECORD.md): plan 1 98.4% vs 98.9%, plan 4 96.4% vs 96.2%, plan 5 94.9% vs 95.2%.
  // Plan 7 (a seventh domain, a flat list of measures): 95.2% vs 96.8% when it arrived, 96.8% once a plan without
  // parts no longer had an untitled part that every question named.
  // Tightened at the end of stop 14: plan 5 95.4% vs 95.4% (the decision fitted on five plans), plan 7 98.4% vs 96.8%.
  // Plan 8 (an eighth domain, never tuned): 96.4% vs 94.5% when it arrived.
  // Plan 9 (a ninth domain of long tasks, a development plan since): 96.3% vs 96.3% when it arrived (batch 138); 95.0%
  // with the ranking refitted on every development plan (session 27: −1 here, held-out who batches +17); 92.5% vs
  // 95.0% once batch 144A (35 / 40 against the baseline's 37) joined it; 95.0% vs 95.0% with a task's length weighed
  // (session 28, RECORD.md).
  // Plan 10 (a local economic package, a development plan standing in for plan 8): 82.5% vs 80.0% (everyday who) and
  // 100% vs 96.0% (group-chat mix) when it arrived (session 46).
  const allowedGap: Record<string, number> = { 'plan1 test': 0.006, 'plan2 test': 0, 'plan3 test': 0.005, 'plan4 test': 0, 'plan5 test': 0, 'plan7 test': 0, 'plan8 test': 0, 'plan9 test': 0, 'plan10 test': 0 };
  it('keep "who is responsible" questions within the recorded gap of the naive baseline (plans 1–3, the untuned plans 4, 5 and 8, plans 7, 9 and 10)', () => {
    const tests = suites().filter((s) => s.split === 'test');
    expect(tests.map((s) => s.name)).toEqual(['plan1 test', 'plan2 test', 'plan3 test', 'plan4 test', 'plan5 test', 'plan7 test', 'plan8 test', 'plan9 test', 'plan10 test']);
    for (const suite of tests) {
      const { loaded, engine } = engineFor(suite.plan);
      const { responsibility } = summarize(evaluate(engine, loadQuestions(suite.file), bigramBaseline(loaded)));
      expect(responsibility.top1, suite.name).toBeGreaterThanOrEqual((responsibility.baseTop1 ?? 0) - allowedGap[suite.name]);
    }
  });
});

describe('the list requests of both plans (tests/eval/lists: written blind, now development questions)', () => {
  // Exact lists: a unit's tasks, a part or subsection, a task by number in any writing. Figures recorded in
  // RECORD.md (100% in every category after the list work of 2026-11-29) minus a margin of one question; plan 1's
  // since batch 37 (a writer of lists only, and one of parts only) joined it: 95.8% and 96.3%; task numbers since
  // batch 39's number writer joined it (three of its forms still missed: 那六十条呢, 35点是讲…吗, 五十五条 人社…).
  const floors: Record<string, Record<string, number>> = {
    'plan1 lists': { department_tasks: 0.94, section: 0.9, task_number: 0.94 },
    'plan2 lists': { department_tasks: 0.97, section: 0.95, task_number: 1 },
    // a unit's tasks about one topic (batch 51): 42.5%, 30.0%, 25.0% and 50.0% when it joined (RECORD.md); plan 1's
    // (batch 54): 62.5%; since one item asked narrows the list and the topic alone chooses it (session 19): 82.5, 73.8,
    // 60.0, 47.5, 80.0%; plan 3's with batch 68F 58.8%; after session 20 (a stem said as the actor, a topic's own words):
    // 82.5, 75.0, 61.3, 62.5, 82.5%; with batches 89 and 92 (session 23, new writers): 75.7, 80.0, 64.5, 70.9, 84.3%
    'plan1 narrow': { department_tasks: 0.74 },
    'plan2 narrow': { department_tasks: 0.79 },
    'plan3 narrow': { department_tasks: 0.63 },
    'plan6 narrow': { department_tasks: 0.7 },
    'plan7 narrow': { department_tasks: 0.83 },
  };
  for (const [name, floor] of Object.entries(floors)) {
    it(`${name}: every category at least as recorded (minus a margin)`, () => {
      const suite = suites().find((s) => s.name === name)!;
      const { perCategory } = summarize(evaluate(engineFor(suite.plan).engine, loadQuestions(suite.file)));
      for (const [category, min] of Object.entries(floor)) expect(perCategory[category].top1, `${name} ${category}`).toBeGreaterThanOrEqual(min);
    });
  }
});
