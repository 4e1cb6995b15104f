import { NaiveBayes } from './naive-bayes.js';
import { segment } from './tokenize.js';

export type QuestionForm = 'who' | 'list' | 'help' | 'out';

/**
 * Question form ("who handles X" / "which tasks does D have" / greeting / unrelated) from
 * a naive Bayes classifier (natural's, computed faster: naive-bayes.ts), trained at start-up from data/lexicon/intents.json.
 * Department names become {部门} and plan topics {主题} before classification, so the model
 * learns sentence patterns rather than subjects.
 */
export class FormClassifier {
  private readonly model = new NaiveBayes();
  /** Words the training examples use literally (电话, 天气 …): these are kept, not masked as topics. */
  readonly literalWords = new Set<string>();

  constructor(examples: Record<string, string[]>) {
    // Naive Bayes trains in milliseconds; natural's logistic regression took ~3 s here and was no better.
    for (const [label, texts] of Object.entries(examples)) {
      for (const t of texts) {
        const f = features(t);
        for (const w of f) this.literalWords.add(w);
        this.model.addDocument(f, label);
      }
    }
    this.model.train();
  }

  /** Probabilities per form, highest first. `masked` has departments as {部门} and topics as {主题}. */
  classify(masked: string): Array<{ label: QuestionForm; value: number }> {
    const f = features(masked);
    if (f.length === 0) return [{ label: 'help', value: 1 }];
    const raw = this.model.getClassifications(f);
    const total = raw.reduce((s, r) => s + r.value, 0) || 1;
    return raw.map((r) => ({ label: r.label as QuestionForm, value: r.value / total }));
  }
}

function features(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/(\{部门\}|\{主题\})/)) {
    if (part === '{部门}') out.push('#dept');
    else if (part === '{主题}') out.push('#topic');
    else for (const w of segment(part.toLowerCase())) out.push(w);
  }
  return out;
}
