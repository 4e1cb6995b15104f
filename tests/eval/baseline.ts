/**
 * The naive baseline every figure is compared with: BM25 over the character bigrams of the task texts
 * (k1 1.2, b 0.75, no fields, no lexicon, no intent rules). It always answers with its best task.
 */
import type { LoadedPlan } from '../../src/plan/load.js';

function charBigrams(text: string): string[] {
  const chars = [...text.toLowerCase().normalize('NFKC')].filter((c) => /[\p{Script=Han}a-z0-9]/u.test(c));
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

export function bigramBaseline(loaded: LoadedPlan, k1 = 1.2, b = 0.75): (question: string) => number[] {
  const docs = loaded.plan.tasks.map((t) => {
    const tf = new Map<string, number>();
    const grams = charBigrams(t.text);
    for (const g of grams) tf.set(g, (tf.get(g) ?? 0) + 1);
    return { id: t.id, tf, len: grams.length };
  });
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.len, 0) / n;
  const df = new Map<string, number>();
  for (const d of docs) for (const g of d.tf.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const idf = (g: string) => Math.log(1 + (n - (df.get(g) ?? 0) + 0.5) / ((df.get(g) ?? 0) + 0.5));
  return (question) => {
    const q = charBigrams(question);
    return docs
      .map((d) => {
        let s = 0;
        for (const g of q) {
          const f = d.tf.get(g) ?? 0;
          if (f) s += (idf(g) * f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.len) / avg));
        }
        return { id: d.id, s };
      })
      .sort((x, y) => y.s - x.s || x.id - y.id)
      .map((x) => x.id);
  };
}
