/** The import worker's entry: parse one upload (workerData) and post the Table or the refusal back. */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportError, parseTable, type ImportLimits } from './table.js';

const { data, filename, limits } = workerData as { data: Uint8Array; filename: string; limits: ImportLimits };
try {
  parentPort!.postMessage({ ok: true, table: await parseTable(data, filename, limits) });
} catch (err) {
  if (err instanceof ImportError) parentPort!.postMessage({ ok: false, row: err.row, column: err.column, message: err.message });
  else parentPort!.postMessage({ ok: false, row: 0, column: '', message: '无法读取该文件（文件损坏或格式不受支持）', cause: String(err) });
}
