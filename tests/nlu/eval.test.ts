import { describe, expect, it } from 'vitest';
import { createQaEngine } from '../../src/nlu/engine.js';
import { bigramBaseline } from '../eval/baseline.js';
import { evaluate, loadQuestions, loadSuitePlan, summarize } from '../eval/eval-lib.js';

/**
 * Guards against regressions: the development set (tuned on) must stay near its honest figure, and every
 * blind test split (never tuned on) must stay at or above the naive baseline on "who is responsible" questions.
 * Thresholds are the figures recorded in tests/eval/RECORD.md minus a margin.
 */
const engines = new Map<string, ReturnType<typeof build>>();
function build(plan: 'plan1' | 'plan2') {
  const loaded = loadSuitePlan(plan);
  return { loaded, engine: createQaEngine(loaded) };
}
const engineFor = (plan: 'plan1' | 'plan2') => engines.get(plan) ?? (engines.set(plan, build(plan)), engines.get(plan)!);

describe('the development set of the shipped plan (tests/eval/questions.jsonl)', () => {
  const questions = loadQuestions();
  const { loaded, engine } = engineFor('plan1');
  const { perCategory, responsibility, overall } = summarize(evaluate(engine, questions, bigramBaseline(loaded)));

  it('has questions of every category', () => {
    expect(questions.length).toBeGreaterThanOrEqual(200);
    expect(Object.keys(perCategory)).toEqual(
      expect.arrayContaining(['paraphrase', 'keyword', 'typo_traditional', 'department_tasks', 'task_number', 'section', 'help', 'out_of_scope']),
    );
  });

  it('answers "who is responsible" questions on the first task at least as well as recorded (minus a margin)', () => {
    expect(responsibility.top1).toBeGreaterThanOrEqual(0.93);
    expect(responsibility.top3).toBeGreaterThanOrEqual(0.97);
    expect(overall.top1).toBeGreaterThanOrEqual(0.94);
  });

  it('beats the naive baseline on "who is responsible" questions', () => {
    expect(responsibility.top1).toBeGreaterThan(responsibility.baseTop1!);
  });

  it('gets every department list and every task number right', () => {
    expect(perCategory.department_tasks.top1).toBe(1);
    expect(perCategory.task_number.top1).toBe(1);
  });

  it('names no department for out-of-scope questions and refuses almost no answerable one', () => {
    expect(overall.answeredOutOfScope).toBe(0);
    expect(overall.refused / overall.n).toBeLessThanOrEqual(0.02);
  });
});
