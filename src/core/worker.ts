/**
 * Run one heavy, untrusted parse (an uploaded spreadsheet or document) in its own worker thread with a
 * memory cap and a wall-time limit, so the event loop — chat answers, /healthz, the state lock's
 * heartbeat — carries on. The worker is terminated as soon as it answers or passes a limit.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerBounds {
  timeoutMs: number;
  /** Old-generation heap of the worker. */
  heapMb: number;
}

export type WorkerOutcome<T> = { kind: 'answer'; value: T } | { kind: 'timeout' } | { kind: 'out-of-memory' } | { kind: 'failed'; cause: string };

let running = 0;
/** Workers alive right now (0 once every parse has answered or been cut off). */
export const runningWorkers = () => running;

const TSX_BOOTSTRAP = new URL('./worker-tsx.mjs', import.meta.url);

/**
 * `entry` is the worker module (its .ts URL under tsx/vitest, where a bootstrap registers tsx's loader in
 * the worker first; its .js URL when compiled). It reads `workerData` and posts one message back.
 */
export async function runInWorker<T>(entry: URL, workerData: unknown, transferList: ArrayBuffer[], bounds: WorkerBounds): Promise<WorkerOutcome<T>> {
  const fromTs = entry.pathname.endsWith('.ts');
  const worker = new Worker(fromTs ? TSX_BOOTSTRAP : entry, {
    workerData,
    transferList,
    argv: fromTs ? [entry.href] : [],
    execArgv: [], // not the server's own flags (npm start's V8 options are not valid in a worker)
    resourceLimits: { maxOldGenerationSizeMb: bounds.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    stdout: false,
    stderr: false,
  });
  running++;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => running--);
  const outcome = await new Promise<WorkerOutcome<T>>((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), bounds.timeoutMs);
    const settle = (o: WorkerOutcome<T>) => {
      clearTimeout(timer);
      resolve(o);
    };
    worker.once('message', (value: T) => settle({ kind: 'answer', value }));
    worker.once('error', (err: Error & { code?: string }) => settle(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'out-of-memory' } : { kind: 'failed', cause: String(err) }));
    worker.once('exit', () => settle({ kind: 'failed', cause: 'worker exited without answering' }));
  });
  // Whatever the outcome, the worker goes now: a refused or timed-out parse must not keep using memory or CPU.
  await worker.terminate();
  await exited;
  return outcome;
}
