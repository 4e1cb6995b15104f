/**
 * Reading an uploaded spreadsheet (.xlsx or .csv) into rows of text cells, within limits.
 * This is the heavy part of an import: it runs inside the import worker (read-table.ts), never on the server's event loop.
 */
import { inspectXlsx } from '../core/zip-guard.js';
import { count, ImportError, tooManyColumns, tooManyRows, type ImportLimits } from '../core/import-limits.js';
import { excelCellText } from '../core/excel-cell.js';
import { CsvLimitError, decodeText, parseCsv as readCsv } from '../core/csv.js';

export { ImportError, count, megabytes, tooManyColumns, tooManyRows, type ImportLimits } from '../core/import-limits.js';

/** A sheet as rows of trimmed text cells, with the row number the user sees in Excel. */
export interface Table {
  rows: Array<{ row: number; cells: string[] }>;
}

/** Excel's own limit on the characters of one cell: a longer cell cannot come from a real spreadsheet. */
export const MAX_CELL_CHARS = 32_767;

const cellTooLarge = (row: number) => new ImportError(row, '', `单元格过大：超过 ${count(MAX_CELL_CHARS)} 字的上限`);

/** The ledger's CSV (the one reader of src/core/csv.ts), its bounds worded as the dashboard words them. */
export function parseCsv(text: string, limits?: Pick<ImportLimits, 'maxRows' | 'maxColumns'>): Table {
  try {
    return { rows: readCsv(text, { maxRows: limits?.maxRows, maxColumns: limits?.maxColumns, maxCellChars: MAX_CELL_CHARS }) };
  } catch (err) {
    if (!(err instanceof CsvLimitError)) throw err;
    if (err.limit === 'cell') throw cellTooLarge(err.row);
    throw err.limit === 'rows' ? tooManyRows(limits as ImportLimits) : tooManyColumns(limits as ImportLimits);
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
    return parseCsv(decodeText(data).text, limits);
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
