import type { ImportLimits } from '../../core/import-limits.js';
import { runInWorker } from '../../core/worker.js';
import { TableReadError, type SourceTable } from './table.js';

/** Heap of one plan-import worker: a plan within the row and column limits needs far less. */
const WORKER_HEAP_MB = 128;

type Answer = { ok: true; table: SourceTable } | { ok: false; message: string; cause?: string };

/**
 * Read a plan file into the table model off the event loop, within the IMPORT_* limits (upload size,
 * unpacked size, rows, columns, wall time). Refusals are TableReadErrors naming the limit.
 */
export async function readPlanTableInWorker(bytes: Uint8Array, filename: string, limits: ImportLimits): Promise<SourceTable> {
  if (bytes.byteLength > limits.maxUploadBytes) throw new TableReadError(`文件太大：超过 ${Math.round(limits.maxUploadBytes / 1048576)} MB 的上限`);
  const copy = new Uint8Array(bytes); // its own ArrayBuffer, moved into the worker
  const entry = new URL(import.meta.url.endsWith('.ts') ? './worker-entry.ts' : './worker-entry.js', import.meta.url);
  const outcome = await runInWorker<Answer>(entry, { data: copy, filename, limits }, [copy.buffer], { timeoutMs: limits.timeoutMs, heapMb: WORKER_HEAP_MB });
  if (outcome.kind === 'timeout') throw new TableReadError(`解析超时：超过 ${Math.round(limits.timeoutMs / 1000)} 秒的上限`);
  if (outcome.kind === 'out-of-memory') throw new TableReadError('文件过大：解析所需内存超过上限');
  if (outcome.kind === 'failed') throw new TableReadError('无法读取该文件（解析意外中止）');
  if (!outcome.value.ok) throw new TableReadError(outcome.value.message);
  return outcome.value.table;
}
