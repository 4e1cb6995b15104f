import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from '../plan/load.js';
import type { Bm25fParams } from './bm25f.js';
import type { ScoredTask } from './search.js';

/**
 * The ranking signals of a (question, task) pair, in the order of a feature row (search.ts):
 *  coverage — share of the question's terms (idf-weighted, synonyms allowed) the task mentions;
 *  words    — BM25F over jieba words, saturated frequency per term, as a share of the question's term weights;
 *  bigram   — share of the question terms' character bigrams (idf-weighted) found in the task or its titles;
 *  title    — the same, found in the subsection or section title;
 *  actor    — departments the question names: +1 acting in the task, +0.5 responsible, −0.5 neither;
 *  phrase   — longest verbatim piece of the question found in the task, as a share of its phrase;
 *  char1…3  — BM25F over character 1-, 2-, 3-grams of the question without stop words, as a share of its maximum;
 *  brevity  — log(the plan's mean task length / the task's length): the shares above grow with a task's length (a
 *             long task holds more of any story's words), so in a plan of long tasks the longest won too often.
 */
export const FEATURES = ['coverage', 'words', 'bigram', 'title', 'actor', 'phrase', 'char1', 'char2', 'char3', 'brevity'] as const;
export type Feature = (typeof FEATURES)[number];

/**
 * Signals of the answer-or-refuse decision for a question the plan may answer with a task (engine.ts):
 *  bias; top — best ranking score; margin — its lead over the second; coverage — share of the question's terms the
 *  plan knows; matched — log(1 + weight of the question terms the best task has); char2/char3 — the best task's
 *  character-bigram/trigram share; personal — a personal-affairs cue (out-of-scope.json); out — the form
 *  classifier's probability that the sentence is unrelated; who — asks who/which unit; department — names one;
 *  long — log of the question's length; asks — how many kinds of fact the question asks for that plans do not state
 *  (out-of-scope.json `asks`: an amount, a date, a place, a condition, "can I", a service, a document's origin);
 *  unexplained — log(1 + weight of the question terms the best task lacks);
 *  unit / item / other — the question asks for a unit (谁, 哪家, 牵头单位), points at an item of the plan (那条,
 *  第N项), or asks only for something else (怎么, 多少, 吗): question-forms.json, general language;
 *  foreign — share of the question's terms the plan does not know at all, each counted once (食品 in 食品安全投诉
 *  weighs little as a common word, but is still a word the plan never uses);
 *  elsewhere — a topic of another field of government the plan never mentions (out-of-scope.json topics). (Another
 *  place's work, in a plan of one place, and another document are not decided here: engine.ts declines them.)
 */
export const DECISION_FEATURES = ['bias', 'top', 'margin', 'coverage', 'matched', 'char2', 'char3', 'personal', 'out', 'who', 'department', 'long', 'asks', 'unexplained', 'unit', 'item', 'other', 'foreign', 'elsewhere'] as const;

export interface RankModel {
  chars: Bm25fParams;
  words: Bm25fParams;
  /** One weight per FEATURES entry. */
  weights: number[];
  /** Logistic-regression weights per DECISION_FEATURES entry: answer with a task when σ(w·x) ≥ 0.5. */
  decision: number[];
}

export const WEIGHTS_FILE = path.join(DATA_ROOT, 'lexicon', 'weights.json');

interface WeightsFile {
  chars: Bm25fParams;
  words: Bm25fParams;
  weights: Record<Feature, number>;
  decision?: Record<string, number>;
}

/** The fitted model (written by `npm run fit`); a missing feature weighs 0. */
export function loadRankModel(file = WEIGHTS_FILE): RankModel {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as WeightsFile;
  return {
    chars: raw.chars,
    words: raw.words,
    weights: FEATURES.map((f) => raw.weights[f] ?? 0),
    decision: DECISION_FEATURES.map((f) => raw.decision?.[f] ?? 0),
  };
}

export function weightsRecord(weights: ArrayLike<number>): Record<Feature, number> {
  return Object.fromEntries(FEATURES.map((f, i) => [f, Math.round(weights[i] * 10000) / 10000])) as Record<Feature, number>;
}

export function decisionRecord(weights: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(DECISION_FEATURES.map((f, i) => [f, Math.round(weights[i] * 10000) / 10000]));
}

/** Probability that a question should be answered with a task, from its decision signals. */
export function answerProbability(model: RankModel, x: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < model.decision.length; i++) z += model.decision[i] * x[i];
  return 1 / (1 + Math.exp(-z));
}

/** The fitted linear combination of the signals; tasks scoring 0 or less are left out, best first. */
export function combine(ids: readonly number[], rows: Float64Array[], weights: ArrayLike<number>): ScoredTask[] {
  const out: ScoredTask[] = [];
  for (let i = 0; i < ids.length; i++) {
    let score = 0;
    for (let f = 0; f < weights.length; f++) score += weights[f] * rows[i][f];
    if (score > 0) out.push({ id: ids[i], score, features: rows[i] });
  }
  return out.sort(byScore);
}

/** Best first, ties to the lower id — as small integers: a fractional result returned to the sort is a new heap number. */
function byScore(a: ScoredTask, b: ScoredTask): number {
  return b.score > a.score ? 1 : b.score < a.score ? -1 : a.id - b.id;
}
