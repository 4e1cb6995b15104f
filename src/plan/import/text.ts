import { CsvLimitError, decodeText, parseCsv } from '../../core/csv.js';
import { checkRows, checkSize, DEFAULT_READ_LIMITS, TableReadError, type ReadLimits, type SourceRow, type SourceTable } from './table.js';

const FORMAT_LINE = /^#\s*format\s*:\s*(\S+)/im;
/** Columns of data/plan.txt format 1, in order. */
const FORMAT_1_ROLES = ['part', 'subsection', 'no', 'task', 'units'] as const;

/**
 * CSV (comma or, when the text has tabs, tab-separated; quoted fields may hold commas and line breaks)
 * and data/plan.txt (format 1: `# format: 1`, comment lines, five tab-separated columns).
 */
export function readTextTable(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): SourceTable {
  checkSize(bytes, limits);
  const { text } = decodeText(bytes);
  if (!text.trim()) throw new TableReadError('文件是空的');
  if (text.includes('\u0000')) throw new TableReadError('不是文本表格（含有二进制内容）');
  const format = FORMAT_LINE.exec(text);
  if (format && format[1] !== '1') throw new TableReadError(`不支持的格式版本 ${format[1]}（本程序支持 1）`);
  const tab = text.includes('\t');
  const rows = (tab ? splitTsv(text) : splitCsv(text, limits)).filter((r) => !(format && r.cells[0]?.text.trim().startsWith('#')));
  checkRows(rows.length, limits);
  for (const r of rows) if (r.cells.length > limits.maxColumns) throw new TableReadError(`第${r.row}行超过 ${limits.maxColumns} 列`);
  return { rows, emptyMeansMerged: true, roles: format ? [...FORMAT_1_ROLES] : undefined };
}

function splitTsv(text: string): SourceRow[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ row: i + 1, cells: line.split('\t').map((t) => ({ text: t.replace(/\u3000/g, ' ').trim() })) }))
    .filter((r) => r.cells.some((c) => c.text));
}

function splitCsv(text: string, limits: ReadLimits): SourceRow[] {
  try {
    const rows = parseCsv(text, { maxRows: limits.maxRows, maxColumns: limits.maxColumns });
    return rows.map((r) => ({ row: r.row, cells: r.cells.map((t) => ({ text: t.replace(/\u3000/g, ' ').trim() })) }));
  } catch (err) {
    if (!(err instanceof CsvLimitError)) throw err;
    throw new TableReadError(err.limit === 'rows' ? `表格超过 ${limits.maxRows} 行` : `第${err.row}行超过 ${limits.maxColumns} 列`);
  }
}
