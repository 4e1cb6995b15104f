/**
 * Fitting the ranking model on development questions: BM25F parameters by grid search, the weights of the
 * signals by coordinate ascent on top-1, and k-fold cross-validation that reports what each signal is worth
 * on questions it was not fitted on. Small and deterministic; used by `npm run fit` and `npm run eval -- --cv`.
 */
import type { QaEngine } from '../../src/nlu/engine.js';
import type { LoadedPlan } from '../../src/plan/load.js';
import { loadLexicon } from '../../src/nlu/lexicon.js';
import { TaskIndex, type QueryTerms } from '../../src/nlu/search.js';
import { combine, FEATURES, type RankModel } from '../../src/nlu/rank-model.js';
import type { Bm25fParams } from '../../src/nlu/bm25f.js';
import path from 'node:path';
import { loadQuestions, PLAN2_DIR, PLAN3_DIR, type EvalQuestion } from './eval-lib.js';

export interface FitQuestion {
  gold: number[];
  terms: QueryTerms;
  departments: string[];
}

/** Feature rows of every task for every question, under one BM25F parameter set (questions of several plans: ids per question). */
export interface Matrix {
  ids: Array<readonly number[]>;
  rows: Float64Array[][];
  gold: Array<Set<number>>;
}

/** One plan's "who is responsible" development questions, read by its engine. */
export interface FitSet {
  loaded: LoadedPlan;
  qs: FitQuestion[];
}

export function fitQuestions(engine: QaEngine, questions: EvalQuestion[]): FitQuestion[] {
  return questions
    .filter((q) => q.intent === 'responsibility' && q.tasks.length)
    .map((q) => ({ gold: q.tasks, ...engine.query(q.question) }));
}

export function matrix(sets: FitSet[], model: RankModel, lexicon = loadLexicon()): Matrix {
  const out: Matrix = { ids: [], rows: [], gold: [] };
  for (const { loaded, qs } of sets) {
    const index = new TaskIndex(loaded.plan, lexicon, model);
    for (const q of qs) {
      const f = index.features(q.terms, q.departments);
      out.ids.push(f.ids);
      out.rows.push(f.rows);
      out.gold.push(new Set(q.gold));
    }
  }
  return out;
}

/** Top-1 hits (a gold task ranked first, ties to the lower id as in the engine) plus a little of the reciprocal rank. */
export function objective(m: Matrix, weights: ArrayLike<number>, subset?: number[]): { top1: number; n: number; score: number } {
  let top1 = 0;
  let rr = 0;
  const which = subset ?? m.rows.map((_, i) => i);
  for (const qi of which) {
    const rows = m.rows[qi];
    const ids = m.ids[qi];
    const scores = rows.map((r) => {
      let s = 0;
      for (let f = 0; f < weights.length; f++) s += weights[f] * r[f];
      return s;
    });
    let best = -1;
    for (let i = 0; i < scores.length; i++) if (best < 0 || scores[i] > scores[best] || (scores[i] === scores[best] && ids[i] < ids[best])) best = i;
    if (m.gold[qi].has(ids[best])) top1++;
    // rank of the best gold task
    let bestGold = -Infinity;
    for (let i = 0; i < scores.length; i++) if (m.gold[qi].has(ids[i]) && scores[i] > bestGold) bestGold = scores[i];
    const rank = 1 + scores.filter((s) => s > bestGold).length;
    rr += 1 / rank;
  }
  return { top1, n: which.length, score: top1 + 0.05 * rr };
}

const STEPS = [0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.8, 1];

/**
 * Coordinate ascent: each weight in turn takes the value of STEPS that scores best with the others fixed,
 * until no weight changes. `mask` switches signals off (ablation). Weights are kept non-negative, and the
 * coverage weight is fixed at its starting value (the scale; only ratios matter for the ranking).
 */
export function fitWeights(m: Matrix, start: number[], subset?: number[], mask: boolean[] = FEATURES.map(() => true)): number[] {
  const w = start.map((x, f) => (mask[f] ? x : 0));
  let current = objective(m, w, subset).score;
  for (let pass = 0; pass < 6; pass++) {
    let changed = false;
    for (let f = 1; f < w.length; f++) {
      if (!mask[f]) continue;
      let bestValue = w[f];
      for (const v of STEPS) {
        if (v === w[f]) continue;
        const trial = [...w];
        trial[f] = v;
        const s = objective(m, trial, subset).score;
        if (s > current + 1e-9) {
          current = s;
          bestValue = v;
        }
      }
      if (bestValue !== w[f]) {
        w[f] = bestValue;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return w;
}

/** Deterministic k folds (question i goes to fold i mod k after a fixed shuffle). */
export function folds(n: number, k: number): number[][] {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => hash(a) - hash(b) || a - b);
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

function hash(i: number): number {
  let x = (i + 1) * 2654435761;
  x ^= x >>> 13;
  return (x * 1597334677) >>> 0;
}

export interface CvReport {
  /** Mean held-out top-1 of the full model, of the BM25F floor alone (char n-grams + words), and without each signal. */
  full: number;
  floor: number;
  without: Record<string, number>;
  /** Held-out top-1 of the weights as stored (fitted on all questions: optimistic). */
  stored: number;
}

export function crossValidate(m: Matrix, start: number[], stored: number[], k = 5, signals: boolean[] = FEATURES.map(() => true)): CvReport {
  const parts = folds(m.rows.length, k);
  const heldOut = (mask: boolean[]) => {
    let hits = 0;
    let n = 0;
    for (let f = 0; f < k; f++) {
      const train = parts.filter((_, g) => g !== f).flat();
      const w = fitWeights(m, start, train, mask);
      const r = objective(m, w, parts[f]);
      hits += r.top1;
      n += r.n;
    }
    return hits / n;
  };
  const all = signals;
  const floorMask = FEATURES.map((f) => f === 'coverage' || f.startsWith('char') || f === 'words');
  const without: Record<string, number> = {};
  for (let f = 1; f < FEATURES.length; f++) if (all[f]) without[FEATURES[f]] = heldOut(all.map((on, g) => on && g !== f));
  const s = objective(m, stored);
  return { full: heldOut(all), floor: heldOut(floorMask), without, stored: s.top1 / s.n };
}

/**
 * BM25F parameters of one field set (the other fixed), chosen by what the whole ranking makes of them: at each point
 * the signals' weights are refitted and the top-1 of the refitted ranking scores it (the floor signals alone once
 * chose a saturation that the full ranking did worse with). One parameter at a time over its grid, from the stored
 * point, until none changes (~10 points instead of the grid's 36).
 */
export function fitBm25(sets: FitSet[], base: RankModel, which: 'chars' | 'words', lexicon = loadLexicon()): Bm25fParams {
  const grid = { k1: [0.6, 1.2, 2], b: [0.3, 0.6, 0.9], sub: [0.3, 1], sec: [0, 0.3] };
  const score = (p: Bm25fParams) => {
    const m = matrix(sets, { ...base, [which]: p }, lexicon);
    return objective(m, fitWeights(m, base.weights)).score;
  };
  const at = (k1: number, b: number, sub: number, sec: number): Bm25fParams => ({ k1, b, fields: [1, sub, sec] });
  let point = { k1: base[which].k1, b: base[which].b, sub: base[which].fields[1] ?? 0.3, sec: base[which].fields[2] ?? 0 };
  let best = score(at(point.k1, point.b, point.sub, point.sec));
  for (let pass = 0, changed = true; changed && pass < 3; pass++) {
    changed = false;
    for (const key of ['k1', 'b', 'sub', 'sec'] as const) {
      for (const v of grid[key]) {
        if (v === point[key]) continue;
        const trial = { ...point, [key]: v };
        const s = score(at(trial.k1, trial.b, trial.sub, trial.sec));
        if (s > best + 1e-9) {
          best = s;
          point = trial;
          changed = true;
        }
      }
    }
  }
  return at(point.k1, point.b, point.sub, point.sec);
}

export { combine };

/** One question that reached the answer-or-refuse decision: its signals, 1 = should answer, and where it comes from. */
export interface DecisionExample {
  x: number[];
  y: number;
  /** Plan and batch ("plan1 blind-2"), for leave-one-batch-out validation. */
  group: string;
}

/**
 * Batches written to stress the decision, not to sample users: blind-5 and blind-18B pair near misses with look-alike
 * answerable questions half and half. Fitted on, its mix moves the prior (the test splits lost two answerable questions for one
 * out-of-scope one fewer, RECORD.md), so it measures the decision and is not fitted on.
 */
export const STRESS_BATCHES = new Set(['blind-5', 'blind-18B']);

/** Decision examples: the signals of questions that reached the answer-or-refuse decision, 1 = should answer. */
export function decisionExamples(engine: QaEngine, questions: EvalQuestion[], plan = 'plan1'): DecisionExample[] {
  const out: DecisionExample[] = [];
  for (const q of questions) {
    if ((q.intent !== 'responsibility' && q.intent !== 'unknown') || STRESS_BATCHES.has(q.batch ?? '')) continue;
    const d = engine.analyze(q.question).decision;
    if (d) out.push({ x: d.signals, y: q.intent === 'responsibility' ? 1 : 0, group: `${plan} ${q.batch ?? 'dev'}` });
  }
  return out;
}

/**
 * The decision's examples from the development sets of every plan that has one (tests/eval/questions.jsonl, plan2/,
 * plan3/, plan6/, plan7/, plan9/, plan10/): the decision is general, so it is fitted and checked on plans of several domains, units
 * and shapes. `engineFor` builds a plan's engine.
 */
export function decisionData(engineFor: (plan: DecisionPlan) => QaEngine): DecisionExample[] {
  return [
    ...decisionExamples(engineFor('plan1'), loadQuestions(), 'plan1'),
    ...decisionExamples(engineFor('plan2'), loadQuestions(path.join(PLAN2_DIR, 'dev.jsonl')), 'plan2'),
    ...decisionExamples(engineFor('plan3'), loadQuestions(path.join(PLAN3_DIR, 'dev.jsonl')), 'plan3'),
    ...decisionExamples(engineFor('plan6'), loadQuestions(path.join(EVAL_DIR, 'plan6', 'dev.jsonl')), 'plan6'),
    ...decisionExamples(engineFor('plan7'), loadQuestions(path.join(EVAL_DIR, 'plan7', 'dev.jsonl')), 'plan7'),
    ...decisionExamples(engineFor('plan9'), loadQuestions(path.join(EVAL_DIR, 'plan9', 'dev.jsonl')), 'plan9'),
    ...decisionExamples(engineFor('plan10'), loadQuestions(path.join(EVAL_DIR, 'plan10', 'dev.jsonl')), 'plan10'),
  ];
}

/** The plans whose development questions the decision is fitted on: every plan with a development set. */
export type DecisionPlan = 'plan1' | 'plan2' | 'plan3' | 'plan6' | 'plan7' | 'plan9' | 'plan10';
const EVAL_DIR = path.dirname(PLAN2_DIR);

/**
 * Leave one batch out: the decision fitted on every other batch, its errors on the batch left out. The blind
 * batches (written by people who saw only the plan) left out one at a time are the closest to new users.
 */
export function leaveBatchOut(data: DecisionExample[]): Array<{ group: string; refused: number; positives: number; answered: number; negatives: number }> {
  return [...new Set(data.map((d) => d.group))].map((group) => {
    const held = data.filter((d) => d.group === group);
    const e = decisionErrors(fitLogistic(data.filter((d) => d.group !== group)), held);
    return { group, refused: e.refused, positives: held.filter((d) => d.y === 1).length, answered: e.answered, negatives: held.filter((d) => d.y === 0).length };
  });
}

/** Logistic regression by gradient descent with a little L2 (not on the bias); deterministic. */
export function fitLogistic(data: Array<{ x: number[]; y: number }>, lambda = 0.001, iterations = 4000, rate = 0.5): number[] {
  const dim = data[0]?.x.length ?? 0;
  const w = new Array<number>(dim).fill(0);
  // Both errors count alike as rates (answerable refused, out-of-scope answered): the classes weigh the same in total.
  const positives = data.filter((d) => d.y === 1).length;
  const weight = [data.length / (2 * Math.max(1, data.length - positives)), data.length / (2 * Math.max(1, positives))];
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(dim).fill(0);
    for (const { x, y } of data) {
      let z = 0;
      for (let i = 0; i < dim; i++) z += w[i] * x[i];
      const err = (1 / (1 + Math.exp(-z)) - y) * weight[y];
      for (let i = 0; i < dim; i++) grad[i] += err * x[i];
    }
    for (let i = 0; i < dim; i++) w[i] -= rate * (grad[i] / data.length + (i ? lambda * w[i] : 0));
  }
  return w;
}

export function decisionErrors(w: number[], data: Array<{ x: number[]; y: number }>): { refused: number; answered: number; n: number } {
  let refused = 0;
  let answered = 0;
  for (const { x, y } of data) {
    let z = 0;
    for (let i = 0; i < w.length; i++) z += w[i] * x[i];
    const yes = z >= 0;
    if (y === 1 && !yes) refused++;
    if (y === 0 && yes) answered++;
  }
  return { refused, answered, n: data.length };
}

export function crossValidateDecision(data: Array<{ x: number[]; y: number }>, k = 5) {
  const parts = folds(data.length, k);
  let refused = 0;
  let answered = 0;
  for (let f = 0; f < k; f++) {
    const train = parts.filter((_, g) => g !== f).flat().map((i) => data[i]);
    const w = fitLogistic(train);
    const e = decisionErrors(w, parts[f].map((i) => data[i]));
    refused += e.refused;
    answered += e.answered;
  }
  return { refused, answered, positives: data.filter((d) => d.y === 1).length, negatives: data.filter((d) => d.y === 0).length };
}
