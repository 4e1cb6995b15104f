import mammoth from 'mammoth';
import { readHeading, titleFrom } from './headings.js';
import { readHtmlBlocks, type HtmlCell } from './html-table.js';
import { checkRows, checkSize, DEFAULT_READ_LIMITS, layOutGrid, TableReadError, type ReadLimits, type SourceTable } from './table.js';

/**
 * A Word document (.docx): its table — or its tables, when the document prints one per part with the
 * part's heading as a paragraph between them — with merged cells laid out, and the title before it.
 */
export async function readDocxTable(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<SourceTable> {
  checkSize(bytes, limits);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
  } catch {
    throw new TableReadError('无法读取该 Word 文件（文件损坏或不是 .docx 格式；旧版 .doc 请另存为 .docx）');
  }
  return tableFromHtml(html, limits);
}

/** The part of readDocxTable after mammoth: HTML → table model (pure). */
export function tableFromHtml(html: string, limits: ReadLimits = DEFAULT_READ_LIMITS): SourceTable {
  const blocks = readHtmlBlocks(html);
  const firstTable = blocks.findIndex((b) => b.kind === 'table');
  if (firstTable < 0) throw new TableReadError('Word 文件里没有表格（任务分工应是一张表）');
  const before = blocks.slice(0, firstTable).flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
  // Tables in order; a heading paragraph between two tables becomes a heading row of the joined table.
  const rows: HtmlCell[][] = [];
  let pending: string[] = [];
  for (const b of blocks.slice(firstTable)) {
    if (b.kind === 'paragraph') {
      if (readHeading(b.text)) pending.push(b.text);
      continue;
    }
    for (const text of pending) rows.push([{ text, rowSpan: 1, colSpan: 1 }]);
    pending = [];
    rows.push(...b.rows);
    checkRows(rows.length, limits);
  }
  const grid = layOutGrid(rows.map((cells, i) => ({ row: i + 1, cells })), limits);
  return { title: titleFrom(before), rows: grid.filter((r) => r.cells.some((c) => c.text)), emptyMeansMerged: false };
}
