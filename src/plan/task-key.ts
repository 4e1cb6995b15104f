import { DEFAULT_PLAN_ID } from './types.js';

/**
 * A task's identity: the plan it belongs to and its number there. Two plans both have a 第5项, so the bare
 * number never names a task in the state, reminders or the ledger.
 */
export interface TaskKey {
  plan: string;
  task: number;
}

export const taskKey = (plan: string, task: number): TaskKey => ({ plan, task });

/** 'default:48': how the state's keys name a task. */
export const taskKeyString = (k: TaskKey): string => `${k.plan}:${k.task}`;

export const sameTask = (a: TaskKey, b: TaskKey): boolean => a.plan === b.plan && a.task === b.task;

/** 'default:48' → the task; a bare '48' (written before tasks had plans) is the default plan's. */
export function parseTaskKey(s: string): TaskKey | undefined {
  const m = /^(?:([a-z0-9][a-z0-9-]{0,31}):)?(\d{1,6})$/.exec(s);
  return m ? { plan: m[1] ?? DEFAULT_PLAN_ID, task: Number(m[2]) } : undefined;
}

/** The state's key of one department's row of a task: 'default:48|法院'. */
export const progressKey = (k: TaskKey, department: string): string => `${taskKeyString(k)}|${department}`;
