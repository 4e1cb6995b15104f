/**
 * Parse an upload off the event loop: each import runs in its own worker thread with a memory cap and a
 * wall-time limit, and the worker is terminated as soon as it answers or passes a limit, so /healthz, chat
 * answers and the state lock's heartbeat carry on while a hostile spreadsheet is refused.
 */
import type { Logger } from '../core/log.js';
import { runInWorker, runningWorkers } from '../core/worker.js';
import { ImportError, count, megabytes, type ImportLimits, type Table } from './table.js';

/** Heap of one import worker: a table within the row and column limits needs far less. */
const WORKER_HEAP_MB = 128;

/** Import workers alive right now (0 once every import has answered or been cut off). */
export const runningImportWorkers = runningWorkers;

type WorkerAnswer = { ok: true; table: Table } | { ok: false; row: number; column: string; message: string; cause?: string };

/** Read an .xlsx or .csv upload into a Table in a worker thread; refusals are ImportErrors naming the limit. */
export async function readTable(data: Uint8Array, filename: string, limits: ImportLimits, log?: Pick<Logger, 'warn'>): Promise<Table> {
  if (data.byteLength > limits.maxUploadBytes) {
    throw new ImportError(0, '', `文件过大：超过 ${megabytes(limits.maxUploadBytes)} 的上传上限`);
  }
  const copy = new Uint8Array(data); // its own ArrayBuffer, moved (not copied again) into the worker
  const started = performance.now();
  const entry = new URL(import.meta.url.endsWith('.ts') ? './table-worker.ts' : './table-worker.js', import.meta.url);
  const outcome = await runInWorker<WorkerAnswer>(entry, { data: copy, filename, limits }, [copy.buffer], { timeoutMs: limits.timeoutMs, heapMb: WORKER_HEAP_MB });
  const answer: WorkerAnswer =
    outcome.kind === 'answer'
      ? outcome.value
      : outcome.kind === 'timeout'
        ? { ok: false, row: 0, column: '', message: `表格解析超时：超过 ${count(limits.timeoutMs / 1000)} 秒的上限` }
        : outcome.kind === 'out-of-memory'
          ? { ok: false, row: 0, column: '', message: '表格过大：解析所需内存超过上限' }
          : { ok: false, row: 0, column: '', message: '无法读取该文件（文件损坏或格式不受支持）', cause: outcome.cause };
  if (answer.ok) return answer.table;
  log?.warn({ filename, bytes: data.byteLength, refusal: answer.message, cause: answer.cause, ms: Math.round(performance.now() - started), workerTerminated: true }, '导入文件被拒绝');
  throw new ImportError(answer.row, answer.column, answer.message);
}
