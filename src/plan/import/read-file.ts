/**
 * A plan file's bytes → the table model, within the IMPORT_* limits: a zip (docx, xlsx) is inspected before
 * anything inflates it for real (entry count, unpacked size, ratio). Runs inside a worker thread: the plan
 * import worker (worker-entry.ts) and the dashboard's upload worker.
 */
import { ImportError, type ImportLimits } from '../../core/import-limits.js';
import { inspectXlsx } from '../../core/zip-guard.js';
import { formatOf, readPlanTable } from './index.js';
import { TableReadError, type SourceTable } from './table.js';

export async function readPlanFile(data: Uint8Array, filename: string, limits: ImportLimits): Promise<SourceTable> {
  const format = formatOf(data, filename);
  if (format !== 'text') {
    try {
      inspectXlsx(Buffer.from(data.buffer, data.byteOffset, data.byteLength), limits);
    } catch (e) {
      if (e instanceof ImportError) throw new TableReadError(format === 'docx' ? e.message.replace('Excel', 'Word') : e.message);
      throw e;
    }
  }
  return readPlanTable(data, filename, { maxBytes: limits.maxUploadBytes, maxRows: limits.maxRows, maxColumns: limits.maxColumns });
}
