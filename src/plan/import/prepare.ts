/**
 * One import as `npm run plan -- import` and the dashboard's 导入方案 both do it: the file's table against the
 * plans already in DATA_DIR (a new plan gets the next free id; `id` of an existing plan imports a revised
 * version), the preview text, and the plan to store once confirmed.
 */
import { readPlans, nextPlanId, checkPlanId, storePlan, type PlanMeta } from '../store.js';
import type { LoadedPlan } from '../load.js';
import { buildPlanImport, describeImport, formatProblem, type PlanImport } from './index.js';
import { describeRevision, matchRevision } from './revision.js';
import type { SourceTable } from './table.js';
import { loadUnitLexicon, type UnitLexicon } from './units.js';

export interface PreparedImport {
  id: string;
  /** The active or archived plan this import replaces (a revised version), if any. */
  replacing?: LoadedPlan;
  result: PlanImport;
  /** The preview, line by line: what the plan holds, its units, and (a revision) which old task each new one continues. */
  preview: string[];
  /** Everything that stops the import, formatted with row and column (empty: it may be stored). */
  problems: string[];
}

let lexiconCache: UnitLexicon | undefined;

export function prepareImport(dataDir: string, table: SourceTable, options: { id?: string; title?: string; coordinator?: string; howToRevise?: (id: string) => string } = {}): PreparedImport {
  const plans = readPlans(dataDir);
  if (options.id) checkPlanId(options.id);
  const id = options.id ?? nextPlanId(dataDir);
  const replacing = plans.find((p) => p.meta.id === id)?.loaded;
  const result = buildPlanImport(table, {
    id,
    title: options.title,
    lexicon: (lexiconCache ??= loadUnitLexicon()),
    previous: replacing?.registry,
    others: plans.filter((p) => p.meta.id !== id).map((p) => ({ id: p.meta.id, registry: p.loaded.registry })),
    coordinator: options.coordinator,
  });
  const sameTitle = plans.find((p) => p.meta.id !== id && p.meta.status === 'active' && p.loaded.plan.title === result.draft.title);
  if (sameTitle && !options.id) result.problems.push({ message: `方案「${sameTitle.loaded.plan.title}」已经导入（编号 ${sameTitle.meta.id}）；导入修订版${(options.howToRevise ?? ((x) => `请加 --id ${x}`))(sameTitle.meta.id)}` });
  const preview = [describeImport(result)];
  if (replacing && result.plan) preview.push(...describeRevision(matchRevision(replacing.plan, result.plan)));
  const problems = result.problems.length ? result.problems.map(formatProblem) : result.plan ? [] : ['没有读到任务'];
  return { id, replacing, result, preview, problems };
}

/** Store a prepared import (only one without problems). */
export function storePrepared(dataDir: string, prepared: Pick<PreparedImport, 'result' | 'problems'>, source: { name: string; bytes: Uint8Array }, now?: Date): PlanMeta {
  const { plan, departments } = prepared.result;
  if (!plan || !departments || prepared.problems.length) throw new Error('方案有问题，未导入');
  return storePlan(dataDir, { plan, departments, source, now });
}

/** An administrator's correction of a new unit's short name and aliases in the preview. */
export interface UnitEdit {
  fullName: string;
  name: string;
  aliases: string[];
}

/** A unit's name may hold 、 (各区、县级市), not a separator of aliases or a sentence's punctuation. */
const UNIT_NAME_RE = /^[^\s，,；;。：:]{2,20}$/;

/**
 * Apply corrections of new units' names before storing: the short name changes everywhere the plan names the
 * unit (tasks, lead, support, coordinator). Returns the problems (a name taken by another unit, an empty name …);
 * nothing is changed when there is one.
 */
export function applyUnitEdits(prepared: Pick<PreparedImport, 'result'>, edits: UnitEdit[]): string[] {
  const { plan, departments } = prepared.result;
  if (!plan || !departments) return ['方案有问题，未导入'];
  const rename = new Map<string, string>();
  const problems: string[] = [];
  const next = departments.departments.map((d) => ({ ...d, aliases: [...d.aliases] }));
  for (const e of edits) {
    const unit = next.find((d) => d.fullName === e.fullName);
    if (!unit) continue;
    const name = e.name.trim();
    if (!UNIT_NAME_RE.test(name)) {
      problems.push(`「${e.fullName}」的简称「${name}」无效：2–20 个字，不含空格和逗号、分号、句号、冒号`);
      continue;
    }
    if (name !== unit.name) rename.set(unit.name, name);
    unit.name = name;
    unit.aliases = [...new Set(e.aliases.map((a) => a.trim()).filter((a) => a && a !== name))];
  }
  const names = new Map<string, string>();
  for (const d of next) {
    for (const form of [d.name, ...d.aliases]) {
      const other = names.get(form);
      if (other && other !== d.fullName) problems.push(`「${form}」同时指向「${other}」和「${d.fullName}」`);
      names.set(form, d.fullName);
    }
  }
  if (problems.length) return [...new Set(problems)];
  const re = (list: string[]) => list.map((n) => rename.get(n) ?? n);
  prepared.result.plan = { ...plan, tasks: plan.tasks.map((t) => ({ ...t, departments: re(t.departments), lead: re(t.lead), support: re(t.support), actors: re(t.actors) })) };
  prepared.result.departments = {
    ...departments,
    coordinator: rename.get(departments.coordinator) ?? departments.coordinator,
    departments: next,
    groups: departments.groups?.map((g) => ({ ...g, name: rename.get(g.name) ?? g.name, members: re(g.members) })),
  };
  return [];
}
