/**
 * Looking inside an .xlsx before anything inflates it for real: a few hundred kilobytes of zip can unpack
 * into gigabytes of XML (a decompression bomb). The central directory says what every entry claims to hold;
 * each entry is then inflated with its claimed size as a hard cap, so a lying header cannot get past either.
 */
import { inflateRawSync } from 'node:zlib';
import { ImportError, count, megabytes, tooManyColumns, tooManyRows, type ImportLimits } from './import-limits.js';

/** A real workbook has a few dozen parts; thousands of entries mean a crafted file. */
export const MAX_ZIP_ENTRIES = 1_000;
/** XML of real spreadsheets compresses 5–30 times; far more means one repeated pattern (only checked past 1 MB). */
export const MAX_COMPRESSION_RATIO = 100;
const RATIO_FLOOR_BYTES = 1024 * 1024;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const unreadable = () => new ImportError(0, '', '无法读取该 Excel 文件（文件损坏或不是 .xlsx 格式）');
const tooLarge = (limits: ImportLimits) => new ImportError(0, '', `表格过大：解压后超过 ${megabytes(limits.maxUnpackedBytes)} 的上限`);

function centralDirectory(zip: Buffer): Entry[] {
  // The end-of-central-directory record is in the last 22 bytes plus a comment of up to 64 KB.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw unreadable();
  const total = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (total > MAX_ZIP_ENTRIES) throw new ImportError(0, '', `文件异常：压缩包内超过 ${count(MAX_ZIP_ENTRIES)} 个文件的上限`);
  const entries: Entry[] = [];
  let p = offset;
  for (let i = 0; i < total; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw unreadable();
    const nameLength = zip.readUInt16LE(p + 28);
    entries.push({
      method: zip.readUInt16LE(p + 10),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

function inflateEntry(zip: Buffer, e: Entry, limits: ImportLimits): Buffer {
  const p = e.localOffset;
  if (p + 30 > zip.length || zip.readUInt32LE(p) !== 0x04034b50) throw unreadable();
  const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  if (e.method !== 8) throw unreadable();
  try {
    // The claimed size is the cap: a header that understates its entry fails here, not in exceljs.
    return inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits);
    throw unreadable();
  }
}

/** Rows holding at least one non-empty cell, and the widest such row, of one worksheet's XML. */
export function sheetExtent(xml: string): { rows: number; columns: number } {
  let rows = 0;
  let columns = 0;
  let col = 0;
  let rowHasContent = false;
  const tags = /<row\b|<\/row>|<c\b([^>]*)>/g;
  for (let m = tags.exec(xml); m; m = tags.exec(xml)) {
    if (m[0] === '<row') {
      col = 0;
      rowHasContent = false;
    } else if (m[0] === '</row>') {
      if (rowHasContent) rows++;
    } else {
      const ref = /\br="([A-Z]{1,3})\d*"/.exec(m[1]);
      col = ref ? [...ref[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) : col + 1;
      // <c r="B2" s="1"/> is a formatted empty cell: it counts for neither rows nor columns.
      if (!m[1].endsWith('/')) {
        rowHasContent = true;
        columns = Math.max(columns, col);
      }
    }
  }
  return { rows, columns };
}

/** Refuse an .xlsx that would unpack or parse past the limits, naming the limit; cheap for files within them. */
export function inspectXlsx(zip: Buffer, limits: ImportLimits): void {
  const entries = centralDirectory(zip);
  let declared = 0;
  for (const e of entries) {
    declared += e.size;
    if (declared > limits.maxUnpackedBytes) throw tooLarge(limits);
    if (e.size > RATIO_FLOOR_BYTES && e.size > e.compressedSize * MAX_COMPRESSION_RATIO) {
      throw new ImportError(0, '', `文件异常：压缩比超过 ${MAX_COMPRESSION_RATIO} 倍的上限（疑似压缩炸弹）`);
    }
  }
  for (const e of entries) {
    const data = inflateEntry(zip, e, limits);
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(e.name)) continue;
    const extent = sheetExtent(data.toString('utf8'));
    if (extent.rows > limits.maxRows) throw tooManyRows(limits);
    if (extent.columns > limits.maxColumns) throw tooManyColumns(limits);
  }
}
