import ExcelJS from 'exceljs';
import { checkRows, checkSize, DEFAULT_READ_LIMITS, TableReadError, type ReadLimits, type SourceCell, type SourceTable } from './table.js';
import { excelCellText } from '../../core/excel-cell.js';

/** An Excel workbook (.xlsx): the first sheet with content, merged cells laid out. */
export async function readXlsxTable(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<SourceTable> {
  checkSize(bytes, limits);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new TableReadError('无法读取该 Excel 文件（文件损坏或不是 .xlsx 格式；旧版 .xls 请另存为 .xlsx）');
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) throw new TableReadError('Excel 文件里没有内容');
  checkRows(ws.rowCount, limits);
  if (ws.columnCount > limits.maxColumns) throw new TableReadError(`表格超过 ${limits.maxColumns} 列`);
  const rows: SourceTable['rows'] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: SourceCell[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const cell = row.getCell(c);
      const master = cell.isMerged ? cell.master : cell;
      const text = excelCellText(master.value).replace(/\r\n?/g, '\n').trim();
      if (master === cell || (master.row === cell.row && master.col === cell.col)) cells.push({ text });
      else cells.push({ text, merged: Number(master.row) < r ? 'row' : 'col' });
    }
    if (cells.some((c) => c.text)) rows.push({ row: r, cells });
  }
  return { rows, emptyMeansMerged: false };
}
