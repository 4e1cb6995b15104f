/**
 * Parse an upload off the event loop: each import runs in its own worker thread with a memory cap and a
 * wall-time limit, and the worker is terminated as soon as it answers or passes a limit, so /healthz, chat
 * answers and the state lock's heartbeat carry on while a hostile spreadsheet is refused.
 */
import type { Logger } from '../core/log.js';
import { runInWorker, runningWorkers } from '../core/worker.js';
import type { SourceTable } from '../plan/import/table.js';
import { ImportError, count, megabytes, type ImportLimits, type Table } from './table.js';

/** Heap of one import worker: a table within the row and column limits needs far less. */
const WORKER_HEAP_MB = 128;

/** Import workers alive right now (0 once every import has answered or been cut off). */
export const runningImportWorkers = runningWorkers;

type TableAnswer = { ok: true; table?: Table; planTable?: SourceTable; data?: Uint8Array } | { ok: false; row: number; column: string; message: string; cause?: string };
type UploadAnswer = { malformed: true } | (TableAnswer & { fields: Record<string, string>; filename?: string });

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './table-worker.ts' : './table-worker.js', import.meta.url);

/** One job in a fresh worker; a timeout, an exhausted heap or a crash become the refusal people read. */
async function inWorker<T extends object>(job: Record<string, unknown>, bytes: Uint8Array, limits: ImportLimits): Promise<T | TableAnswer> {
  const outcome = await runInWorker<T>(ENTRY, { ...job, limits }, [bytes.buffer as ArrayBuffer], { timeoutMs: limits.timeoutMs, heapMb: WORKER_HEAP_MB });
  if (outcome.kind === 'answer') return outcome.value;
  if (outcome.kind === 'timeout') return { ok: false, row: 0, column: '', message: `表格解析超时：超过 ${count(limits.timeoutMs / 1000)} 秒的上限` };
  if (outcome.kind === 'out-of-memory') return { ok: false, row: 0, column: '', message: '表格过大：解析所需内存超过上限' };
  return { ok: false, row: 0, column: '', message: '无法读取该文件（文件损坏或格式不受支持）', cause: outcome.cause };
}

/** Logged once the worker has exited: workersRunning counts the parses still going (0 when this was the only one). */
function refused(answer: Extract<TableAnswer, { ok: false }>, filename: string | undefined, bytes: number, started: number, log?: Pick<Logger, 'warn'>): ImportError {
  log?.warn({ filename, bytes, refusal: answer.message, cause: answer.cause, ms: Math.round(performance.now() - started), workersRunning: runningWorkers() }, '导入文件被拒绝');
  return new ImportError(answer.row, answer.column, answer.message);
}

/** Read an .xlsx or .csv file into a Table in a worker thread; refusals are ImportErrors naming the limit. */
export async function readTable(data: Uint8Array, filename: string, limits: ImportLimits, log?: Pick<Logger, 'warn'>): Promise<Table> {
  if (data.byteLength > limits.maxUploadBytes) {
    throw new ImportError(0, '', `文件过大：超过 ${megabytes(limits.maxUploadBytes)} 的上传上限`);
  }
  const started = performance.now();
  const copy = new Uint8Array(data); // its own ArrayBuffer, moved (not copied again) into the worker
  const answer = await inWorker<TableAnswer>({ data: copy, filename }, copy, limits);
  if (answer.ok) return answer.table!;
  throw refused(answer, filename, data.byteLength, started, log);
}

/** A dashboard upload taken apart: its form fields, and its file read into a Table (or the refusal). */
export type UploadRead =
  | { kind: 'malformed' }
  | { kind: 'form'; fields: Record<string, string>; filename?: string; table?: Table; error?: ImportError; plan?: { table: SourceTable; data: Uint8Array } };

/** Take a multipart/form-data body apart and read its "file" field, all in a worker thread (the body is moved there). */
export async function readUpload(body: Uint8Array, contentType: string | undefined, limits: ImportLimits, log?: Pick<Logger, 'warn'>, options: { plan?: boolean } = {}): Promise<UploadRead> {
  const started = performance.now();
  const size = body.byteLength; // before the move detaches it
  // A request body owns its memory: move it into the worker as it is (the caller does not read it afterwards).
  const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
  const answer = await inWorker<UploadAnswer>({ body: owned, contentType, plan: options.plan }, owned, limits);
  if ('malformed' in answer) return { kind: 'malformed' };
  const form = 'fields' in answer ? answer : { fields: {}, filename: undefined };
  if (answer.ok) {
    const plan = answer.planTable && answer.data ? { table: answer.planTable, data: answer.data } : undefined;
    return { kind: 'form', fields: form.fields, filename: form.filename, table: answer.table, ...(plan ? { plan } : {}) };
  }
  return { kind: 'form', fields: form.fields, filename: form.filename, error: refused(answer, form.filename, size, started, log) };
}
