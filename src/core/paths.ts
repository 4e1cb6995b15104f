import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root (the folder with package.json), whether running from src/ with tsx or from compiled dist/. */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot();
/** Files an administrator reads and edits: the plan, departments, lexicons, reminder defaults, holidays. */
export const DATA_ROOT = path.join(PROJECT_ROOT, 'data');
/**
 * The default plan shipped with the program (plan.txt and departments.json): data/, unless DEFAULT_PLAN_DIR names
 * another folder (the tests point it at their fixture, so an office editing data/plan.txt keeps `npm test` green).
 */
export const DEFAULT_PLAN_DIR = path.resolve(process.env.DEFAULT_PLAN_DIR || DATA_ROOT);
