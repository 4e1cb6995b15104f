/**
 * Parse an upload off the event loop: each import runs in its own worker thread with a memory cap and a
 * wall-time limit, and the worker is terminated as soon as it answers or passes a limit, so /healthz, chat
 * answers and the state lock's heartbeat carry on while a hostile spreadsheet is refused.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/log.js';
import { ImportError, count, megabytes, type ImportLimits, type Table } from './table.js';

/** Heap of one import worker: a table within the row and column limits needs far less. */
const WORKER_HEAP_MB = 128;

/** Compiled (dist/…/read-table.js) the worker is plain JS; under tsx or vitest a bootstrap registers tsx's loader in it first. */
function workerScript(): URL {
  const fromTs = import.meta.url.endsWith('.ts');
  return new URL(fromTs ? './table-worker-tsx.mjs' : './table-worker.js', import.meta.url);
}

let running = 0;
/** Import workers alive right now (0 once every import has answered or been cut off). */
export const runningImportWorkers = () => running;

type WorkerAnswer = { ok: true; table: Table } | { ok: false; row: number; column: string; message: string; cause?: string };

/** Read an .xlsx or .csv upload into a Table in a worker thread; refusals are ImportErrors naming the limit. */
export async function readTable(data: Uint8Array, filename: string, limits: ImportLimits, log?: Pick<Logger, 'warn'>): Promise<Table> {
  if (data.byteLength > limits.maxUploadBytes) {
    throw new ImportError(0, '', `文件过大：超过 ${megabytes(limits.maxUploadBytes)} 的上传上限`);
  }
  const copy = new Uint8Array(data); // its own ArrayBuffer, moved (not copied again) into the worker
  const started = performance.now();
  const worker = new Worker(workerScript(), {
    workerData: { data: copy, filename, limits },
    transferList: [copy.buffer],
    execArgv: [], // not the server's own flags (npm start's V8 options are not valid in a worker)
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    stdout: false,
    stderr: false,
  });
  running++;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => running--);

  const answer = await new Promise<WorkerAnswer>((resolve) => {
    const timer = setTimeout(
      () => resolve({ ok: false, row: 0, column: '', message: `表格解析超时：超过 ${count(limits.timeoutMs / 1000)} 秒的上限` }),
      limits.timeoutMs,
    );
    const settle = (a: WorkerAnswer) => {
      clearTimeout(timer);
      resolve(a);
    };
    worker.once('message', (m: WorkerAnswer) => settle(m));
    worker.once('error', (err: Error & { code?: string }) =>
      settle(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { ok: false, row: 0, column: '', message: '表格过大：解析所需内存超过上限' }
          : { ok: false, row: 0, column: '', message: '无法读取该文件（文件损坏或格式不受支持）', cause: String(err) },
      ),
    );
    worker.once('exit', () => settle({ ok: false, row: 0, column: '', message: '无法读取该文件（解析意外中止）' }));
  });
  // Whatever the answer, the worker goes now: a refused or timed-out parse must not keep using memory or CPU.
  await worker.terminate();
  await exited;
  if (answer.ok) return answer.table;
  log?.warn({ filename, bytes: data.byteLength, refusal: answer.message, cause: answer.cause, ms: Math.round(performance.now() - started), workerTerminated: true }, '导入文件被拒绝');
  throw new ImportError(answer.row, answer.column, answer.message);
}
