import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from '../core/paths.js';
import { DepartmentRegistry, type DepartmentFile } from './departments.js';
import { parsePlan } from './parse.js';
import type { Plan } from './types.js';

export { DATA_ROOT };

export interface LoadedPlan {
  plan: Plan;
  registry: DepartmentRegistry;
}

export function loadRegistry(file = path.join(DATA_ROOT, 'departments.json')): DepartmentRegistry {
  return new DepartmentRegistry(JSON.parse(readFileSync(file, 'utf8')) as DepartmentFile);
}

/** Load the department registry and the plan from data/ (or other files, e.g. a replacement plan). */
export function loadPlan(options: { planFile?: string; departmentsFile?: string } = {}): LoadedPlan {
  const registry = loadRegistry(options.departmentsFile);
  const plan = parsePlan(readFileSync(options.planFile ?? path.join(DATA_ROOT, 'plan.txt'), 'utf8'), registry);
  return { plan, registry };
}

/** The plan a server on this DATA_DIR runs: one imported from the dashboard (DATA_DIR/plan.txt), else the shipped one. */
export function importedPlanFile(dataDir: string): string {
  return path.join(dataDir, 'plan.txt');
}

export function loadPlanFor(dataDir: string): LoadedPlan {
  const imported = importedPlanFile(dataDir);
  return loadPlan(existsSync(imported) ? { planFile: imported } : {});
}
