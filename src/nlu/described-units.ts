import type { DepartmentRegistry } from '../plan/departments.js';
import { segment } from './tokenize.js';

/**
 * A unit described by the work it does instead of named (办留交会的那个办公室, 出租屋管理那个办公室, 管律师和人民调解的那个局):
 * what it does, then 那个 / 那家 and an organ word.
 */
const DESCRIBED = /(?:管|负责|办|搞|抓|主管|分管)?(\p{Script=Han}[\p{Script=Han}、]{1,11}?)的?(?:那个|那家|这个)(?:局|办公室|办|委员会|委|部门|单位|厅|中心|部(?![分份])|处|机构)/u;

/**
 * The unit a question describes by its work, and the words that describe it: the one unit whose names hold most of
 * the words of that work (出租屋 of 市流动人员出租屋管理办), else the unit most of the tasks about that work name.
 */
export function describedUnit(
  normalized: string,
  registry: DepartmentRegistry,
  stopwords: ReadonlySet<string>,
  /** The unit that most of the tasks about some words name, if one does. */
  unitAbout: (words: string) => string | undefined,
): { unit: string; said: string } | undefined {
  const m = DESCRIBED.exec(normalized);
  if (!m) return undefined;
  const work = m[1];
  const words = segment(work).filter((w) => [...w].length >= 2 && !stopwords.has(w));
  if (!words.length) return undefined;
  const hits = new Map<string, number>();
  for (const f of registry.surfaceForms()) {
    const form = f.form.toLowerCase();
    const n = words.filter((w) => form.includes(w)).length;
    for (const name of f.names) if (n > (hits.get(name) ?? 0)) hits.set(name, n);
  }
  const ranked = [...hits].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (ranked.length && (ranked.length === 1 || ranked[0][1] > ranked[1][1])) return { unit: ranked[0][0], said: m[0] };
  if (ranked.length) return undefined;
  const unit = unitAbout(work);
  return unit ? { unit, said: m[0] } : undefined;
}
