/**
 * Naive Bayes over word presence, computing exactly what natural's BayesClassifier (apparatus, smoothing 1) computes —
 * the same counts, the same logarithms added in the same order — without its per-question cost: natural turns every
 * question into a 0/1 vector over the whole training vocabulary (one indexOf per vocabulary word) and then walks that
 * vector once per class. Here a question's words are looked up, and only the ones it has are added.
 */
export class NaiveBayes {
  private readonly docs: Array<{ words: string[]; label: string }> = [];
  /** Feature number of each word (natural's order: the order of a plain object's keys, see train()). */
  private index = new Map<string, number>();
  private classes: Array<{ label: string; total: number; logs: Map<number, number>; missing: number }> = [];
  private examples = 1;

  addDocument(words: string[], label: string): void {
    if (words.length) this.docs.push({ words, label: label.trim() });
  }

  train(): void {
    // natural keeps the vocabulary as an object's keys and numbers features in their for…in order (integer-like
    // keys first, ascending, then insertion order); the order decides in which order log-probabilities are added
    const vocabulary: Record<string, true> = {};
    for (const d of this.docs) for (const w of d.words) vocabulary[w] = true;
    this.index = new Map(Object.keys(vocabulary).map((w, i) => [w, i]));
    const counts = new Map<string, { total: number; features: Map<number, number> }>();
    this.examples = 1; // apparatus starts at one to smooth
    for (const d of this.docs) {
      let c = counts.get(d.label);
      if (!c) counts.set(d.label, (c = { total: 1, features: new Map() }));
      this.examples++;
      c.total++;
      for (const i of new Set(d.words.map((w) => this.index.get(w)!))) c.features.set(i, (c.features.get(i) ?? 1) + 1);
    }
    this.classes = [...counts].map(([label, c]) => ({
      label,
      total: c.total,
      logs: new Map([...c.features].map(([i, count]) => [i, Math.log(count / c.total)])),
      missing: Math.log(1 / c.total),
    }));
  }

  /** Each class with its (unnormalised) probability, highest first — natural's getClassifications(words). */
  getClassifications(words: string[]): Array<{ label: string; value: number }> {
    const present = [...new Set(words.map((w) => this.index.get(w)).filter((i) => i !== undefined))].sort((a, b) => b - a);
    return this.classes
      .map((c) => {
        let log = 0;
        // apparatus adds from the last feature to the first
        for (const i of present) log += c.logs.get(i) ?? c.missing;
        return { label: c.label, value: (c.total / this.examples) * Math.exp(log) };
      })
      .sort((x, y) => y.value - x.value);
  }
}
