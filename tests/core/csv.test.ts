/** The one CSV reader behind the 台账 import and the plan importer, on what Excel and hand edits produce. */
import { describe, expect, it } from 'vitest';
import { CsvLimitError, decodeText, parseCsv } from '../../src/core/csv.js';

describe('reading CSV as offices save it', () => {
  it('keeps commas, doubled quotes and line breaks inside quotes, and numbers rows by the line they start on', () => {
    const rows = parseCsv('序号,任务\r\n1,"加强培训，提高能力"\r\n\r\n2,"第一行\n第二行"\r\n3,"他说""好"""\r\n');
    expect(rows).toEqual([
      { row: 1, cells: ['序号', '任务'] },
      { row: 2, cells: ['1', '加强培训，提高能力'] },
      { row: 4, cells: ['2', '第一行\n第二行'] },
      { row: 6, cells: ['3', '他说"好"'] },
    ]);
  });

  it('reads old Mac line ends and a last line without one', () => {
    expect(parseCsv('a,b\rc,d').map((r) => r.cells)).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('decodes UTF-8 with a BOM, and GB18030 when the bytes are not UTF-8', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('法院,1')]))).toEqual({ text: '法院,1', encoding: 'utf-8' });
    // 「法院」 in GB18030.
    expect(decodeText(new Uint8Array([0xb7, 0xa8, 0xd4, 0xba]))).toEqual({ text: '法院', encoding: 'gb18030' });
  });

  it('stops at the first bound exceeded and says which, on which row', () => {
    const many = Array.from({ length: 10 }, (_, i) => `${i},x`).join('\n');
    expect(() => parseCsv(many, { maxRows: 5 })).toThrow(expect.objectContaining({ limit: 'rows', row: 6 }));
    expect(() => parseCsv('a,b\nc,d,e', { maxColumns: 2 })).toThrow(expect.objectContaining({ limit: 'columns', row: 2 }));
    expect(() => parseCsv(`"${'字'.repeat(50)}"`, { maxCellChars: 10 })).toThrow(CsvLimitError);
  });
});
