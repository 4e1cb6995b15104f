import { parseChineseNumber } from '../core/chinese-numerals.js';
import { nfkc } from './normalize.js';

const NUM = '([0-9]{1,9}|[零〇一二两三四五六七八九十百千]{1,6})';

/** Financial (大写) numerals as written on cheques and in formal documents: 叁拾伍 → 三十五. */
const FINANCIAL: Record<string, string> = { 壹: '一', 贰: '二', 貳: '二', 叁: '三', 肆: '四', 伍: '五', 陆: '六', 陸: '六', 柒: '七', 捌: '八', 玖: '九', 拾: '十', 佰: '百', 仟: '千' };
const FINANCIAL_RE = new RegExp(`[${Object.keys(FINANCIAL).join('')}]`, 'g');

/** Twenty, thirty and forty in one character (廿四 → 二十四), as dates and old texts write them. */
const TENS: Record<string, string> = { 廿: '二十', 卅: '三十', 卌: '四十' };

/**
 * The text with width folded (NFKC: ⑤ → 5, Ｎｏ → No), financial numerals and 廿 / 卅 made ordinary, and 弟 before a
 * numeral read as 第 (the same syllable, a common slip of pinyin input: 弟九项).
 */
function plainNumerals(text: string): string {
  return nfkc(text)
    .replace(FINANCIAL_RE, (c) => FINANCIAL[c])
    .replace(/[廿卅卌]/g, (c) => TENS[c])
    .replace(/弟(?=\s*[0-9零〇一二两三四五六七八九十百千])/g, '第');
}

export function toNumber(s: string): number | undefined {
  return /^[0-9]+$/.test(s) ? Number(s) : parseChineseNumber(s);
}

/** A message that opens with a number (第46项, 四十条, 六十那条, 28, no.59) — the rest is checked against DETAIL_WORDS. */
const NUMBER_ALONE = new RegExp(`^(?:(?:第|no\\.?|#|task|item)\\s*)?${NUM}\\s*(?:项|条|号|[那这]一?[项条个])?(.*)$`, 'is');
/** Words of asking for an item's content, who does it, or to be sent it: nothing else is asked when only these remain. */
const DETAIL_WORDS =
  /任务|项目|事项|条目|工作|内容|意思|含义|具体|详细|详情|全文|原文|原话|讲的|说的|写的|讲了|说了|写了|讲|说|写|要求|是什么|是啥|什么|啥|是谁|谁|来着|负责|牵头|部门|单位|哪个|哪些|是|的|呢|吗|呀|啊|了|一下|下|看看|看|发我|发|给我|给|我|请|麻烦|帮|pls|please|what'?s|what is|that|this|detail(?:s)?|about|[?？。.!！,，、:：~\s]/gi;

const TASK_PATTERNS: RegExp[] = [
  // 第46项 / 第四十八条 / 第46个任务 / 第 46 号
  // (第六个 only before a task word or nothing else: 第六个行动计划 names something else)
  new RegExp(`第\\s*${NUM}\\s*(?:项|条|号|个任务|个事项|个(?=\\s*(?:项目|条目|事|是|写|说|讲|的|呢|吗|啥|什么|[?？。!！,，]|$)))`),
  // 任务48 / 序号48 / 编号 48 / #48 / no.48 (not 任务一共, 任务一起: 一 opening a word)
  new RegExp(`(?:任务|序号|编号|事项|#|\\bno\\.?|task|item)\\s*(?:第\\s*)?${NUM}(?![0-9]*\\s*(?:部分|小节|节|年|月|日|天|个部门)|(?<=一)[共直起般定下览些样切律并同体致旦再向])`, 'i'),
  // 48号任务 / 48项任务 / 48项是什么 (号 only before asking words: 3号会议室, 5号楼 name something else; 这30条 counts)
  /(?<![0-9.\-−这那共全总])([0-9]{1,9})\s*(?:项|条(?!目)|号(?=\s*(?:任务|事项|条目|是|写|说|讲|的(?:内容|任务|要求|事)|什么|啥|呢|吗|[?？。!！,，]|$)))/,
  // 三十五号任务 / 叁拾伍项任务 (a Chinese numeral only before 任务/事项: 一号文件 is not a task)
  /(?<![零〇一二两三四五六七八九十百])([零〇一二两三四五六七八九十百]{1,6})\s*(?:号|项|条)\s*(?:任务|事项)/,
  // the 43rd task / 5th item: an English ordinal before an item word
  /\b([0-9]{1,9})(?:st|nd|rd|th)\s*(?:task|item|one|entry|point)/i,
  // 主要任务里6是啥: bare digits asked about, after where they are (not 10个部门, 2015年: no counter after them)
  /(?:里|中|里面|里头|下面)的?\s*([0-9]{1,3})\s*(?=是(?:啥|什么|哪|谁)|写的|讲的|说的|[?？]|$)/,
  // 第46 是什么 (第 + digits without a unit, not a section)
  /第\s*([0-9]{1,9})(?!\s*(?:部分|小节|节|章|年|月|日|天|个部门|[0-9.]))/,
];

const ANY_NUMERAL = /[0-9零〇一二两三四五六七八九十百千]/;

/** A task number the text asks about: 46, 第四十八项, 任务48, #48, "48". Undefined when there is none. */
export function parseTaskNumber(text: string): number | undefined {
  const plain = plainNumerals(text);
  // every pattern below reads a numeral: most questions have none to read
  if (!ANY_NUMERAL.test(plain)) return undefined;
  // "看下12", "查一下第三十项": a leading look-up verb says nothing about the number
  const t = plain.trim().replace(/^(?:请|麻烦)?(?:帮我|给我)?(?:看下|看一下|看看|查下|查一下|查查|打开|显示|说说|讲讲|念一下)\s*/, '');
  for (const re of TASK_PATTERNS) {
    const m = re.exec(t);
    if (m) {
      const n = toNumber(m[1]);
      if (n !== undefined) return n;
    }
  }
  // The whole message is a number and a request for its content: "46" / "46?" / "28 是啥任务" / "三十三条具体内容？" /
  // "四十号写的什么" / "No.59 what's that" — nothing else is asked (一号文件, 三项制度 ask about something else).
  const alone = NUMBER_ALONE.exec(t);
  if (alone && alone[2].replace(DETAIL_WORDS, '') === '') {
    const n = toNumber(alone[1]);
    if (n !== undefined) return n;
  }
  return undefined;
}

export interface SectionRef {
  kind: 'section' | 'subsection';
  /** A part's number; a subsection's number as printed ((三) → 3), or its place in the whole plan once resolved;
   *  negative: counted from the end (最后一部分 → -1, 倒数第二节 → -2). */
  index: number;
  /** The part a subsection was named in ("第二部分第一小节", "二之(三)"): its number counts within that part. */
  part?: number;
}

/** A subsection after its part: 第一小节, 第1节, (三), 三小节. */
const SUB_IN_PART = `(?:第\\s*${NUM}\\s*个?\\s*(?:小节|小项|节|小部分)|[(（]\\s*${NUM}\\s*[)）]|${NUM}\\s*个?\\s*(?:小节|小项))`;
const PART_AND_SUBSECTION: RegExp[] = [
  // 第二部分第一小节 / 第三部分的(二) / 第五大项第二小项 / 第四部分里第4节
  new RegExp(`(?:^|第)\\s*${NUM}\\s*个?\\s*(?:大?部分|章|大项|大块|板块)\\s*(?:的|里面?的?|中的?|下面?的?|之)?\\s*${SUB_IN_PART}`),
  // 二之(三) / 二(三) / 2(3)
  new RegExp(`^${NUM}\\s*(?:之|、)?\\s*[(（]\\s*${NUM}\\s*[)）]`),
];
const SUBSECTION_PATTERNS: RegExp[] = [
  /[(（]\s*([一二三四五六七八九十]{1,3}|[0-9]{1,2})\s*[)）]/,
  new RegExp(`(?:^|第)\\s*${NUM}\\s*(?:小节|小项|节)`),
];
const FROM_END = new RegExp(`(?:最后|倒数第\\s*${NUM})\\s*[那这]?一?个?\\s*(大?部分|章|大项|大块|板块|小节|节|小项)`);
const SECTION_PATTERNS: RegExp[] = [new RegExp(`(?:^|第)\\s*${NUM}\\s*个?\\s*(?:大?部分|章|大项|大块|板块)`), /^([一二三四五六七八九十]{1,2})[、.]/];

/**
 * "(十七)", "第十七小节" → subsection 17; "第二部分第一小节", "二之(三)" → subsection 1 (3) of part 2;
 * "第六部分", "六、" → section 6. Which subsection of the plan that is depends on its numbering: see the engine.
 */
export function parseSectionRef(text: string): SectionRef | undefined {
  const t = plainNumerals(text);
  // 最后一部分 / 最后一节 / 倒数第二部分: counted from the end (index -1 is the last; the engine knows how many there are)
  const fromEnd = FROM_END.exec(t);
  if (fromEnd) {
    const n = fromEnd[1] ? toNumber(fromEnd[1]) : 1;
    if (n) return { kind: /小|^节$/.test(fromEnd[2]) ? 'subsection' : 'section', index: -n };
  }
  for (const re of PART_AND_SUBSECTION) {
    const m = re.exec(t);
    if (!m) continue;
    const part = toNumber(m[1]);
    const sub = toNumber(m.slice(2).find((g) => g !== undefined) ?? '');
    if (part && sub) return { kind: 'subsection', index: sub, part };
  }
  for (const re of SUBSECTION_PATTERNS) {
    const m = re.exec(t);
    const n = m ? toNumber(m[1]) : undefined;
    if (n) return { kind: 'subsection', index: n };
  }
  for (const re of SECTION_PATTERNS) {
    const m = re.exec(t);
    const n = m ? toNumber(m[1]) : undefined;
    if (n) return { kind: 'section', index: n };
  }
  return undefined;
}
