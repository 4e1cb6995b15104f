import type { Plan, Task } from '../plan/types.js';
import type { Lexicon } from './lexicon.js';
import { bigrams, bracketVariants } from './normalize.js';
import { isWord, segment } from './tokenize.js';
import { QueryReader } from './query-terms.js';
import { generalIdf } from './general-idf.js';
import { Bm25fIndex, charGrams } from './bm25f.js';
import { combine, FEATURES, type RankModel } from './rank-model.js';

export interface ScoredTask {
  id: number;
  score: number;
  /** The signals behind the score (FEATURES order), when ranked by the index. */
  features?: Float64Array;
}

export interface QueryTerms {
  /** Content terms the user wrote, each with the plan words it may stand for. */
  groups: Array<{ term: string; alternatives: string[] }>;
  /** Character bigrams of the content terms (and their alternatives). */
  bigrams: string[];
  /** Runs of the question between stop words and punctuation (for verbatim phrase matches). */
  phrases: string[];
  /** Character n-grams (1–3) of the question without its stop words, for the BM25F floor. */
  grams: string[];
}

/** A word in this share of the tasks or more is what the plan is about, not a topic of some of its tasks. */
const SUBJECT_SHARE = 0.85;

/** One question's signals for every task: `rows[i]` holds the FEATURES of task `ids[i]`, in FEATURES order. */
export interface FeatureRows {
  /** Shared by every question: never mutate. */
  ids: readonly number[];
  rows: Float64Array[];
}


interface Doc {
  task: Task;
  tf: Map<string, number>;
  text: string;
  /** Every 3-code-unit piece of `text`: a longer piece is looked for only where one of these starts it. */
  trigrams: Set<string>;
  bigrams: Set<string>;
  titleBigrams: Set<string>;
  sectionBigrams: Set<string>;
}

/** key → the documents (ascending) that have it: one question looks up each of its keys once, not once per task. */
function postings(keysOf: (d: number) => Iterable<string>, n: number): Map<string, readonly number[]> {
  // plain arrays: most lists hold one or two tasks, and a typed array costs ~200 bytes before its first element
  const lists = new Map<string, number[]>();
  for (let d = 0; d < n; d++) {
    for (const key of keysOf(d)) {
      const list = lists.get(key);
      if (!list) lists.set(key, [d]);
      else if (list[list.length - 1] !== d) list.push(d);
    }
  }
  return lists;
}

/** Every 3-code-unit piece of a text: a verbatim piece of a question of 3+ characters starts with one of them. */
function* trigramsOf(text: string): Iterable<string> {
  for (let i = 0; i + 3 <= text.length; i++) yield text.slice(i, i + 3);
}

const NONE: readonly number[] = [];
/** Doubles per slab of feature rows (128 KB: some thirty questions' rows on a plan of 60 tasks). */
const ROW_SLAB = 16_384;
/** A number and its approximations only (两万多个, 95000): no subject. */
const NUMBER_ONLY = /^[0-9零一二两三四五六七八九十百千万亿多余几个]+$/u;
/** Question terms whose bigram test is kept (forgotten all at once when full). */
const SEEN_TERMS = 20_000;

/**
 * Ranks tasks for a query with several signals:
 *  - coverage: how much of what the user asked about (after synonym expansion) the task mentions, idf-weighted;
 *  - BM25 over jieba search-mode tokens of task text plus its subsection title;
 *  - character-bigram overlap (catches wording jieba splits differently, and partial words);
 *  - subsection/section title match;
 *  - actor signal: departments named in the question that the task names as actor or responsible.
 */
export class TaskIndex {
  private readonly docs: Doc[];
  /** idf of each word and each character bigram the plan has (made once; a question asks for them again and again). */
  private readonly wordIdf = new Map<string, number>();
  /** How many tasks have each character bigram. */
  private readonly bigramDf: Map<string, number>;
  private readonly bigramIdfs = new Map<string, number>();
  /** idf of a word or bigram the plan lacks (df 0). */
  private readonly unseenIdf: number;
  /** Terms known character by character (every bigram in the plan), by term: the same words recur question after question. */
  private readonly knownByBigrams = new Map<string, boolean>();
  private readonly n: number;
  readonly vocabulary = new Set<string>();
  /** BM25F over character n-grams and over jieba words, fields: task text, subsection title, section title. */
  private readonly chars: Bm25fIndex;
  private readonly words: Bm25fIndex;
  /** Inverted lists of the per-task tests (word in the task, bigram in the task or in its titles, trigram of its text). */
  private readonly termDocs: Map<string, readonly number[]>;
  private readonly bigramDocs: Map<string, readonly number[]>;
  private readonly titleBigramDocs: Map<string, readonly number[]>;
  private readonly trigramDocs: Map<string, readonly number[]>;
  /** Per-task marks for "already counted in this group" (a group counts once per task, however many spellings match). */
  private readonly marks: Uint32Array;
  private stamp = 0;
  /**
   * Feature rows are cut from a shared slab, never reused: a slab is freed with the last row cut from it. A buffer
   * of its own per question (4 KB off the heap for 60 tasks) cost more than filling it.
   */
  private slab = new Float64Array(0);
  private slabUsed = 0;
  /** log(mean task length / the task's length): how much shorter than the plan's usual task (rank-model.ts `brevity`). */
  private readonly brevity: Float64Array;
  /** Task ids in index order (shared by every question's rows: never mutate). */
  private readonly ids: readonly number[];
  /**
   * One question's per-task sums, reused question after question (zeroed first): allocating typed arrays costs
   * more than the sums themselves. features() is synchronous and never re-entered, so one set serves all.
   */
  private readonly scratch: { block: Float64Array; chars: Float64Array[]; words: Float64Array; best: Float64Array; cov: Float64Array; bgHit: Float64Array; titleHit: Float64Array; phraseDocs: Uint8Array };

  /** A question's terms, phrases and n-grams (query-terms.ts). */
  private readonly reader: QueryReader;

  constructor(
    plan: Plan,
    lexicon: Lexicon,
    readonly model: RankModel,
  ) {
    const taskWords = plan.tasks.map((task) => segment(task.text.toLowerCase()));
    this.docs = plan.tasks.map((task, i) => {
      const sub = plan.subsections.find((s) => s.index === task.subsection);
      const sec = plan.sections.find((s) => s.index === task.section);
      const tokens = [
        ...taskWords[i],
        ...segment((sub?.title ?? '').toLowerCase()),
        ...segment(bracketVariants(task.text)),
      ];
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      const text = `${task.text} ${sub?.title ?? ''}`.toLowerCase().replace(/\s+/g, '');
      return {
        task,
        tf,
        text,
        trigrams: new Set(trigramsOf(text)),
        bigrams: new Set(bigrams(`${task.text} ${sub?.title ?? ''} ${bracketVariants(task.text)}`.toLowerCase())),
        titleBigrams: new Set(bigrams((sub?.title ?? '').toLowerCase())),
        sectionBigrams: new Set(bigrams((sec?.title ?? '').toLowerCase())),
      };
    });
    this.n = this.docs.length;
    const lengths = plan.tasks.map((t) => Math.max(1, [...t.text].length));
    const mean = lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.n);
    this.brevity = Float64Array.from(lengths, (l) => Math.log(mean / l));
    const df = new Map<string, number>();
    const bigramDf = new Map<string, number>();
    for (const d of this.docs) {
      for (const t of d.tf.keys()) {
        df.set(t, (df.get(t) ?? 0) + 1);
        this.vocabulary.add(t);
      }
      for (const b of d.bigrams) bigramDf.set(b, (bigramDf.get(b) ?? 0) + 1);
    }
    const idfOf = (count: number) => Math.log(1 + (this.n - count + 0.5) / (count + 0.5));
    for (const [t, count] of df) this.wordIdf.set(t, idfOf(count));
    this.bigramDf = bigramDf;
    for (const [b, count] of bigramDf) this.bigramIdfs.set(b, idfOf(count));
    this.unseenIdf = idfOf(0);
    const fieldTexts = plan.tasks.map((task) => {
      const sub = plan.subsections.find((s) => s.index === task.subsection);
      const sec = plan.sections.find((s) => s.index === task.section);
      return [`${task.text} ${bracketVariants(task.text)}`, sub?.title ?? '', sec?.title ?? ''].map((f) => f.toLowerCase());
    });
    const planText = [...this.docs.map((d) => d.text), ...plan.sections.map((s) => s.title)].join('\n');
    const ownPlace = { places: lexicon.places.filter((p) => planText.includes(p)), planText };
    this.reader = new QueryReader(lexicon, this.vocabulary, (g) => this.known(g), taskWords, ownPlace);
    this.chars = new Bm25fIndex(fieldTexts.map((fs) => fs.map((f) => charGrams(f))), model.chars);
    this.words = new Bm25fIndex(fieldTexts.map((fs) => fs.map((f) => segment(f))), model.words);
    const docs = this.docs;
    this.termDocs = postings((d) => docs[d].tf.keys(), this.n);
    this.bigramDocs = postings((d) => docs[d].bigrams, this.n);
    this.titleBigramDocs = postings((d) => [...docs[d].titleBigrams, ...docs[d].sectionBigrams], this.n);
    this.trigramDocs = postings((d) => docs[d].trigrams, this.n);
    this.marks = new Uint32Array(this.n);
    this.ids = this.docs.map((d) => d.task.id);
    const n = this.n;
    const block = new Float64Array(8 * n);
    const part = (k: number) => block.subarray(k * n, (k + 1) * n);
    this.scratch = {
      block,
      chars: [part(0), part(1), part(2)],
      words: part(3),
      best: part(4),
      cov: part(5),
      bgHit: part(6),
      titleHit: part(7),
      phraseDocs: new Uint8Array(n),
    };
  }

  /**
   * The plan's subject rather than a topic in it: the word (or the plan word it stands for) is in nearly every task
   * (人才 in a talent plan, 综保区 → 保税 in a plan on bonded zones).
   */
  isSubject({ term, alternatives }: { term: string; alternatives: string[] }): boolean {
    // at most as many tasks as have its rarest bigram
    const df = (w: string) => Math.min(...bigrams(w).map((b) => this.bigramDf.get(b) ?? 0));
    const most = this.vocabulary.has(term) || !alternatives.length ? df(term) : Math.max(...alternatives.map(df));
    return most >= SUBJECT_SHARE * this.n;
  }

  /** The share of the tasks a word is in (as many as have its rarest bigram). */
  taskShare(word: string): number {
    return Math.min(...bigrams(word).map((b) => this.bigramDf.get(b) ?? 0)) / this.n;
  }

  private idf(term: string): number {
    return this.wordIdf.get(term) ?? this.unseenIdf;
  }

  private bigramIdf(b: string): number {
    return this.bigramIdfs.get(b) ?? this.unseenIdf;
  }

  /** Content terms of an (already normalised, departments removed) question, with synonym expansion. */
  terms(text: string): QueryTerms {
    return this.reader.terms(text);
  }

  /** Is any of the question's content found in the plan at all? (0 … 1, idf-weighted) */
  coverage(q: QueryTerms): number {
    let have = 0;
    let all = 0;
    for (const g of q.groups) {
      const w = this.termWeight(g);
      all += w;
      if (this.known(g)) have += w;
    }
    return all ? have / all : 0;
  }

  /** Total weight of the question's terms (what coverage is a share of). */
  termMass(q: QueryTerms): number {
    return q.groups.reduce((sum, g) => sum + this.termWeight(g), 0);
  }

  /**
   * Share of the question's terms the plan does not know at all (0 … 1), each counted once whatever its weight.
   * Only words count: the segmenter's guesses across word boundaries (跟公 of 廉租房跟公租房) and the pieces of a
   * number (两万 / 万多 / 多个) say nothing about a subject the plan lacks.
   */
  foreignShare(q: QueryTerms): number {
    let words = 0;
    let unknown = 0;
    for (const g of q.groups) {
      if (this.known(g)) words++;
      else if (!NUMBER_ONLY.test(g.term) && isWord(g.term)) {
        words++;
        unknown++;
      }
    }
    return words ? unknown / words : 0;
  }

  /** The plan knows a term: as a word, through a synonym, or character by character (音频 in 音视频). */
  known(g: { term: string; alternatives: string[] }): boolean {
    if (this.vocabulary.has(g.term) || g.alternatives.length) return true;
    let known = this.knownByBigrams.get(g.term);
    if (known === undefined) {
      const bg = bigrams(g.term);
      known = bg.length > 0 && bg.every((b) => this.bigramIdfs.has(b));
      if (this.knownByBigrams.size >= SEEN_TERMS) this.knownByBigrams.clear();
      this.knownByBigrams.set(g.term, known);
    }
    return known;
  }

  /**
   * Weight of a question word: its idf in the plan; for a word the plan says otherwise (钱 for 经费), the idf of the
   * plan's word it stands for; for a word the plan lacks, a full weight scaled down when the word is common in
   * general Chinese (之前, 后面 say little; 公积金 says a lot).
   */
  private termWeight({ term, alternatives }: { term: string; alternatives: string[] }): number {
    if (this.vocabulary.has(term)) return this.idf(term);
    if (alternatives.length) return this.bestIdf(alternatives);
    const g = generalIdf(term);
    const scale = g === undefined ? 1 : Math.min(1, Math.max(0.05, (g - 6.5) / 2.5));
    return Math.log(1 + this.n) * scale;
  }

  /** The largest idf of some words (Math.max of them, without an array of them). */
  private bestIdf(words: string[]): number {
    let best = -Infinity;
    for (let i = 0; i < words.length; i++) best = Math.max(best, this.idf(words[i]));
    return best;
  }

  /**
   * Longest verbatim piece (3+ characters) of any question phrase found in the task, as a share of the phrase.
   * `pieces[p][i][k]` caches phrase p's substring starting at i of length k + 3, shared by all tasks of one question.
   */
  private phraseMatch(phrases: string[], pieces: string[][][], doc: Doc): number {
    const text = doc.text;
    let best = 0;
    for (let p = 0; p < phrases.length; p++) {
      const phrase = phrases[p];
      let longest = 2;
      for (let i = 0; i + longest < phrase.length; i++) {
        const starts = (pieces[p][i] ??= []);
        // every piece from i opens with its first three code units
        if (!doc.trigrams.has((starts[0] ??= phrase.slice(i, i + 3)))) continue;
        // a piece found means all its prefixes are found too: only longer ones can improve
        for (let k = longest - 2; i + k + 3 <= phrase.length; k++) {
          const piece = (starts[k] ??= phrase.slice(i, i + k + 3));
          if (!text.includes(piece)) break;
          longest = k + 3;
        }
      }
      if (longest >= 3) best = Math.max(best, longest / phrase.length);
    }
    return best;
  }

  /**
   * Every task's signals for one question (see FEATURES in rank-model.ts for their meaning). Each signal is summed
   * by a small method of its own with plain index loops: V8 compiles small monomorphic loops once and cheaply, where
   * one large function of destructuring loops took ~100 ms per (re)compilation on a fresh server.
   */
  features(q: QueryTerms, departments: string[] = []): FeatureRows {
    const scratch = this.scratch;
    scratch.block.fill(0);
    scratch.phraseDocs.fill(0);
    const weights = q.groups.map((g) => this.termWeight(g));
    const charMass = this.addCharScores(q.grams, scratch.chars);
    const wordMass = this.addWordScores(q.groups, weights);
    const covAll = this.addCoverage(q.groups, weights);
    const bgAll = this.addBigramHits(q.bigrams);
    this.markPhraseDocs(q.phrases);
    return this.featureRows(q.phrases, departments, charMass, wordMass, covAll, bgAll);
  }

  /** BM25F over character n-grams, per n, into `scores[n - 1]`; returns what the question's n-grams could score at most. */
  private addCharScores(grams: string[], scores: Float64Array[]): number[] {
    const mass = [0, 0, 0];
    for (let i = 0; i < grams.length; i++) {
      const g = grams[i];
      const size = codePoints(g) - 1;
      const postings = this.chars.postings(g);
      mass[size] += postings ? postings.idf : this.chars.maxIdf;
      if (postings) this.chars.add(postings, scores[size]);
    }
    return mass;
  }

  /**
   * BM25F over words: each question term counts by its weight times its best spelling's saturated frequency
   * (itself, or a plan synonym at 0.8); returns the sum of the weights (what the scores are a share of).
   */
  private addWordScores(groups: QueryTerms['groups'], weights: number[]): number {
    const n = this.n;
    const { words: scores, best } = this.scratch;
    let mass = 0;
    for (let k = 0; k < groups.length; k++) {
      mass += weights[k];
      best.fill(0);
      this.bestWordScore(groups[k].term, 1, best);
      const alternatives = groups[k].alternatives;
      for (let a = 0; a < alternatives.length; a++) this.bestWordScore(alternatives[a], 0.8, best);
      for (let d = 0; d < n; d++) scores[d] += weights[k] * best[d];
    }
    return mass;
  }

  /** Raises `best[d]` to the term's saturated frequency in each task d that has it, scaled by `factor`. */
  private bestWordScore(term: string, factor: number, best: Float64Array): void {
    const postings = this.words.postings(term);
    if (postings) this.words.raise(postings, best, factor / postings.idf);
  }

  /**
   * Coverage of the user's terms: a term counts if it or one of its plan synonyms is in the task; per task the
   * weights add up in the question's order. Returns the sum of the weights.
   */
  private addCoverage(groups: QueryTerms['groups'], weights: number[]): number {
    const cov = this.scratch.cov;
    let all = 0;
    for (let k = 0; k < groups.length; k++) {
      const weight = weights[k];
      all += weight;
      const stamp = this.nextStamp();
      this.addOncePerTask(groups[k].term, weight, stamp, cov);
      const alternatives = groups[k].alternatives;
      for (let a = 0; a < alternatives.length; a++) this.addOncePerTask(alternatives[a], weight, stamp, cov);
    }
    return all;
  }

  private addOncePerTask(term: string, weight: number, stamp: number, sums: Float64Array): void {
    const docs = this.termDocs.get(term) ?? NONE;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      if (this.marks[d] === stamp) continue;
      this.marks[d] = stamp;
      sums[d] += weight;
    }
  }

  /** The question's bigrams (idf-weighted) found in each task and in its titles; returns their total weight. */
  private addBigramHits(bigrams: string[]): number {
    const { bgHit, titleHit } = this.scratch;
    let all = 0;
    for (let i = 0; i < bigrams.length; i++) {
      const w = this.bigramIdf(bigrams[i]);
      all += w;
      const docs = this.bigramDocs.get(bigrams[i]) ?? NONE;
      for (let k = 0; k < docs.length; k++) bgHit[docs[k]] += w;
      const titled = this.titleBigramDocs.get(bigrams[i]) ?? NONE;
      for (let k = 0; k < titled.length; k++) titleHit[titled[k]] += w;
    }
    return all;
  }

  /** Only tasks sharing a 3-character piece with a phrase can match one verbatim. */
  private markPhraseDocs(phrases: string[]): void {
    const marked = this.scratch.phraseDocs;
    for (let p = 0; p < phrases.length; p++) {
      const phrase = phrases[p];
      for (let i = 0; i + 3 <= phrase.length; i++) {
        const docs = this.trigramDocs.get(phrase.slice(i, i + 3)) ?? NONE;
        for (let k = 0; k < docs.length; k++) marked[docs[k]] = 1;
      }
    }
  }

  /** The rows are views of one buffer per question (they outlive it: ScoredTask.features). */
  private featureRows(phrases: string[], departments: string[], charMass: number[], wordMass: number, covAll: number, bgAll: number): FeatureRows {
    const n = this.n;
    const { chars: charScores, words: wordScores, cov, bgHit, titleHit, phraseDocs } = this.scratch;
    // substrings of the phrases, made on first use (by the few tasks that share a piece) and shared by all tasks
    const pieces: string[][][] = phrases.map(() => []);
    const F = FEATURES.length;
    const flat = this.rowBlock(n * F);
    const rows: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const row = flat.subarray(i * F, (i + 1) * F);
      row[0] = covAll ? cov[i] / covAll : 0;
      row[1] = wordMass ? wordScores[i] / wordMass : 0;
      row[2] = bgAll ? bgHit[i] / bgAll : 0;
      row[3] = bgAll ? titleHit[i] / bgAll : 0;
      row[4] = this.actor(this.docs[i].task, departments);
      row[5] = phraseDocs[i] ? this.phraseMatch(phrases, pieces, this.docs[i]) : 0;
      row[6] = charMass[0] ? charScores[0][i] / charMass[0] : 0;
      row[7] = charMass[1] ? charScores[1][i] / charMass[1] : 0;
      row[8] = charMass[2] ? charScores[2][i] / charMass[2] : 0;
      row[9] = this.brevity[i];
      rows.push(row);
    }
    return { ids: this.ids, rows };
  }

  /** Departments the question names: +1 acting in the task, +0.5 responsible, −0.5 neither (averaged). */
  private actor(task: Task, departments: string[]): number {
    if (!departments.length) return 0;
    let actor = 0;
    for (let k = 0; k < departments.length; k++) {
      if (task.actors.includes(departments[k])) actor += 1;
      else if (task.departments.includes(departments[k])) actor += 0.5;
      else actor -= 0.5;
    }
    return actor / departments.length;
  }

  private rowBlock(size: number): Float64Array {
    if (this.slabUsed + size > this.slab.length) {
      this.slab = new Float64Array(Math.max(ROW_SLAB, size));
      this.slabUsed = 0;
    }
    this.slabUsed += size;
    return this.slab.subarray(this.slabUsed - size, this.slabUsed);
  }

  private nextStamp(): number {
    if (++this.stamp === 0xffffffff) {
      this.marks.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  rank(q: QueryTerms, departments: string[] = []): ScoredTask[] {
    if (q.groups.length === 0 && q.bigrams.length === 0 && q.grams.length === 0) return [];
    const { ids, rows } = this.features(q, departments);
    return combine(ids, rows, this.model.weights);
  }
}

/** Code points of a well-formed text (a surrogate pair counts once), counted without iterating the string. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}
