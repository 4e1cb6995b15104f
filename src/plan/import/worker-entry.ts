/** The plan-import worker's entry: read one file (workerData) into the table model and post it back. */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportError, type ImportLimits } from '../../core/import-limits.js';
import { inspectXlsx } from '../../core/zip-guard.js';
import { formatOf, readPlanTable } from './index.js';
import { TableReadError } from './table.js';

const { data, filename, limits } = workerData as { data: Uint8Array; filename: string; limits: ImportLimits };
try {
  const format = formatOf(data, filename);
  // A zip (docx, xlsx) is inspected before anything inflates it for real: entry count, unpacked size, ratio.
  if (format !== 'text') {
    try {
      inspectXlsx(Buffer.from(data.buffer, data.byteOffset, data.byteLength), limits);
    } catch (e) {
      if (e instanceof ImportError) throw new TableReadError(format === 'docx' ? e.message.replace('Excel', 'Word') : e.message);
      throw e;
    }
  }
  const table = await readPlanTable(data, filename, { maxBytes: limits.maxUploadBytes, maxRows: limits.maxRows, maxColumns: limits.maxColumns });
  parentPort!.postMessage({ ok: true, table });
} catch (err) {
  if (err instanceof TableReadError) parentPort!.postMessage({ ok: false, message: err.message });
  else parentPort!.postMessage({ ok: false, message: '无法读取该文件（文件损坏或格式不受支持）', cause: String(err) });
}
