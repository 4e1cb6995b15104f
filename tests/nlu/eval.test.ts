import { describe, expect, it } from 'vitest';
import { engine } from './helpers.js';
import { evaluate, loadQuestions, summarize } from '../eval/eval-lib.js';

describe('the evaluation set (tests/eval/questions.jsonl)', () => {
  const questions = loadQuestions();
  const { perCategory, overall, misses } = summarize(evaluate(engine(), questions));

  it('has at least 200 questions across the categories', () => {
    expect(questions.length).toBeGreaterThanOrEqual(200);
    expect(Object.keys(perCategory)).toEqual(
      expect.arrayContaining(['paraphrase', 'keyword', 'typo_traditional', 'department_tasks', 'task_number', 'section', 'help', 'out_of_scope']),
    );
  });

  it('answers at least 95% right on the first task', () => {
    expect(overall.top1, JSON.stringify(misses.map((m) => m.q.question))).toBeGreaterThanOrEqual(0.95);
  });

  it('gets every department list and every task number right', () => {
    expect(perCategory.department_tasks.top1).toBe(1);
    expect(perCategory.task_number.top1).toBe(1);
  });

  it('names no department for out-of-scope questions', () => {
    for (const q of questions.filter((x) => x.category === 'out_of_scope')) {
      expect(engine().ask(q.question).departments, q.question).toEqual([]);
    }
  });
});
