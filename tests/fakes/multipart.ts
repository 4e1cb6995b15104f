/** A strict multipart/form-data parser for the fakes (what WeCom's and Telegram's servers accept). */

export interface FormPart {
  name: string;
  filename?: string;
  /** Other Content-Disposition parameters, e.g. WeCom's filelength. */
  params: Record<string, string>;
  contentType?: string;
  data: Buffer;
}

/** The boundary of a multipart content type, or undefined when it is not multipart/form-data. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Split a body into parts; throws on a malformed body (missing closing boundary, part without headers). */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('no boundary in body');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new Error('boundary not followed by CRLF');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('part without headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw new Error('missing closing boundary');
    const data = body.subarray(headerEnd + 4, next);
    const part: FormPart = { name: '', params: {}, data: Buffer.from(data) };
    for (const h of headers) {
      const i = h.indexOf(':');
      const key = h.slice(0, i).trim().toLowerCase();
      const value = h.slice(i + 1).trim();
      if (key === 'content-type') part.contentType = value;
      if (key !== 'content-disposition') continue;
      for (const p of value.split(';').slice(1)) {
        const m = /^\s*([\w*-]+)\s*=\s*(?:"([^"]*)"|(\S*))\s*$/.exec(p);
        if (!m) continue;
        const v = m[2] ?? m[3];
        if (m[1] === 'name') part.name = v;
        else if (m[1] === 'filename') part.filename = v;
        else part.params[m[1]] = v;
      }
    }
    if (!part.name) throw new Error('part without a name');
    parts.push(part);
    pos = next + 2;
  }
}
