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
export function storePrepared(dataDir: string, prepared: PreparedImport, source: { name: string; bytes: Uint8Array }, now?: Date): PlanMeta {
  const { plan, departments } = prepared.result;
  if (!plan || !departments || prepared.problems.length) throw new Error('方案有问题，未导入');
  return storePlan(dataDir, { plan, departments, source, now });
}
