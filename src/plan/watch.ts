/**
 * A running server picks up plans imported, replaced or archived by `npm run plan` (or any other process)
 * without a restart. fs.watch on DATA_DIR/plans gives the change at once; it is debounced (an import writes
 * several files and renames a folder), and a slow poll catches what fs.watch misses (network file systems,
 * a plans folder created after start). Both only compare a cheap signature: the folders and their plan.json
 * sizes and times; the plans are re-read only when it changed.
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { importedPlanFile, plansDir } from './store.js';

export interface PlanWatcher {
  close(): void;
  /** Compare now (also what the timers do). */
  check(): void;
}

export interface PlanWatchOptions {
  debounceMs?: number;
  pollMs?: number;
  /** Called with the new signature when the stored plans changed; errors are the caller's to log. */
  onChange: () => void;
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** What changes when a plan is stored, replaced, archived or removed. */
export function plansSignature(dataDir: string): string {
  const dir = plansDir(dataDir);
  const parts = [`txt=${stamp(importedPlanFile(dataDir))}`];
  if (existsSync(dir)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n !== '.replaced').sort();
    } catch {
      names = [];
    }
    for (const n of names) parts.push(`${n}=${stamp(path.join(dir, n, 'plan.json'))}`);
  }
  return parts.join('|');
}

export function watchPlans(dataDir: string, options: PlanWatchOptions): PlanWatcher {
  const debounceMs = options.debounceMs ?? 300;
  const pollMs = options.pollMs ?? 5000;
  let last = plansSignature(dataDir);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;

  const check = () => {
    const now = plansSignature(dataDir);
    if (now === last) return;
    last = now;
    options.onChange();
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(check, debounceMs);
    timer.unref();
  };
  const startWatching = () => {
    if (watcher || !existsSync(plansDir(dataDir))) return;
    try {
      watcher = watch(plansDir(dataDir), { persistent: false, recursive: true }, soon);
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined; // the poll carries on alone
      });
    } catch {
      watcher = undefined;
    }
  };
  startWatching();
  const poll = setInterval(() => {
    startWatching(); // the plans folder may have been created since
    check();
  }, pollMs);
  poll.unref();

  return {
    check,
    close() {
      clearInterval(poll);
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
