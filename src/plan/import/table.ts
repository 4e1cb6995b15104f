/**
 * The one table model every plan reader produces (docx, xlsx, csv, tab-separated text) and the
 * normaliser reads. Readers are pure functions of the file's bytes, so they can run in a worker.
 */
export interface SourceCell {
  text: string;
  /**
   * Set when this grid position is covered by a merged cell that starts above ('row') or to the left
   * ('col'); `text` then repeats the merged cell's text. Text formats have no merges: always unset.
   */
  merged?: 'row' | 'col';
}

export interface SourceRow {
  /** 1-based row number as the user sees it (spreadsheet row, line of a CSV, row of the Word table). */
  row: number;
  cells: SourceCell[];
}

export interface SourceTable {
  /** The title found before the table (first paragraph of a document, single-cell first line of a text). */
  title?: string;
  rows: SourceRow[];
  /** Whether empty cells may mean "same as above" (text formats, where merges cannot be seen). */
  emptyMeansMerged: boolean;
  /** Column roles fixed by the format itself (plan.txt format 1), skipping header recognition. */
  roles?: ColumnRole[];
}

export type ColumnRole = 'no' | 'task' | 'lead' | 'support' | 'units' | 'deadline' | 'part' | 'subsection' | 'other';

/** Bounds every reader respects; a file beyond them is refused with a clear message. */
export interface ReadLimits {
  maxBytes: number;
  maxRows: number;
  maxColumns: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 5000, maxColumns: 40 };

/** A file that cannot be read as a table at all (not a problem of one row). */
export class TableReadError extends Error {}

/**
 * Lay out a grid of cells with row/column spans (HTML rowspan/colspan, Excel merges), repeating the
 * merged cell's text in every position it covers and marking those positions.
 */
export function layOutGrid(rows: Array<{ row: number; cells: Array<{ text: string; rowSpan?: number; colSpan?: number }> }>, limits: ReadLimits): SourceRow[] {
  const grid: SourceCell[][] = rows.map(() => []);
  rows.forEach((r, i) => {
    let col = 0;
    for (const cell of r.cells) {
      while (grid[i][col]) col++;
      const rowSpan = Math.max(1, Math.min(cell.rowSpan ?? 1, rows.length - i));
      const colSpan = Math.max(1, Math.min(cell.colSpan ?? 1, limits.maxColumns));
      for (let dr = 0; dr < rowSpan; dr++) {
        for (let dc = 0; dc < colSpan; dc++) {
          if (col + dc >= limits.maxColumns) throw new TableReadError(`表格超过 ${limits.maxColumns} 列`);
          grid[i + dr][col + dc] = dr === 0 && dc === 0 ? { text: cell.text } : { text: cell.text, merged: dr > 0 ? 'row' : 'col' };
        }
      }
      col += colSpan;
    }
  });
  return rows.map((r, i) => ({ row: r.row, cells: Array.from(grid[i], (c) => c ?? { text: '' }) }));
}

export function checkSize(bytes: Uint8Array, limits: ReadLimits): void {
  if (bytes.length === 0) throw new TableReadError('文件是空的');
  if (bytes.length > limits.maxBytes) throw new TableReadError(`文件太大（${(bytes.length / 1048576).toFixed(1)} MB），上限 ${Math.round(limits.maxBytes / 1048576)} MB`);
}

export function checkRows(count: number, limits: ReadLimits): void {
  if (count > limits.maxRows) throw new TableReadError(`表格超过 ${limits.maxRows} 行`);
}
