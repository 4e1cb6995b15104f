/** Read a .docx back for assertions: its paragraphs (outside tables), tables as rows of cell texts, and page setup. */
import JSZip from 'jszip';

export interface DocxContent {
  paragraphs: string[];
  tables: string[][][];
  /** w:pgSz and w:pgMar in twips. */
  page: { width: number; height: number; top: number; bottom: number; left: number; right: number };
  /** Every font named in the runs (w:rFonts eastAsia). */
  fonts: Set<string>;
  xml: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function textOf(xml: string): string {
  let out = '';
  for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)) out += m[1] === undefined ? '\t' : unescape(m[1]);
  return out;
}

export async function readDocx(bytes: Buffer | Uint8Array): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  const tables: string[][][] = [];
  const outside = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (tbl) => {
    tables.push([...tbl.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((tr) => [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((tc) => textOf(tc[0]))));
    return '';
  });
  const paragraphs = [...outside.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => textOf(p[0])).filter((t) => t.length > 0);
  const attr = (tag: string, name: string) => Number(new RegExp(`<w:${tag}[^>]*w:${name}="(\\d+)"`).exec(xml)?.[1]);
  const fonts = new Set([...xml.matchAll(/w:eastAsia="([^"]+)"/g)].map((m) => m[1]));
  return {
    paragraphs,
    tables,
    page: { width: attr('pgSz', 'w'), height: attr('pgSz', 'h'), top: attr('pgMar', 'top'), bottom: attr('pgMar', 'bottom'), left: attr('pgMar', 'left'), right: attr('pgMar', 'right') },
    fonts,
    xml,
  };
}
