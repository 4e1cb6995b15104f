import type { TaskKey } from '../../src/plan/task-key.js';
import { DEFAULT_PLAN_ID } from '../../src/plan/types.js';

/** Task N of the default plan (the shipped plan, or a fixture loaded as it). */
export const defaultTask = (task: number): TaskKey => ({ plan: DEFAULT_PLAN_ID, task });
