/**
 * A small reader for the HTML mammoth makes of a Word document: the paragraphs and the tables in
 * document order, each table cell with its rowspan/colspan (merged cells) and its paragraphs as lines.
 * Only the tags mammoth writes matter; anything else is read as text.
 */
export interface HtmlCell {
  text: string;
  rowSpan: number;
  colSpan: number;
}

export type HtmlBlock = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: HtmlCell[][] };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function spanOf(attrs: string, name: string): number {
  const m = new RegExp(`${name}\\s*=\\s*"?(\\d+)`, 'i').exec(attrs);
  return m ? Math.max(1, Number(m[1])) : 1;
}

const BLOCK_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li']);

/** Paragraphs and tables at the top level of the document; a table nested in a cell becomes text of that cell. */
export function readHtmlBlocks(html: string): HtmlBlock[] {
  const blocks: HtmlBlock[] = [];
  // Nesting: each open table holds its rows; the innermost open cell collects text.
  const tables: Array<{ rows: HtmlCell[][]; cell?: { parts: string[]; rowSpan: number; colSpan: number } }> = [];
  let paragraph: string[] | undefined;
  const append = (s: string) => {
    const t = tables.at(-1);
    if (t?.cell) t.cell.parts.push(s);
    else if (t) return; // text between rows: ignored
    else (paragraph ??= []).push(s);
  };
  const tokens = /<(\/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)/g;
  for (let m = tokens.exec(html); m; m = tokens.exec(html)) {
    if (m[4] !== undefined) {
      append(decodeEntities(m[4]));
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    const table = tables.at(-1);
    if (tag === 'table' && !closing) {
      if (paragraph && !table) flushParagraph();
      tables.push({ rows: [] });
    } else if (tag === 'table' && closing && table) {
      tables.pop();
      const outer = tables.at(-1);
      if (outer?.cell) outer.cell.parts.push('\n' + table.rows.map((r) => r.map((c) => c.text).join(' ')).join('\n') + '\n');
      else if (!outer) blocks.push({ kind: 'table', rows: table.rows });
    } else if (tag === 'tr' && !closing && table) table.rows.push([]);
    else if ((tag === 'td' || tag === 'th') && table) {
      if (!closing) {
        if (table.rows.length === 0) table.rows.push([]);
        table.cell = { parts: [], rowSpan: spanOf(m[3], 'rowspan'), colSpan: spanOf(m[3], 'colspan') };
      } else if (table.cell) {
        const text = table.cell.parts.join('').split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
        table.rows.at(-1)!.push({ text, rowSpan: table.cell.rowSpan, colSpan: table.cell.colSpan });
        table.cell = undefined;
      }
    } else if (tag === 'br') append('\n');
    else if (BLOCK_TAGS.has(tag)) {
      if (table?.cell) table.cell.parts.push('\n');
      else if (!table && closing) flushParagraph();
    }
  }
  flushParagraph();
  return blocks;

  function flushParagraph(): void {
    const text = (paragraph ?? []).join('').replace(/\s*\n\s*/g, ' ').trim();
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = undefined;
  }
}
