import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT, DEFAULT_PLAN_DIR } from '../core/paths.js';
import { DepartmentRegistry, type DepartmentFile } from './departments.js';
import { parsePlan } from './parse.js';
import type { Plan } from './types.js';

export { DATA_ROOT };
export { importedPlanFile, loadPlanFor, loadPlans } from './store.js';

export interface LoadedPlan {
  plan: Plan;
  registry: DepartmentRegistry;
}

export function loadRegistry(file = path.join(DEFAULT_PLAN_DIR, 'departments.json')): DepartmentRegistry {
  return new DepartmentRegistry(JSON.parse(readFileSync(file, 'utf8')) as DepartmentFile);
}

/**
 * Load the shipped plan from data/ or DEFAULT_PLAN_DIR (or other files, e.g. a fixture). The plans of a running office are
 * in DATA_DIR: see loadPlans / loadPlanFor.
 */
export function loadPlan(options: { planFile?: string; departmentsFile?: string } = {}): LoadedPlan {
  const registry = loadRegistry(options.departmentsFile);
  const plan = parsePlan(readFileSync(options.planFile ?? path.join(DEFAULT_PLAN_DIR, 'plan.txt'), 'utf8'), registry);
  return { plan, registry };
}
