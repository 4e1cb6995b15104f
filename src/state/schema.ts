import { DEFAULT_PLAN_ID } from '../plan/types.js';
import { DamagedFileError } from './file.js';
import type { StateData } from './types.js';

export const SCHEMA_VERSION = 4;

export function emptyState(): StateData {
  return {
    schemaVersion: SCHEMA_VERSION,
    progress: {},
    deadlines: {},
    planTexts: {},
    chatPlans: {},
    bindings: [],
    schedules: {},
    holidays: {},
    outbox: {},
    outboxSeq: 0,
    reminderLog: [],
    seen: {},
    history: [],
    liaisons: {},
    people: {},
    reports: {},
    reportSeq: 0,
    sessions: {},
    logins: {},
    uploads: {},
    robots: {},
    planner: { alerted: {} },
  };
}

/**
 * Migrations: index n upgrades a file at version n to n + 1.
 * Version 0 is a file without schemaVersion (e.g. `{}` or a hand-made file).
 */
const MIGRATIONS: Array<(data: Record<string, unknown>) => Record<string, unknown>> = [
  // 0 → 1: fill every collection with its default, keep whatever was there.
  (data) => ({ ...emptyState(), ...data, schemaVersion: 1 }),
  // 1 → 2: liaisons, people seen on Telegram, and the weekly reports with their issue counter.
  (data) => ({ liaisons: {}, people: {}, reports: {}, reportSeq: 0, ...data, schemaVersion: 2 }),
  // 2 → 3: dashboard sessions, sign-in back-off and uploads awaiting confirmation, shared by instances.
  (data) => ({ sessions: {}, logins: {}, uploads: {}, ...data, schemaVersion: 3 }),
  // 3 → 4: a task is plan + number. Keys written with a bare number belong to the default plan
  // (48|法院 → default:48|法院, 48 → default:48); audit entries about a task name its plan.
  (data) => toPlanKeys(data),
];

/** A key starting with a bare task number (`48`, `48|法院`, `48|法院|d7|…`), given the default plan. */
const withDefaultPlan = (key: string) => (/^\d+(?:\||$)/.test(key) ? `${DEFAULT_PLAN_ID}:${key}` : key);

function rekey<V>(map: unknown): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries((map ?? {}) as Record<string, V>)) out[withDefaultPlan(k)] = v;
  return out;
}

function toPlanKeys(data: Record<string, unknown>): Record<string, unknown> {
  const planner = (data.planner ?? {}) as { lastPlannedAt?: string; alerted?: Record<string, string> };
  const history = Array.isArray(data.history) ? (data.history as Array<Record<string, unknown>>) : [];
  return {
    ...data,
    progress: rekey(data.progress),
    deadlines: rekey(data.deadlines),
    planner: { ...planner, alerted: rekey(planner.alerted) },
    history: history.map((h) => (h.taskId !== undefined && h.plan === undefined ? { ...h, plan: DEFAULT_PLAN_ID } : h)),
    planTexts: {},
    chatPlans: {},
    schemaVersion: 4,
  };
}

/** Bring a loaded file up to SCHEMA_VERSION; refuse a file written by a newer version. */
export function migrate(raw: unknown, file: string): { data: StateData; migratedFrom?: number } {
  if (raw === null || raw === undefined) return { data: emptyState() };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new DamagedFileError(file, '的内容不是 JSON 对象');
  let data = raw as Record<string, unknown>;
  const from = typeof data.schemaVersion === 'number' ? data.schemaVersion : 0;
  if (from > SCHEMA_VERSION) {
    throw new Error(`状态文件 ${file} 的版本 ${from} 比本程序支持的 ${SCHEMA_VERSION} 新，请升级督办助手后再启动`);
  }
  for (let v = from; v < SCHEMA_VERSION; v++) data = MIGRATIONS[v](data);
  // Defaults for any collection a hand edit removed.
  const full = { ...emptyState(), ...data } as StateData;
  full.planner = { ...(full.planner ?? {}), alerted: full.planner?.alerted ?? {} };
  return { data: full, migratedFrom: from < SCHEMA_VERSION ? from : undefined };
}
