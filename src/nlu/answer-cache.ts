import type { SizeLimit } from '../core/types.js';
import type { QaAnswer, QaEngine } from './engine.js';

/**
 * Answers depend only on the question and the plan, and chat traffic repeats itself (the same question in
 * several groups, the chat page's examples), so the most recent answers are kept. Answers are shared: never mutate one.
 */
export function withAnswerCache(engine: QaEngine, size: number): QaEngine {
  if (size <= 0) return engine;
  const answers = new Map<string, QaAnswer>();
  const ask = (text: string, opts?: { limit?: SizeLimit }): QaAnswer => {
    const key = `${opts?.limit?.max ?? ''}${opts?.limit?.measure ?? ''}\u0000${text}`;
    const hit = answers.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      answers.delete(key);
      answers.set(key, hit);
      return hit;
    }
    const answer = engine.ask(text, opts);
    answers.set(key, answer);
    if (answers.size > size) answers.delete(answers.keys().next().value!);
    return answer;
  };
  return { ...engine, ask };
}
