import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../../src/nlu/lexicon.js';
import { NaiveBayes } from '../../src/nlu/naive-bayes.js';
import { segment } from '../../src/nlu/tokenize.js';
import { loadQuestions } from '../eval/eval-lib.js';

interface Classifier {
  addDocument(tokens: string[], label: string): void;
  train(): void;
  getClassifications(tokens: string[]): Array<{ label: string; value: number }>;
}
const NaturalBayes = createRequire(import.meta.url)('natural/lib/natural/classifiers/bayes_classifier') as new () => Classifier;

describe('the question-form classifier', () => {
  it("gives natural's naive Bayes probabilities to the last bit, for the training sentences and the development questions", () => {
    const natural = new NaturalBayes();
    const ours = new NaiveBayes();
    for (const [label, texts] of Object.entries(loadLexicon().intents)) {
      for (const t of texts) {
        natural.addDocument([...segment(t)], label);
        ours.addDocument([...segment(t)], label);
      }
    }
    // a document without words is left out by both
    natural.addDocument([], 'who');
    ours.addDocument([], 'who');
    natural.train();
    ours.train();
    const sentences = [...Object.values(loadLexicon().intents).flat(), ...loadQuestions().map((q) => q.question)];
    const tokens = sentences.map((s) => [...segment(s.toLowerCase())]);
    tokens.push([], ['#dept', '#topic', '#topic'], ['没有', '这个', '词', '2026', '12']);
    for (const t of tokens) expect(ours.getClassifications(t)).toEqual(natural.getClassifications(t));
  });
});
