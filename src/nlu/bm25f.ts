/**
 * BM25F (Robertson & Zaragoza's simple form): a term's frequency is summed over weighted fields, each
 * length-normalised on its own, then saturated once. Used over character n-grams and over jieba words of a
 * task's text, its subsection title and its section title. Parameters are fitted (data/lexicon/weights.json).
 */
export interface Bm25fParams {
  k1: number;
  b: number;
  /** Weight of each field, in the order the documents give them (task text, subsection title, section title). */
  fields: number[];
}

/** One term's documents and its length-normalised frequency in each, summed over the weighted fields (made once). */
export interface Postings {
  /** The term's idf, Math.log(1 + (N − df + 0.5) / (df + 0.5)). */
  idf: number;
  // plain arrays: most terms are in one or two documents, and a typed array costs ~200 bytes before its first element
  docs: number[];
  weighted: number[];
  /** idf × saturated frequency in each document: what `add` adds, computed once. */
  scores: number[];
}

export class Bm25fIndex {
  private readonly terms = new Map<string, Postings>();
  private readonly lengths: number[][];
  private readonly avgLength: number[];
  readonly size: number;
  /** The largest idf (a term no document has): the weight of a question term the plan lacks. */
  readonly maxIdf: number;

  /** `docs[d][f]` is the token list of document d's field f. */
  constructor(
    docs: string[][][],
    private readonly params: Bm25fParams,
  ) {
    this.size = docs.length;
    this.maxIdf = Math.log(1 + (this.size + 0.5) / 0.5);
    const fieldCount = params.fields.length;
    this.lengths = docs.map((fields) => fields.map((tokens) => tokens.length));
    this.avgLength = Array.from({ length: fieldCount }, (_, f) => docs.reduce((s, d) => s + (d[f]?.length ?? 0), 0) / Math.max(1, docs.length) || 1);
    const lists = new Map<string, Array<{ doc: number; weighted: number }>>();
    docs.forEach((fields, doc) => {
      /** term → its frequency per field */
      const mine = new Map<string, number[]>();
      fields.forEach((tokens, f) => {
        for (const t of tokens) {
          let tf = mine.get(t);
          if (!tf) mine.set(t, (tf = new Array<number>(fieldCount).fill(0)));
          tf[f]++;
        }
      });
      for (const [t, tf] of mine) {
        const p = { doc, weighted: this.weightedTf(doc, tf) };
        const list = lists.get(t);
        if (list) list.push(p);
        else lists.set(t, [p]);
      }
    });
    // one lookup per question term, its idf computed once: a question looks up every n-gram it has
    for (const [t, list] of lists) {
      const df = list.length;
      const idf = Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
      const weighted = list.map((p) => p.weighted);
      this.terms.set(t, { idf, docs: list.map((p) => p.doc), weighted, scores: weighted.map((tf) => this.saturated(idf, tf)) });
    }
  }

  /** The documents that have the term (undefined: none has it). */
  postings(term: string): Postings | undefined {
    return this.terms.get(term);
  }

  /** Adds idf × saturated frequency of a term to `scores[doc]` of each document that has it (values in [0, idf)). */
  add(p: Postings, scores: Float64Array): void {
    for (let i = 0; i < p.docs.length; i++) scores[p.docs[i]] += p.scores[i];
  }

  /** Raises `best[doc]` to factor × idf × saturated frequency of a term in each document that has it. */
  raise(p: Postings, best: Float64Array, factor: number): void {
    const idf = p.idf * factor;
    for (let i = 0; i < p.docs.length; i++) {
      const score = this.saturated(idf, p.weighted[i]);
      if (score > best[p.docs[i]]) best[p.docs[i]] = score;
    }
  }

  private saturated(idf: number, tf: number): number {
    return (idf * tf) / (this.params.k1 + tf);
  }

  private weightedTf(doc: number, perField: number[]): number {
    const { b, fields } = this.params;
    let tf = 0;
    for (let f = 0; f < fields.length; f++) {
      if (!perField[f]) continue;
      tf += (fields[f] * perField[f]) / (1 - b + (b * this.lengths[doc][f]) / this.avgLength[f]);
    }
    return tf;
  }
}

/** Character n-grams (n = 1…3) of the Han/latin/digit runs of a text; unigrams only of Han characters. */
export function charGrams(text: string, sizes: readonly number[] = [1, 2, 3]): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\p{Script=Han}a-z0-9]+/gu) ?? []) {
    const chars = [...run];
    for (const n of sizes) {
      for (let i = 0; i + n <= chars.length; i++) {
        if (n === 1) {
          if (HAN.test(chars[i])) out.push(chars[i]);
        } else if (n === 2) out.push(chars[i] + chars[i + 1]);
        else if (n === 3) out.push(chars[i] + chars[i + 1] + chars[i + 2]);
        else out.push(chars.slice(i, i + n).join(''));
      }
    }
  }
  return out;
}

const HAN = /\p{Script=Han}/u;
