/** Flat WeCom XML: parse with entity expansion off, build CDATA replies. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class XmlError extends Error {}

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Keep every value a string: MsgId is a 64-bit integer.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});

/** Parse `<xml>…</xml>` into a flat record of strings. Throws XmlError for anything malformed or with a DTD. */
export function parseFlatXml(text: string): Record<string, string> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlError('不接受 DTD/实体声明');
  if (XMLValidator.validate(text) !== true) throw new XmlError('XML 格式错误');
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    throw new XmlError('XML 格式错误');
  }
  const root = (doc as Record<string, unknown>)?.xml;
  if (!root || typeof root !== 'object') throw new XmlError('缺少 <xml> 根元素');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v).trim();
  }
  return out;
}

function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** `<xml><K><![CDATA[v]]></K>…</xml>`; numbers are written bare. */
export function buildXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === 'number' ? String(v) : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}
