import { describe, expect, it } from 'vitest';
import type { QaEngine } from '../../src/nlu/engine.js';
import { withAnswerCache } from '../../src/nlu/answer-cache.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { loadPlan } from '../../src/plan/load.js';

describe('repeated questions are answered from the cache', () => {
  const engine = createQaEngine(loadPlan());
  const counting = (): QaEngine & { calls: number } => {
    const e = { ...engine, calls: 0 };
    e.ask = (text, opts) => {
      e.calls++;
      return engine.ask(text, opts);
    };
    return e;
  };

  it('the same question twice is computed once and answered identically', () => {
    const inner = counting();
    const qa = withAnswerCache(inner, 10);
    const first = qa.ask('谁负责调解员培训?');
    expect(qa.ask('谁负责调解员培训?')).toBe(first);
    expect(inner.calls).toBe(1);
    expect(first.tasks[0].id).toBe(48);
  });

  it('a different size limit is a different answer (its chunks differ)', () => {
    const inner = counting();
    const qa = withAnswerCache(inner, 10);
    const bytes = qa.ask('人社有哪些任务', { limit: { max: 2048, measure: 'bytes' } });
    const chars = qa.ask('人社有哪些任务', { limit: { max: 4096, measure: 'chars' } });
    expect(inner.calls).toBe(2);
    expect(bytes.chunks.length).toBeGreaterThan(chars.chunks.length);
  });

  it('keeps only the most recent answers', () => {
    const inner = counting();
    const qa = withAnswerCache(inner, 2);
    qa.ask('第1项');
    qa.ask('第2项');
    qa.ask('第1项'); // hit: 第1项 becomes the most recent
    qa.ask('第3项'); // evicts 第2项
    qa.ask('第1项');
    qa.ask('第2项');
    expect(inner.calls).toBe(4);
  });

  it('size 0 turns the cache off', () => {
    const inner = counting();
    const qa = withAnswerCache(inner, 0);
    qa.ask('第1项');
    qa.ask('第1项');
    expect(inner.calls).toBe(2);
  });
});
