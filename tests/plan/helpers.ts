import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlanImport, readPlanTable, type OtherPlan } from '../../src/plan/import/index.js';
import { loadUnitLexicon } from '../../src/plan/import/units.js';
import { DepartmentRegistry } from '../../src/plan/departments.js';
import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/plans');
export const PLAN1 = path.join(FIXTURES, 'plan1');
export const PLAN2 = path.join(FIXTURES, 'plan2');
export const lexicon = loadUnitLexicon();

/** The shipped plan, from its fixture copy. */
export const plan1 = () => loadPlan({ planFile: path.join(PLAN1, 'plan.txt'), departmentsFile: path.join(PLAN1, 'departments.json') });

/** Read and normalise a file as `npm run plan -- import` does, beside the shipped plan. */
export async function importFile(file: string, options: { title?: string; others?: OtherPlan[] } = {}) {
  const table = await readPlanTable(readFileSync(file), file);
  return buildPlanImport(table, { id: 'p2', lexicon, title: options.title, others: options.others ?? [{ id: 'default', registry: plan1().registry }] });
}

/** Import text given inline (a CSV written in the test). */
export async function importText(text: string, name = 'plan.csv') {
  const table = await readPlanTable(new TextEncoder().encode(text), name);
  return buildPlanImport(table, { id: 'p9', lexicon });
}

export const PLAN3 = path.join(FIXTURES, 'plan3');

/**
 * A small third plan (tests/fixtures/plans/plan3/second.csv) naming units of plan 1 by their full names, so the
 * importer gives them plan 1's short names: a unit that takes part in two plans.
 */
export async function sharedUnitPlan(): Promise<LoadedPlan> {
  const table = await readPlanTable(readFileSync(path.join(PLAN3, 'second.csv')), 'second.csv');
  const imp = buildPlanImport(table, { id: 'p3', lexicon, others: [{ id: 'default', registry: plan1().registry }] });
  if (imp.problems.length) throw new Error(imp.problems.map(String).join('; '));
  return { plan: imp.plan!, registry: new DepartmentRegistry(imp.departments!) };
}

/** plan1's text with task 3 left out and the numbers after it one less (as a revised document prints them). */
export function planWithoutTask3(): string {
  return readFileSync(path.join(PLAN1, 'plan.txt'), 'utf8')
    .split('\n')
    .flatMap((line) => {
      const cells = line.split('\t');
      if (cells.length < 5 || !/^\d+$/.test(cells[2])) return [line];
      const n = Number(cells[2]);
      if (n === 3) return [];
      if (n > 3) cells[2] = String(n - 1);
      return [cells.join('\t')];
    })
    .join('\n');
}
