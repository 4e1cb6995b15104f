import type { Plan } from '../plan/types.js';
import { jieba } from './tokenize.js';

/**
 * The plan's own terms, for the segmenter: runs of two or three consecutive words that recur in several tasks
 * (劳动人事争议, 调解组织, 和解协议 in one plan; 博士后工作站, 领军人才 in another). Derived from the plan's text, so
 * no plan's vocabulary is written into the code, and a newly loaded plan brings its own.
 */
export function planTerms(plan: Plan, stopwords: Set<string>, minTasks = 3): string[] {
  const df = new Map<string, number>();
  const texts = [...plan.tasks.map((t) => t.text), ...plan.sections.map((s) => s.title), ...plan.subsections.map((s) => s.title)];
  for (const text of texts) {
    const words = jieba().cut(text.toLowerCase(), false);
    const seen = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      let term = words[i];
      for (let j = i + 1; j < Math.min(words.length, i + 3); j++) {
        const w = words[j];
        // words of two or more characters only: a single character is usually a particle or a verb's tail (年内市)
        const ok = (x: string) => /^\p{Script=Han}{2,}$/u.test(x) && !stopwords.has(x);
        if (!ok(w) || !ok(words[i])) break;
        term += w;
        const n = [...term].length;
        if (n >= 3 && n <= 8) seen.add(term);
      }
    }
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return [...df].filter(([, n]) => n >= minTasks).map(([t]) => t).concat(namedTerms(texts));
}

/**
 * Names the plan gives in quotation marks (“留交会”, 「百人计划」, "smart"): programmes, platforms and short forms
 * people then ask about by that name, however often the plan uses it.
 */
function namedTerms(texts: string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/[“"「『]([\p{Script=Han}]{2,8})[”"」』]/gu)) out.add(m[1].toLowerCase());
  }
  return [...out];
}
