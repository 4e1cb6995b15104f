/**
 * Reading an uploaded spreadsheet (.xlsx or .csv) into rows of text cells, within limits.
 * This is the heavy part of an import: it runs inside the import worker (read-table.ts), never on the server's event loop.
 */
import { inspectXlsx } from '../core/zip-guard.js';
import { count, ImportError, tooManyColumns, tooManyRows, type ImportLimits } from '../core/import-limits.js';
import { excelCellText } from '../core/excel-cell.js';

export { ImportError, count, megabytes, tooManyColumns, tooManyRows, type ImportLimits } from '../core/import-limits.js';

/** A sheet as rows of trimmed text cells, with the row number the user sees in Excel. */
export interface Table {
  rows: Array<{ row: number; cells: string[] }>;
}

/** Excel's own limit on the characters of one cell: a longer cell cannot come from a real spreadsheet. */
export const MAX_CELL_CHARS = 32_767;

const cellTooLarge = (row: number) => new ImportError(row, '', `单元格过大：超过 ${count(MAX_CELL_CHARS)} 字的上限`);

/** RFC 4180 CSV (quotes, doubled quotes, CRLF/LF, BOM); stops at the first limit exceeded. */
export function parseCsv(text: string, limits?: Pick<ImportLimits, 'maxRows' | 'maxColumns'>): Table {
  const src = text.replace(/^\uFEFF/, '');
  const maxRows = limits?.maxRows ?? Infinity;
  const maxColumns = limits?.maxColumns ?? Infinity;
  const out: Table = { rows: [] };
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const push = () => {
    row.push(cell);
    cell = '';
    if (row.length > maxColumns) throw tooManyColumns(limits as ImportLimits);
  };
  const endRow = () => {
    push();
    if (row.some((c) => c.trim() !== '')) {
      if (out.rows.length >= maxRows) throw tooManyRows(limits as ImportLimits);
      out.rows.push({ row: rowLine, cells: row.map((c) => c.trim()) });
    }
    row = [];
    rowLine = line;
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (cell.length > MAX_CELL_CHARS) throw cellTooLarge(rowLine);
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') push();
    else if (ch === '\r') continue;
    else if (ch === '\n') {
      line++;
      endRow();
    } else cell += ch;
  }
  if (cell.length > MAX_CELL_CHARS) throw cellTooLarge(rowLine);
  if (cell !== '' || row.length > 0) endRow();
  return out;
}

function decodeText(buf: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    // Excel on Chinese Windows saves CSV as GB18030/GBK.
    return new TextDecoder('gb18030').decode(buf);
  }
}

export const isXlsx = (data: Uint8Array, filename: string) => /\.xlsx$/i.test(filename) || (data.length > 4 && data[0] === 0x50 && data[1] === 0x4b);

/**
 * Read the first worksheet of an .xlsx, or a .csv (UTF-8 or GB18030), into a Table. An .xlsx is inspected
 * (central directory, bounded inflation, row and column counts) before exceljs builds anything.
 */
export async function parseTable(data: Uint8Array, filename: string, limits: ImportLimits): Promise<Table> {
  if (!isXlsx(data, filename)) {
    if (/\.xls$/i.test(filename)) throw new ImportError(0, '', '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV');
    return parseCsv(decodeText(data), limits);
  }
  inspectXlsx(Buffer.from(data.buffer, data.byteOffset, data.byteLength), limits);
  const { default: excel } = await import('exceljs');
  const wb = new excel.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new ImportError(0, '', '无法读取该 Excel 文件（文件损坏或不是 .xlsx 格式）');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ImportError(0, '', 'Excel 文件里没有工作表');
  const out: Table = { rows: [] };
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cellsOut: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const text = excelCellText(cell.value).trim();
      if (text.length > MAX_CELL_CHARS) throw cellTooLarge(n);
      if (col > limits.maxColumns) {
        if (text) throw tooManyColumns(limits);
        return; // a formatted empty cell far to the right
      }
      cellsOut[col - 1] = text;
    });
    for (let i = 0; i < cellsOut.length; i++) cellsOut[i] ??= '';
    if (cellsOut.some((c) => c !== '')) {
      if (out.rows.length >= limits.maxRows) throw tooManyRows(limits);
      out.rows.push({ row: n, cells: cellsOut });
    }
  });
  return out;
}
