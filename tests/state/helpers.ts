import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';
import { openStore, type StateStore, type StoreOptions } from '../../src/state/store.js';
import { sharedPostgres, type BackendName } from '../helpers/postgres.js';

let cached: LoadedPlan | undefined;
export function plan(): LoadedPlan {
  return (cached ??= loadPlan());
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'duban-state-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A clock that starts at `iso` and moves with real time (timers still work). */
export function clockAt(iso: string): () => Date {
  const offset = new Date(iso).getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** A clock the test moves by hand. */
export function manualClock(iso: string): { now: () => Date; set: (iso: string) => void; advance: (ms: number) => void } {
  let t = new Date(iso).getTime();
  return { now: () => new Date(t), set: (s) => (t = new Date(s).getTime()), advance: (ms) => (t += ms) };
}

/** A store in a fresh temp dir — and, for 'postgres', a fresh database of the file's test cluster. */
export async function withStore(
  opts: Partial<StoreOptions> = {},
  backend: BackendName = 'file',
): Promise<{ store: StateStore; dir: string; databaseUrl?: string; reopen: (o?: Partial<StoreOptions>) => Promise<StateStore>; cleanup: () => Promise<void> }> {
  const t = await tempDir();
  const databaseUrl = backend === 'postgres' ? await (await sharedPostgres()).createDatabase() : undefined;
  const base = { dir: t.dir, loaded: plan(), fsync: false, databaseUrl, ...opts };
  const store = await openStore(base);
  let current = store;
  return {
    store,
    dir: t.dir,
    databaseUrl,
    reopen: async (o = {}) => {
      await current.close();
      current = await openStore({ ...base, ...o });
      return current;
    },
    cleanup: async () => {
      await current.close().catch(() => undefined);
      await t.cleanup();
    },
  };
}

export const coordinatorActor = { channel: 'cli' as const, name: '测试协调员' };
