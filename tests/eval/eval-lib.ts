import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QaEngine } from '../../src/nlu/engine.js';

export interface EvalQuestion {
  category: string;
  question: string;
  intent: string;
  /** responsibility: acceptable top tasks; department/section/task lists: exactly these tasks; help/unknown: []. */
  tasks: number[];
  departments?: string[];
}

export interface EvalResult {
  q: EvalQuestion;
  intent: string;
  top: number[];
  top1: boolean;
  top3: boolean;
}

export const QUESTIONS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'questions.jsonl');

export function loadQuestions(file = QUESTIONS_FILE): EvalQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
}

const LIST_INTENTS = new Set(['department_tasks', 'section_tasks', 'task_detail']);

export function evaluate(engine: QaEngine, questions: EvalQuestion[]): EvalResult[] {
  return questions.map((q) => {
    const a = engine.ask(q.question);
    const ids = a.tasks.map((t) => t.id);
    const intentOk = a.intent === q.intent;
    let top1: boolean;
    let top3: boolean;
    if (LIST_INTENTS.has(q.intent)) {
      top1 = top3 = intentOk && ids.length === q.tasks.length && q.tasks.every((id) => ids.includes(id));
      if (q.departments && q.intent === 'department_tasks') {
        top1 = top3 = top1 && q.departments.length === a.departments.length && q.departments.every((d) => a.departments.includes(d));
      }
    } else if (q.intent === 'responsibility') {
      top1 = intentOk && q.tasks.includes(ids[0]);
      top3 = intentOk && ids.slice(0, 3).some((id) => q.tasks.includes(id));
    } else {
      // help / unknown: no task and never a department
      top1 = top3 = intentOk && ids.length === 0 && a.departments.length === 0;
    }
    return { q, intent: a.intent, top: ids.slice(0, 3), top1, top3 };
  });
}

export function summarize(results: EvalResult[]) {
  const cats = [...new Set(results.map((r) => r.q.category))];
  const row = (rs: EvalResult[]) => ({
    n: rs.length,
    top1: rs.filter((r) => r.top1).length / Math.max(1, rs.length),
    top3: rs.filter((r) => r.top3).length / Math.max(1, rs.length),
  });
  return {
    perCategory: Object.fromEntries(cats.map((c) => [c, row(results.filter((r) => r.q.category === c))])),
    overall: row(results),
    misses: results.filter((r) => !r.top1),
  };
}
