/**
 * The import worker's entry: parse one upload (workerData) and post the Table or the refusal back.
 * Given a whole multipart body, it also takes the form apart here (a crafted body makes the boundary search slow).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseMultipart } from './multipart.js';
import { ImportError, parseTable, type ImportLimits, type Table } from './table.js';

type Job =
  | { data: Uint8Array; filename: string; limits: ImportLimits }
  | { body: Uint8Array; contentType: string | undefined; limits: ImportLimits; plan?: boolean };

/** A plan upload: the plan importer's reader (docx, xlsx, csv, txt); the file comes back too, to keep as the source. */
async function planTable(data: Uint8Array, filename: string, limits: ImportLimits) {
  const { readPlanFile } = await import('../plan/import/read-file.js');
  const { TableReadError } = await import('../plan/import/table.js');
  try {
    return { ok: true, planTable: await readPlanFile(data, filename, limits), data: new Uint8Array(data) };
  } catch (err) {
    if (err instanceof TableReadError) return { ok: false, row: 0, column: '', message: err.message };
    return { ok: false, row: 0, column: '', message: '无法读取该文件（文件损坏或格式不受支持）', cause: String(err) };
  }
}

async function table(data: Uint8Array, filename: string, limits: ImportLimits): Promise<{ ok: true; table: Table } | { ok: false; row: number; column: string; message: string; cause?: string }> {
  try {
    return { ok: true, table: await parseTable(data, filename, limits) };
  } catch (err) {
    if (err instanceof ImportError) return { ok: false, row: err.row, column: err.column, message: err.message };
    return { ok: false, row: 0, column: '', message: '无法读取该文件（文件损坏或格式不受支持）', cause: String(err) };
  }
}

const job = workerData as Job;
if ('body' in job) {
  let form;
  try {
    form = parseMultipart(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength), job.contentType);
  } catch {
    form = undefined;
  }
  const file = form?.files.find((f) => f.field === 'file' && f.data.length > 0);
  const filename = file?.filename.replace(/^.*[\\/]/, '');
  parentPort!.postMessage(
    !form ? { malformed: true } : { fields: form.fields, filename, ...(file ? await (job.plan ? planTable : table)(file.data, filename!, job.limits) : { ok: true }) },
  );
} else {
  parentPort!.postMessage(await table(job.data, job.filename, job.limits));
}
