/**
 * Lazy, quiet access to the parts of `natural` we use. Importing the package root costs ~2.5 s and
 * prints dotenv tips; the sub-modules load in a few milliseconds.
 */
import { createRequire } from 'node:module';

process.env.DOTENV_CONFIG_QUIET ??= 'true';
const require = createRequire(import.meta.url);

let levenshteinFn: ((a: string, b: string) => number) | undefined;

export function levenshtein(a: string, b: string): number {
  levenshteinFn ??= (
    require('natural/lib/natural/distance/levenshtein_distance') as { LevenshteinDistance: (a: string, b: string) => number }
  ).LevenshteinDistance;
  return levenshteinFn(a, b);
}
