/**
 * Lazy, quiet access to the parts of `natural` we use. Importing the package root costs ~2.5 s and
 * prints dotenv tips; the sub-modules load in a few milliseconds.
 */
import { createRequire } from 'node:module';

process.env.DOTENV_CONFIG_QUIET ??= 'true';
const require = createRequire(import.meta.url);

export interface NaturalClassifier {
  addDocument(tokens: string[], label: string): void;
  train(): void;
  getClassifications(tokens: string[]): Array<{ label: string; value: number }>;
}

export function bayesClassifier(): NaturalClassifier {
  const Bayes = require('natural/lib/natural/classifiers/bayes_classifier') as new () => NaturalClassifier;
  return new Bayes();
}

let levenshteinFn: ((a: string, b: string) => number) | undefined;

export function levenshtein(a: string, b: string): number {
  levenshteinFn ??= (
    require('natural/lib/natural/distance/levenshtein_distance') as { LevenshteinDistance: (a: string, b: string) => number }
  ).LevenshteinDistance;
  return levenshteinFn(a, b);
}
