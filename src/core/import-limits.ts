/**
 * Bounds on one upload (a ledger or a plan file), shared by the dashboard and the plan importer:
 * every refusal names the limit it hit. IMPORT_* variables set them.
 */
import { integer, type Env } from './env.js';

/** Bounds on one import; every one of them is named in the refusal. */
export interface ImportLimits {
  /** Bytes of the upload itself (the compressed .xlsx or the .csv). */
  maxUploadBytes: number;
  /** Bytes of an .xlsx once unpacked (declared by its central directory and checked while inflating). */
  maxUnpackedBytes: number;
  maxRows: number;
  maxColumns: number;
  /** Wall time of one parse; the worker is terminated past it. */
  timeoutMs: number;
}

export class ImportError {
  constructor(
    readonly row: number,
    readonly column: string,
    readonly message: string,
  ) {}
  toString(): string {
    return this.row > 0 ? `第${this.row}行 ${this.column ? `${this.column}列` : ''}: ${this.message}` : this.message;
  }
}

/** 5000 → "5,000", as the refusal messages write numbers. */
export const count = (n: number) => n.toLocaleString('en-US');
/** 10485760 → "10 MB". */
export const megabytes = (bytes: number) => `${count(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;

export const tooManyRows = (limits: ImportLimits) => new ImportError(0, '', `表格过大：超过 ${count(limits.maxRows)} 行的上限`);
export const tooManyColumns = (limits: ImportLimits) => new ImportError(0, '', `表格过大：超过 ${count(limits.maxColumns)} 列的上限`);
const MB = 1024 * 1024;

/** IMPORT_* variables: every upload is bounded in size, unpacked size, rows, columns and parse time. */
export function readImportLimits(env: Env = process.env): ImportLimits {
  return {
    maxUploadBytes: integer(env, 'IMPORT_MAX_UPLOAD_MB', 10, [1, 100]) * MB,
    maxUnpackedBytes: integer(env, 'IMPORT_MAX_UNPACKED_MB', 20, [1, 500]) * MB,
    maxRows: integer(env, 'IMPORT_MAX_ROWS', 5000, [10, 1_000_000]),
    maxColumns: integer(env, 'IMPORT_MAX_COLUMNS', 50, [5, 16_384]),
    timeoutMs: integer(env, 'IMPORT_TIMEOUT_SECONDS', 20, [1, 600]) * 1000,
  };
}

