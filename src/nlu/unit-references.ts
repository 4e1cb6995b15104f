import type { DepartmentRegistry } from '../plan/departments.js';
import type { Plan } from '../plan/types.js';
import type { ListRequests } from './list-requests.js';
import { NUMERAL } from './numbers.js';
import type { TaskIndex } from './search.js';
import { segment } from './tokenize.js';

/**
 * A unit described by the work it does instead of named (办留交会的那个办公室, 出租屋管理那个办公室, 管律师和人民调解的那个局):
 * what it does, then 那个 / 那家 and an organ word (not 部分).
 */
const DESCRIBED = /(?:管|负责|办|搞|抓|主管|分管)?(\p{Script=Han}[\p{Script=Han}、]{1,11}?)的?(?:那个|那家|这个)(?:局|办公室|办|委员会|委|部门|单位|厅|中心|部(?![分份])|处|机构)/u;
/** A unit's list, then an item counted in it (民政局牵头的第一项, 人社的任务里第三个, {部门}负责的任务中第二条). */
const COUNTED_IN_LIST = new RegExp(`\\{部门\\}[^，,。？?{]{0,10}?(?:的|中|里|里面|当中)的?\\s*第\\s*(?:${NUMERAL})\\s*(?:项|条|个|件)`, 'u');

/** Units a question refers to without their name, and items counted in one unit's list. */
export class UnitReferences {
  constructor(
    private readonly plan: Plan,
    private readonly registry: DepartmentRegistry,
    private readonly stopwords: ReadonlySet<string>,
    private readonly index: TaskIndex,
    private readonly requests: ListRequests,
    /** Below this ranking score nothing is taken from a few words. */
    private readonly minConfidence: number,
  ) {}

  /**
   * The unit a question describes by its work, and the words that describe it: the one unit whose names hold most of
   * the words of that work (出租屋 of 市流动人员出租屋管理办), else the unit most of the tasks about that work name.
   */
  described(normalized: string): { unit: string; said: string } | undefined {
    const m = DESCRIBED.exec(normalized);
    if (!m) return undefined;
    const work = m[1];
    const words = segment(work).filter((w) => [...w].length >= 2 && !this.stopwords.has(w));
    if (!words.length) return undefined;
    const hits = new Map<string, number>();
    for (const f of this.registry.surfaceForms()) {
      const form = f.form.toLowerCase();
      const n = words.filter((w) => form.includes(w)).length;
      for (const name of f.names) if (n > (hits.get(name) ?? 0)) hits.set(name, n);
    }
    const ranked = [...hits].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    if (ranked.length) return ranked.length === 1 || ranked[0][1] > ranked[1][1] ? { unit: ranked[0][0], said: m[0] } : undefined;
    const unit = this.unitAbout(work);
    return unit ? { unit, said: m[0] } : undefined;
  }

  /**
   * An item counted in one unit's list (民政局牵头的第一项, 人社的任务里第三个; `masked`: the units as {部门}): the unit's n-th
   * task in the role asked — unless the unit holds the task of that number (民政局牵头的第35项 is task 35).
   */
  countedInList(departments: string[], masked: string, normalized: string, n: number): number | undefined {
    if (departments.length !== 1 || !COUNTED_IN_LIST.test(masked)) return undefined;
    const role = this.requests.role(normalized);
    const own = this.plan.tasks.filter((t) => this.requests.holds(t, departments[0], role)).map((t) => t.id);
    return own.includes(n) ? undefined : own[n - 1];
  }

  /** The unit most of the tasks about some words name (their lead counted twice), when one unit does. */
  private unitAbout(words: string): string | undefined {
    const ranked = this.index.rank(this.index.terms(words));
    const best = ranked[0];
    if (!best || best.score < this.minConfidence) return undefined;
    const votes = new Map<string, number>();
    for (const r of ranked.filter((x) => x.score >= best.score * 0.7).slice(0, 5)) {
      const task = this.plan.tasks.find((t) => t.id === r.id)!;
      for (const d of task.departments) votes.set(d, (votes.get(d) ?? 0) + (task.lead.includes(d) ? 2 : 1));
    }
    const [first, second] = [...votes].sort((a, b) => b[1] - a[1]);
    return first && (!second || first[1] > second[1]) ? first[0] : undefined;
  }
}
