/** A small multipart/form-data reader for the import forms (one file and a few text fields, bounded size). */
export interface Multipart {
  fields: Record<string, string>;
  files: Array<{ field: string; filename: string; data: Buffer }>;
}

export function parseMultipart(body: Buffer, contentType: string | undefined): Multipart {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!m) throw new Error('缺少 multipart boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const out: Multipart = { fields: {}, files: [] };
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const next = body.indexOf(boundary, headerEnd);
    if (next < 0) break;
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const data = body.subarray(headerEnd + 4, next - 2); // strip CRLF before the boundary
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) out.files.push({ field: name, filename, data: Buffer.from(data) });
      else out.fields[name] = data.toString('utf8');
    }
    pos = next;
  }
  return out;
}
