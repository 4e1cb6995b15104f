import { parseChineseNumber } from '../../core/chinese-numerals.js';

/** 「一、总体要求」「第一部分 总体要求」 */
const PART_RE = /^(?:第([一二三四五六七八九十百]+)部分[、，,.．：:\s]*|([一二三四五六七八九十百]+)\s*[、，,.．])\s*(.*)$/s;
/** 「（一）指导思想」「(一) 指导思想」 */
const SUBSECTION_RE = /^[（(]\s*([一二三四五六七八九十百]+)\s*[）)]\s*(.*)$/s;

export interface Heading {
  kind: 'part' | 'subsection';
  /** The ordinal as printed (一, 十一). */
  no: string;
  index: number;
  title: string;
}

export function readHeading(text: string): Heading | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  const part = PART_RE.exec(t);
  if (part) {
    const no = part[1] ?? part[2];
    const index = parseChineseNumber(no);
    if (index) return { kind: 'part', no, index, title: part[3].trim() };
  }
  const sub = SUBSECTION_RE.exec(t);
  if (sub) {
    const index = parseChineseNumber(sub[1]);
    if (index) return { kind: 'subsection', no: sub[1], index, title: sub[2].trim() };
  }
  return undefined;
}

const ATTACHMENT_RE = /^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$/;
const TITLE_END_RE = /(方案|意见|清单|分工表?|措施|计划|任务|安排|台账|要点|通知|办法|细则)$/;

/**
 * The plan's title from the paragraphs before its table: the first one that is not an 附件 label,
 * joined with the next when the title is printed over two lines (关于……的 / 重点任务分工方案).
 */
export function titleFrom(paragraphs: string[]): string | undefined {
  const lines = paragraphs.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p && !ATTACHMENT_RE.test(p));
  const first = lines[0];
  if (!first) return undefined;
  const second = lines[1];
  if (!TITLE_END_RE.test(first) && second && second.length <= 40 && TITLE_END_RE.test(second) && !/[。；]/.test(first)) return first + second;
  return first;
}
