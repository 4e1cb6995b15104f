/**
 * The one CSV reader, for everything an office uploads as text (the dashboard's 督办台账 import and the plan
 * importer): RFC 4180 (quotes, doubled quotes, line breaks inside quotes, CRLF/LF/CR), a BOM, and the encodings
 * Excel writes on Chinese Windows. It stops at the first bound exceeded, so a hostile file costs little.
 */

/** UTF-8 (with or without BOM) or, failing that, GB18030 (what Excel on Chinese Windows saves). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes).replace(/^\uFEFF/, ''), encoding: 'gb18030' };
  }
}

/** A row with text (blank rows are left out), its cells trimmed, numbered by the line it starts on as Excel shows it. */
export interface CsvRow {
  row: number;
  cells: string[];
}

export interface CsvLimits {
  maxRows?: number;
  maxColumns?: number;
  maxCellChars?: number;
}

/** A bound exceeded: which one, and the row it was exceeded on; callers word it for their users. */
export class CsvLimitError extends Error {
  constructor(
    readonly limit: 'rows' | 'columns' | 'cell',
    readonly row: number,
  ) {
    super(`CSV ${limit} limit exceeded at row ${row}`);
  }
}

/** Split CSV text into rows of cells. */
export function parseCsv(text: string, limits: CsvLimits = {}): CsvRow[] {
  const { maxRows = Infinity, maxColumns = Infinity, maxCellChars = Infinity } = limits;
  const src = text.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const push = () => {
    cells.push(cell);
    cell = '';
    if (cells.length > maxColumns) throw new CsvLimitError('columns', rowLine);
  };
  const endRow = () => {
    push();
    if (cells.some((c) => c.trim() !== '')) {
      if (rows.length >= maxRows) throw new CsvLimitError('rows', rowLine);
      rows.push({ row: rowLine, cells: cells.map((c) => c.trim()) });
    }
    cells = [];
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (cell.length > maxCellChars) throw new CsvLimitError('cell', rowLine);
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') (quoted = true), (cell = '');
    else if (ch === ',') push();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
      rowLine = ++line;
    } else cell += ch;
  }
  if (cell.length > maxCellChars) throw new CsvLimitError('cell', rowLine);
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}
