/** The plan-import worker's entry: read one file (workerData) into the table model and post it back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportLimits } from '../../core/import-limits.js';
import { readPlanFile } from './read-file.js';
import { TableReadError } from './table.js';

const { data, filename, limits } = workerData as { data: Uint8Array; filename: string; limits: ImportLimits };
try {
  parentPort!.postMessage({ ok: true, table: await readPlanFile(data, filename, limits) });
} catch (err) {
  if (err instanceof TableReadError) parentPort!.postMessage({ ok: false, message: err.message });
  else parentPort!.postMessage({ ok: false, message: '无法读取该文件（文件损坏或格式不受支持）', cause: String(err) });
}
