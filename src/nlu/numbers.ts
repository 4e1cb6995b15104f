import { parseChineseNumber } from '../core/chinese-numerals.js';
import { nfkc } from './normalize.js';
import { cut } from './tokenize.js';

/** A number in digits or Chinese numerals (without a capture group). */
export const NUMERAL = '[0-9]{1,15}|[零〇一二两三四五六七八九十百千]{1,6}';
const NUM = `(${NUMERAL})`;
/** What a plan calls its items, after a counter or before a number (二十四号措施, 措施二). */
const ITEM = '(?:任务|事项|措施|举措|项目)';

/** Financial (大写) numerals as written on cheques and in formal documents: 叁拾伍 → 三十五. */
const FINANCIAL: Record<string, string> = { 壹: '一', 贰: '二', 貳: '二', 叁: '三', 肆: '四', 伍: '五', 陆: '六', 陸: '六', 柒: '七', 捌: '八', 玖: '九', 拾: '十', 佰: '百', 仟: '千' };
const FINANCIAL_RE = new RegExp(`[${Object.keys(FINANCIAL).join('')}]`, 'g');

/** Twenty, thirty and forty in one character (廿四 → 二十四), as dates and old texts write them. */
const TENS: Record<string, string> = { 廿: '二十', 卅: '三十', 卌: '四十' };

/**
 * The text with width folded (NFKC: ⑤ → 5, Ｎｏ → No), financial numerals and 廿 / 卅 made ordinary, 弟 / 帝 / 地 before
 * a numeral and its counter read as 第 (the same syllable, a common slip of pinyin input: 弟九项, 地二十八条), and 4十1 read
 * as 四十一.
 */
function plainNumerals(text: string): string {
  // one question is read for a task number, a part and loosely said numbers, each from the same text
  if (text === lastPlain.text) return lastPlain.plain;
  const plain = readPlainNumerals(text);
  lastPlain = { text, plain };
  return plain;
}

let lastPlain = { text: '', plain: '' };

const PINYIN_COUNTER: Record<string, string> = { tiao: '条', xiang: '项', hao: '号' };

function readPlainNumerals(text: string): string {
  return nfkc(text)
    .replace(FINANCIAL_RE, (c) => FINANCIAL[c])
    .replace(/[廿卅卌]/g, (c) => TENS[c])
    // 幺 for 一 among numerals, as digits are read out (幺八 is 18)
    .replace(/幺(?=[零〇一二三四五六七八九十])|(?<=[零〇一二三四五六七八九十])幺/g, '一')
    .replace(/弟(?=\s*[0-9零〇一二两三四五六七八九十百千])/g, '第')
    // (帝, 地 only before a counter: 土地7亩, 各地3年 say something else)
    .replace(/[帝地](?=\s*[0-9零〇一二两三四五六七八九十百千]+\s*(?:项|条|号|个|部分|小节|节|块)(?!\s*[都也]))/g, '第')
    // numerals typed as sound-alikes between 第 and a counter (第四十期项 for 第四十七项)
    .replace(/第([零〇一二两三四五六七八九十百期其起久酒旧似思寺舞午吴无伍武流留溜巴把扒尔儿散山是时石实依衣]{2,6})(?=\s*[项条号个点款])/g, (m, run: string) =>
      /[零〇一二两三四五六七八九十百]/.test(run) ? '第' + [...run].map((c) => NUMERAL_SOUNDS[c] ?? c).join('') : m,
    )
    // digits typed apart (第 2 6 条)
    .replace(/第\s*([0-9])\s+([0-9])(?=\s*[项条号个点款])/g, '第$1$2')
    // letters and signs that look like digits or 十 in handwriting input, between 第 and a counter (第2O项, 第l5项, 三+九条)
    .replace(/(第\s*)([0-9olizsb]{2,3})(?=\s*[项条号个点款])/gi, (m, at: string, run: string) =>
      /[0-9]/.test(run) ? at + [...run.toLowerCase()].map((c) => LOOKS_LIKE_DIGIT[c] ?? c).join('') : m,
    )
    .replace(/([一二三四五六七八九])[+＋]([一二三四五六七八九]?)(?=\s*[项条号个点款])/g, '$1十$2')
    // pinyin typed without choosing the characters (di 40 tiao): 第40条
    .replace(/\bdi\s*([0-9]{1,3})\s*(tiao|xiang|hao)\b/gi, (m, n: string, counter: string) => `第${n}${PINYIN_COUNTER[counter.toLowerCase()]}`)
    // the 55th (是啥): 第55
    .replace(/\bthe\s+([0-9]{1,3})(?:st|nd|rd|th)\b/gi, '第$1')
    // subsection 18, 第十九小姐 (小姐 for 小节): 第18小节
    .replace(/\bsub-?section\s*([0-9]{1,3})\b/gi, '第$1小节')
    .replace(/(第\s*(?:[0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*个?\s*)小姐/g, '$1小节')
    // 第十小结, 第十二姐 (结, 姐, 届 for 节)
    .replace(/(第\s*(?:[0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*个?\s*)小结/g, '$1小节')
    .replace(/(第\s*(?:[0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*个?\s*)(?:姐|届)/g, '$1节')
    // 第五不分 (不分, 布分 for 部分)
    .replace(/(第\s*(?:[0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*个?\s*)(?:不分|布分|步分)/g, '$1部分')
    // 头一个小节, 排第4的那个小标题: 第一个小节, 第4个小标题
    .replace(/(?:头|首)一?个(?=\s*(?:小节|小标题))/g, '第一个')
    .replace(/(第\s*(?:[0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5}))\s*的?那?个(?=\s*(?:小节|小标题))/g, '$1个')
    // digits typed inside a Chinese numeral (4十1 for 四十一)
    .replace(/[0-9](?=[十百])|(?<=[十百])[0-9]/g, (d) => DIGIT_HAN[Number(d)]);
}

const DIGIT_HAN = '〇一二三四五六七八九';
/** Letters handwriting input gives for a digit of the same look (as questions are lower-cased: b is 6). */
const LOOKS_LIKE_DIGIT: Record<string, string> = { o: '0', l: '1', i: '1', z: '2', s: '5', b: '6' };
/** Characters pinyin input gives for a numeral of the same sound. */
const NUMERAL_SOUNDS: Record<string, string> = {
  ...{ 期: '七', 其: '七', 起: '七', 久: '九', 酒: '九', 旧: '九', 似: '四', 思: '四', 寺: '四', 舞: '五', 午: '五', 吴: '五', 无: '五', 伍: '五', 武: '五' },
  ...{ 流: '六', 留: '六', 溜: '六', 巴: '八', 把: '八', 扒: '八', 尔: '二', 儿: '二', 散: '三', 山: '三', 是: '十', 时: '十', 石: '十', 实: '十', 依: '一', 衣: '一' },
};

export function toNumber(s: string): number | undefined {
  return /^[0-9]+$/.test(s) ? Number(s) : parseChineseNumber(s);
}

/** A message that opens with a number (第46项, 四十条, 六十那条, 28, no.59) — the rest is checked against DETAIL_WORDS. */
const NUMBER_ALONE = new RegExp(`^(?:(?:第|no\\.?|#|task|item)\\s*)?${NUM}(?!\\s*、)\\s*(?:项|条|号|[那这]一?[项条个])?(.*)$`, 'is');
/** Words of asking for an item's content, who does it, or to be sent it: nothing else is asked when only these remain. */
const DETAIL_WORDS =
  /[那这该]一?[条项个]|任务|项目|事项|条目|措施|举措|条款|工作|内容|主要|活儿?|哪方面|方面|配合|参与|係|乜嘢|乜|咩|嘞|咧|喔|噢|呗|意思|含义|具体|详细|详情|全文|原文|原话|讲的|说的|写的|讲了|说了|写了|讲|说|写|要求|是什么|是啥|什么|啥|咋|怎么|是谁|谁|来着|刚才|刚刚|念一下|念念|念|读一下|读|调出来|调一下|展开|责任|列出来|列一下|列下|帮忙|把|情况|对比|简单|请问|问一下|问下|查一下|查下|查|再|负责|牵头|管|部门|单位|哪[一二两三四五六七八九十几0-9]?[个条项些]|关于|干嘛|干|做|方案里|文件里|方案|里面|那|也|还|是|的|呢|吗|呀|啊|哈|嘛|啦|哦|了|一下|下|看看|看|发我|发|给我|给|我|请|麻烦|帮|谢谢|谢了|多谢|pls|please|thanks|thx|what'?s|what is|that|this|detail(?:s)?|about|要|有|[?？。.!！,，、:：~\s]/gi;

const TASK_PATTERNS: RegExp[] = [
  // 第46项 / 第四十八条 / 第46个任务 / 第十一个措施 / 第 46 号
  // (第六个 only before a task word or nothing else: 第六个行动计划 names something else)
  new RegExp(`(?<!(?:部[分份]|章|篇|大项|块)(?:的|里面?的?|中的?|下面?的?)?)第\\s*${NUM}\\s*(?:项|条|号|款|个?${ITEM}|个\\p{Script=Han}{1,2}${ITEM}|个(?=\\s*(?:项目|条目|事|是|写|说|讲|的|呢|吗|啥|什么|[?？。!！,，]|$)))`, 'u'),
  // 任务48 / 序号48 / 编号 48 / 措施二 / #48 / no.48 / measure 24 (not 任务一共, 任务一起: 一 opening a word; not 任务一条不落,
  // 一项都别漏: not a single one)
  new RegExp(`(?:${ITEM}|序号|编号|#|\\bno\\.?|task|item|measure)\\s*(?:第\\s*)?${NUM}(?![0-9]*\\s*(?:个?\\s*(?:大?部[分份]|小节|节|小标题|章|大?块|板块|大项)|年|月|日|天|个部门)|(?<=一)[共直起般定下览些样切律并同体致旦再向]|(?<=一)\\s*[条项个]\\s*(?:都|也)?\\s*[不没别])`, 'i'),
  // 48号任务 / 48项任务 / 48项是什么 (号 only before asking words: 3号会议室, 5号楼 name something else; 这30条 counts)
  /(?<![0-9.\-−这那共全总])([0-9]{1,15})\s*(?:项|条(?!目)|号(?=\s*(?:任务|事项|条目|项目|措施|是|係|写|说|讲|的(?:内容|任务|要求|事)|什么|啥|呢|吗|[?？。!！,，]|$)))/,
  // 三十五号任务 / 叁拾伍项任务 / 二十四号措施 (a Chinese numeral only before an item word: 一号文件 is not a task)
  new RegExp(`(?<![零〇一二两三四五六七八九十百最后前头这那每哪])([零〇一二两三四五六七八九十百]{1,6})\\s*(?:号|项|条)\\s*${ITEM}`),
  // the 43rd task / 5th item / the 12th measure: an English ordinal before an item word
  /\b([0-9]{1,15})(?:st|nd|rd|th)\s*(?:task|item|measure|one|entry|point)/i,
  // 主要任务里6是啥: bare digits asked about, after where they are (not 10个部门, 2015年: no counter after them)
  /(?:里|中|里面|里头|下面)的?\s*([0-9]{1,3})\s*(?=是(?:啥|什么|哪|谁)|写的|讲的|说的|[?？]|$)/,
  // 第46 是什么 (第 + digits without a unit, not a section)
  /第\s*([0-9]{1,15})(?!\s*个?\s*(?:大?部[分份]|小节|节|小标题|章|大?块|板块|大项|年|月|日|天|个部门|[0-9.]))/,
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

/** One task number of a list said at once (第46项, 四十七, 48号), and what joins two of them. */
/** What says a number is an item's, before it: 第 (or 地, 帝 by voice input), 任务, 序号, task N. */
const ITEM_MARK = '第|地|帝|任务|序号|编号|#|task|item|no\\.?';
const LISTED_NUMBER = new RegExp(`(?:${ITEM_MARK})?\\s*${NUM}\\s*(?:项|条|号)?`, 'gu');
/** What joins two numbers of a list: a mark or a word or both (，以及), or nothing between numbers each said as an item (第6条第7条). */
const LIST_JOIN = /^\s*(?:任务|事项)?\s*(?:[、,，]|[、,，]?\s*(?:[和及与跟]|以及|还有))\s*$/u;
/** Said as an item: marked before it (第46) or after it (46项, 46条). */
const MARKED_BEFORE = new RegExp(`^(?:${ITEM_MARK})`, 'u');
const MARKED = new RegExp(`^(?:${ITEM_MARK})|[项条]$`, 'u');
/** Other things counted beside a list of items: then its numbers may be theirs (2022年10月和11月, 第三部分和第四部分). */
const OTHER_COUNTED = /[0-9零〇一二两三四五六七八九十百几]\s*(?:个\s*)?(?:部[分份]|小?节|章|年|月|日|天|岁|元|人|次|号)/u;
/** The numbers pointed back at as so many items (这两条, 这几项; 这三调 by voice input). */
const COUNTED_BACK = /[这那][两三四五六七八九十几]\s*[条项调跳]/u;
const RANGE_JOIN = /^\s*(?:到|至|[-~－～—])\s*$/u;
/** A range said at once is read up to this many tasks (46到48项, not 1到61). */
const MAX_RANGE = 10;

/**
 * Several task numbers asked about at once, nothing else asked (46、47是什么, 第46项和第47项分别是谁负责, 46到48项):
 * the numbers in order, a range spelt out; undefined for one number or for anything else in the message.
 */
export function listedTaskNumbers(text: string): number[] | undefined {
  const plain = plainNumerals(text).trim();
  if (!ANY_NUMERAL.test(plain)) return undefined;
  // (a Chinese numeral of one character without 第 is a word or a count: 一下, 两项)
  const spaced = withCountApart(plain);
  const found = [...spaced.matchAll(LISTED_NUMBER)].filter((m) => /^[0-9]/.test(m[1]) || (WELL_FORMED.test(m[1]) && (m[1].length > 1 || MARKED_BEFORE.test(m[0].trim()))));
  if (found.length < 2) return undefined;
  const out: number[] = [];
  for (let i = 0; i < found.length; i++) {
    const n = toNumber(found[i][1])!;
    if (i === 0) {
      out.push(n);
      continue;
    }
    const between = spaced.slice(found[i - 1].index! + found[i - 1][0].length, found[i].index);
    const from = out[out.length - 1];
    // (numbers apart by spaces only: 二十八 二十九 三十 — the space may be inside either match)
    const spacedApart = (between !== '' && between.trim() === '') || (between === '' && (/\s$/.test(found[i - 1][0]) || /^\s/.test(found[i][0])));
    if (RANGE_JOIN.test(between) && n > from && n - from < MAX_RANGE) for (let k = from + 1; k <= n; k++) out.push(k);
    else if (LIST_JOIN.test(between) || spacedApart || (between === '' && MARKED.test(found[i - 1][0].trim()) && MARKED.test(found[i][0].trim()))) out.push(n);
    else return undefined;
  }
  // before the first number and after the last: only asking about them (分别是谁负责, 两项是什么, 的内容) — or, every
  // number said as an item (领导要看第17、第19、第22条，帮忙调一下), anything but other things counted (年, 月, 部分)
  // (a clause before the numbers' that asks nothing is the asker's reason: 要写周报，把11到14条的内容发我一下)
  const from = askedFrom(spaced, found[0].index!);
  const rest = spaced.slice(from, found[0].index) + ' ' + spaced.slice(found.at(-1)!.index! + found.at(-1)![0].length);
  const onlyAsking = rest.replace(/[这那]?[两三四五六七八九十几]\s*(?:项|条|个)|分别|各自|都/g, '').replace(DETAIL_WORDS, '') === '';
  // (…or pointed back at as so many items: 17和19，这两条分别啥意思)
  // (第14、15、16条: marked at both ends, as one list)
  const marked = found.every((m) => MARKED.test(m[0].trim())) || (MARKED_BEFORE.test(found[0][0].trim()) && /[项条]$/.test(found.at(-1)![0].trim()));
  const asItems = (marked || COUNTED_BACK.test(rest)) && !OTHER_COUNTED.test(rest);
  if (!onlyAsking && !asItems) return undefined;
  const distinct = [...new Set(out)];
  return distinct.length >= 2 ? distinct : undefined;
}

/** A count said right after a Chinese numeral (二十九两条): apart from it, when the numeral is well formed only without it. */
function withCountApart(text: string): string {
  return text.replace(/([零〇一二两三四五六七八九十百]{2,6})(?=\s*[条项])/gu, (run) => {
    const numeral = run.slice(0, -1);
    return !WELL_FORMED.test(run) && WELL_FORMED.test(numeral) ? `${numeral} ${run.slice(-1)}` : run;
  });
}

/** Words that ask something (a clause with none of them only tells why the asker asks). */
const ASKS_SOMETHING = /谁|哪|什么|啥|吗|么|[?？]|是不是|有没有/u;
/** Quotes around what the plan prints (“三、”那块, “有关要求”前面): they say nothing. */
export const QUOTES = /[“”"「」『』]/g;

/** Where what is asked begins: the clause holding `at`, when the clauses before it ask nothing (the asker's reason), else 0. */
function askedFrom(text: string, at: number): number {
  const clauseStart = Math.max(...[...'，,。；;！!'].map((c) => text.lastIndexOf(c, at))) + 1;
  return ASKS_SOMETHING.test(text.slice(0, clauseStart)) ? 0 : clauseStart;
}

/** Who wants it and how it is to be gone through, beside the items asked for (领导让我先看看前三项, 前5个任务给我过一遍). */
const ASKED_FOR = /领导|让我|先|过一遍|过一下|过下|捋一遍|捋一下/gu;
/** The first or last few items (前三条, 头两项, 最后两条, 后五项): a count of 2 to MAX_RANGE. */
const END_ITEMS = new RegExp(`(前|头|最后|后)\\s*(${NUMERAL})\\s*(?:个)?\\s*(?:[条项]|任务)(?!\\s*(?:部分|小节|节|块))`, 'u');

/**
 * The first or the last few tasks asked about (前三条是什么, 最后两项分别谁负责): their ids, in the plan's order — only when
 * nothing else is asked (前三条都是财政部的吗 asks something else): the rest is words of asking, or `saysNothing` of the
 * plan (核一下, 列一列, 拉出来: no unit, nothing a task is about).
 */
export function endTasks(text: string, ids: readonly number[], saysNothing: (words: string) => boolean = () => false): number[] | undefined {
  const plain = plainNumerals(text).trim();
  const m = END_ITEMS.exec(plain);
  const count = m ? toNumber(m[2]) : undefined;
  if (!m || count === undefined || count < 2 || count > MAX_RANGE || count >= ids.length) return undefined;
  // (a clause before it that asks nothing is the asker's reason: 明天开会要用，麻烦把前三条任务列一下)
  const from = askedFrom(plain, m.index);
  const rest = plain.slice(from, m.index) + ' ' + plain.slice(m.index + m[0].length);
  const left = rest.replace(/分别|各自|都/g, '').replace(ASKED_FOR, '').replace(DETAIL_WORDS, '');
  if (left !== '' && !saysNothing(left)) return undefined;
  return m[1] === '前' || m[1] === '头' ? ids.slice(0, count) : ids.slice(-count);
}

/** A number said loosely, and the message without it. */
export interface NumberMention {
  n: number;
  rest: string;
  /** The rest of the clause it is said in (四十六条说的啥？好像就一句话 → 说的啥). */
  clause: string;
  /** Said with 第 (第三十九): an item's number, whatever else is said. */
  ordinal: boolean;
  /** Where the mention ends in the text (its numerals as digits' readers see them). */
  end: number;
}

/**
 * A Chinese numeral written as people write numbers: 七, 十二, 二十三, 一百零五, or digits said one by one (一五, 二九) —
 * not a run of characters that only happen to be numerals.
 */
const WELL_FORMED = /^(?:[一二两三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]百(?:零[一二三四五六七八九]|[一二三四五六七八九]十[一二三四五六七八九]?)?|[一二三四五六七八九][〇零一二三四五六七八九]{1,2})$/;
/** A number, 第 before it, and a counter or the look of one after it (第七点, 第十八像 for 项, 第十跳 for 条, 一五条). */
const MENTION = /(第\s*)?([0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*(项|条(?!目)|号|点|款|个(?=\s*(?:任务|事项|措施))|[那这]一?[条项]|[像相向象箱巷乡香想]|[跳调])?/gu;
/** What may follow 第N said loosely (第46是什么, 第二十三那个, 第5和第6): a word of asking or joining, not a noun. */
const NOUN_AFTER_ORDINAL = /^(?![是的那这呢吗啥什么说讲和跟与及或、,，。？?！!\s]|也|还|要|有|里|中|到|至|给|发|看|查|怎|咋|具体|内容|原文|全文|一下|调出|帮|谁|哪|为)\p{Script=Han}/u;
/** Counters only 第 makes an item's: 三点 is a time, 十相 a word (像 相 向 象 箱 巷 乡 香 想 sound like 项, 跳 调 like 条). */
const AFTER_ORDINAL_ONLY = /^(?:点|像|相|向|象|箱|巷|乡|香|想|跳|调)$/;
/** An item's number as the plan prints it, opening the message (5.强化企业市场主体地位, 12、…). */
const PRINTED_NUMBER = /^\s*([0-9]{1,3})[.．、](?=\p{Script=Han})/u;
/** What ends a clause. */
const CLAUSE_END = /[，,。？?！!；;\s]/;
/** What a number counts when it is not an item (10个部门, 2015年, 3号楼, 5%, 第二部分, 二十多年, 三十来岁): then it is no mention. */
const NOT_AN_ITEM = /^\s*(?:[来多余几]\s*(?=[年月日天周岁人名位个万千亿元倍次家批小分]))?(?:[0-9.．%％]|部分|大?部|小节|节|章|块|板块|年|月|日|天|周|个(?!\s*(?:任务|事项|措施))|人|名|位|万|千|亿|元|倍|次|岁|家|批|轮|期(?!货)|届|阶段|梯队|方(?!面)|条?线|小时|分|点钟|层|楼|级|[a-z])/iu;

/**
 * Numbers the message says loosely, which may name a task: 帮我看下第七点, 8是干啥的, 十二条说的是高新区扩区吗,
 * 二十三 易地搬迁 说的啥. Each is a task only if nothing else is asked (asksOnlyDetail) or the rest is about that task
 * (which only the engine can tell).
 */
export function numberMentions(text: string): NumberMention[] {
  const plain = plainNumerals(text);
  if (!ANY_NUMERAL.test(plain)) return [];
  const out: NumberMention[] = [];
  for (const m of plain.matchAll(MENTION)) {
    const [whole, ordinal, numeral, counter] = m;
    const at = m.index!;
    const before = plain[at - 1] ?? '';
    const after = plain.slice(at + whole.length);
    // (what follows a counter only if it follows at once: 五十五条 人社… is item 55)
    const follows = counter ? after : plain.slice(at + (ordinal?.length ?? 0) + numeral.length);
    // (那 before it is "those", 那30条, unless asked as a follow-up: 那三十条呢, 那59呢)
    const followUp = before === '那' && (counter !== undefined || /^[0-9]/.test(numeral)) && /^\s*呢/.test(after);
    if ((/[0-9.\-−（(a-z这那哪每某同另共全总近约前后头]/i.test(before) && !followUp) || (NOT_AN_ITEM.test(follows) && !(counter && /^\s/.test(follows)))) continue;
    // (or it opens the message and its content is asked at once: 二十三点是讲什么的)
    const opensAsking = plain.slice(0, at).trim() === '' && DETAIL_AT_ONCE.test(after);
    // (…but a number of 点 no clock shows is an item: 35点是讲…吗)
    const noHour = counter === '点' && (toNumber(numeral) ?? 0) > 24;
    if (counter && AFTER_ORDINAL_ONLY.test(counter) && !ordinal && !opensAsking && !noHour) continue;
    const chinese = !/^[0-9]/.test(numeral);
    // one Chinese numeral alone is a word (一起, 十分, 三农) unless 第 or a counter makes it a number — and 一 with a
    // counter is "one" (一条, 一项), not the first
    if (chinese && (!WELL_FORMED.test(numeral) || (numeral.length === 1 && !ordinal && (!counter || numeral === '一')))) continue;
    // (第 and a numeral that begin a word are that word, not an item: 第一书记, 第三方, 第二课堂)
    if (ordinal && !counter && startsWord(plain.slice(at, at + 8), whole.trim())) continue;
    // (…or, 第一 to 第三, run on into a noun however the segmenter cuts it: 第二老人院, 第一书计 typed for 第一书记 — an
    // item said loosely runs on into its topic too, 第十五再制造, but names of things seldom count past three)
    if (ordinal && !counter && /^[一二三]$/.test(numeral) && NOUN_AFTER_ORDINAL.test(follows)) continue;
    const n = toNumber(numeral);
    if (n) out.push({ n, rest: `${plain.slice(0, at)} ${after}`, clause: clauseAround(plain, at, at + whole.length), ordinal: ordinal !== undefined, end: at + whole.length });
  }
  const printed = PRINTED_NUMBER.exec(plain);
  if (printed) {
    const end = printed[0].length;
    out.push({ n: Number(printed[1]), rest: plain.slice(end), clause: clauseAround(plain, 0, end), ordinal: true, end });
  }
  return out;
}

/** Whether the text's first word (jieba, precise mode) runs on past what was read as a number (第一书记 past 第一). */
function startsWord(text: string, number: string): boolean {
  return cut(text)[0].length > number.length;
}

/** The clause around text[from, to), without that piece (最后一条61是啥，收尾那个 → 是啥). */
function clauseAround(text: string, from: number, to: number): string {
  let start = from;
  while (start > 0 && !CLAUSE_END.test(text[start - 1])) start--;
  let end = to;
  while (end < text.length && !CLAUSE_END.test(text[end])) end++;
  return `${text.slice(start, from)} ${text.slice(to, end)}`;
}

/** An item counted from the end (倒数第二项, 最后一条, 最后那项): as the plan's number for it is written. */
const FROM_END_ITEM = new RegExp(`(?:倒数第\\s*(${NUMERAL})|(?:最后|末)\\s*(?:一|那)?)\\s*(项|条|个任务)(?!\\s*(?:部分|小节|节|块))`, 'gu');

/** Items counted from the end said as their numbers (第一项和最后一项 → 第一项和第30项, 倒数第二条 → 第29条). */
export function itemsFromEnd(text: string, ids: readonly number[]): string {
  return text.replace(FROM_END_ITEM, (said, n: string | undefined, unit: string) => {
    const k = n === undefined ? 1 : toNumber(n);
    const id = k !== undefined && k >= 1 ? ids[ids.length - k] : undefined;
    return id === undefined ? said : `第${id}${unit === '个任务' ? '项' : unit}`;
  });
}

/** Every item, said as a span from the first to the last (从第一条到最后一条, 第一项一直到最末一项): no number asked. */
export const FIRST_TO_LAST = /第一\s*[条项个][^，,。？?]{0,6}?(?:到|至)\s*(?:最后|最末|末尾)/u;

/** The first item (头一条, 开头那条): a number the plan gives (the last, 最后一条, is read by itemsFromEnd). */
const FIRST_ITEM = /(?:头|首|开头)\s*(?:一|那)\s*[条项](?!\s*(?:部分|小节|节|块))/u;

/** The text names the first item (of tasks numbered first to last): it, said as a number. */
export function firstItemMention(text: string, first: number): NumberMention | undefined {
  const m = FIRST_ITEM.exec(text);
  if (!m) return undefined;
  // (without the number said with it: 头一条1是啥)
  const without = (s: string) => s.replace(String(first), ' ');
  return { n: first, rest: without(text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)), clause: without(clauseAround(text, m.index, m.index + m[0].length)), ordinal: true, end: m.index + m[0].length };
}

/** What follows a number that asks for its content at once (四十项讲的是什么…, 12条说的啥…): the rest only recalls it. */
const DETAIL_AT_ONCE = /^\s*(?:是?(?:讲|说|写)(?:的|了)?(?:是)?(?:什么|啥)|是(?:什么|啥)|(?:的)?(?:具体)?内容)/u;

/** The number opens the message and what follows asks for its content at once. */
export function opensWithDetailAsk(text: string, mention: NumberMention): boolean {
  const plain = plainNumerals(text).trimStart();
  const m = /^(第\s*)?([0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*(?:项|条|号|款|个|点)/u.exec(plain);
  if (m === null || toNumber(m[2]) !== mention.n) return false;
  // (…or after a few words recalling which one it is: 十九条工会那个是啥内容来着)
  const rest = plain.slice(m[0].length).replace(RECALLED, '');
  return DETAIL_AT_ONCE.test(rest);
}

/** A few words recalling which item it is, after its number (工会那个, 养老那条). */
const RECALLED = /^\s*[^，,。？?！!\s]{1,8}?[那这][个条项]/u;

/**
 * A later clause points back at the item (这条, 该项) and asks only for its content: 要问四十一条的进展，先把这条原文给我.
 */
export function askedAgainLater(text: string, mention: NumberMention): boolean {
  const later = plainNumerals(text).slice(mention.end).split(CLAUSE_END).slice(1);
  return later.some((c) => POINTED_BACK.test(c) && asksOnlyDetail(c.replace(POINTED_BACK, '').replace(/^(?:先|再|就)?把/, '')));
}

/** An item pointed back at: 这条, 这一项, 该条, 上面那条. */
const POINTED_BACK = /(?:这一?|该|上面那|刚才那)[条项个]/u;

/** Nothing but asking for an item's content (是干啥的, 讲讲哈, 内容发我, 谢谢) is left. */
export function asksOnlyDetail(rest: string): boolean {
  return rest.replace(DETAIL_WORDS, '') === '';
}

export interface SectionRef {
  kind: 'section' | 'subsection';
  /** A part's number; a subsection's number as printed ((三) → 3), or its place in the whole plan once resolved;
   *  negative: counted from the end (最后一部分 → -1, 倒数第二节 → -2). */
  index: number;
  /** The part a subsection was named in ("第二部分第一小节", "二之(三)"): its number counts within that part. */
  part?: number;
}

/** What a part is called: 第二部分 (部份, a common slip), 第三章, 第四大项, 第五大块, 第六板块. */
const PART_NOUN = '大?部[分份]|章|篇|大项|大块|板块';
/** A subsection after its part: 第一小节, 第1节, 第四个小标题, (三), 三小节. */
const SUB_IN_PART = `(?:第\\s*${NUM}\\s*个?\\s*(?:小节|小项|节|小部分|小标题)|第?\\s*[(（]\\s*${NUM}\\s*[)）]|${NUM}\\s*个?\\s*(?:小节|小项))`;
const PART_AND_SUBSECTION: RegExp[] = [
  // 第二部分第一小节 / 第三部分的(二) / 第五大项第二小项 / 第四部分里第4节
  new RegExp(`(?:^|第)\\s*${NUM}\\s*个?\\s*(?:${PART_NOUN})\\s*(?:的|里面?的?|中的?|下面?的?|之)?\\s*${SUB_IN_PART}`),
  // 第二部分的第二个(，科技创新那块): the second of the part's subsections
  new RegExp(`第\\s*${NUM}\\s*(?:${PART_NOUN})\\s*(?:的|里面?的?|中的?|下面?的?)?\\s*第\\s*${NUM}\\s*个(?=\\s*(?:[，,。]|那|$))`),
  // 三、下面第一个小节 (the part as printed, 三、)
  new RegExp(`^\\s*${NUM}\\s*、\\s*(?:下面|下边|里面|里头|里|中)?的?\\s*${SUB_IN_PART}`),
  // 二之(三) / 二(三) / 2(3)
  new RegExp(`^${NUM}\\s*(?:之|、)?\\s*[(（]\\s*${NUM}\\s*[)）]`),
  // 3.3 人才服务保障体系, 四.四: part and subsection as outlines number them (not 3.5万, 2.5%)
  /^([1-9])[.．]([1-9])(?![0-9]|\s*(?:万|亿|千|元|倍|%|％))/,
  /^([一二三四五六七八九十]{1,2})[.．]([一二三四五六七八九十]{1,2})(?![一二三四五六七八九十])/,
];
const SUBSECTION_PATTERNS: RegExp[] = [
  /[(（]\s*([一二三四五六七八九十]{1,3}|[0-9]{1,2})\s*[)）]/,
  // 14）那节: the opening bracket left out
  /^\s*([一二三四五六七八九十]{1,3}|[0-9]{1,2})\s*[)）]/,
  new RegExp(`(?:^|第)\\s*${NUM}\\s*个?\\s*(?:小节|小项|节|小标题)`),
  // 十四 那一节: a number opening the message, pointed at as a subsection
  new RegExp(`^\\s*${NUM}\\s*[那这]一?个?\\s*(?:小节|节)`),
];
/** What a part counted from either end is about, said between (最前面那个讲到2015年…的大块). */
const ABOUT = '(?:(?:讲|说)[^，,。？?]{1,30}?的(?:[那这]一?个?)?)?';
const FROM_END = new RegExp(`(?:最后|最?末尾?|倒数第\\s*${NUM})\\s*[那这]?一?个?${ABOUT}\\s*(大?部[分份]|章|大项|大块|板块|小节|节|小项|小标题)`);
const SECTION_PATTERNS: RegExp[] = [
  new RegExp(`(?:^|第)\\s*${NUM}\\s*个?\\s*(?:${PART_NOUN})`),
  // 第3块, 第六块儿 (3块 alone may be money)
  new RegExp(`第\\s*${NUM}\\s*个?\\s*块`),
  /^([一二三四五六七八九十]{1,2})[、.]/,
  /^([1-9][0-9]?)、/,
  // 把三、那一大块: the part as printed, pointed at inside the message
  /([一二三四五六七八九十]{1,2})、\s*[那这]一?(?:大?块|大?部[分份]|板块)/,
  // 五 那一部分: a number opening the message or a clause, pointed at as a part (刚才没看清，六那个部分再发一下)
  new RegExp(`(?:^|[，,。；;！!？?])\\s*${NUM}\\s*[那这]一?个?\\s*(?:大?部[分份]|大块|章)`),
];

/**
 * "(十七)", "第十七小节" → subsection 17; "第二部分第一小节", "二之(三)" → subsection 1 (3) of part 2;
 * "第六部分", "六、" → section 6. Which subsection of the plan that is depends on its numbering: see the engine.
 */
export function parseSectionRef(text: string): SectionRef | undefined {
  // part 4, section 2 (in English): 第4部分; part 2 section 4: 第2部分第4小节
  // (quotes around what is printed, “三、”那块, say nothing)
  const t = plainNumerals(text)
    .replace(QUOTES, '')
    .replace(/\bpart\s*([0-9]{1,2})\s*(?:的)?\s*(?:sub-?)?section\s*([0-9]{1,2})\b/gi, '第$1部分第$2小节')
    // (section 4.2: numbered as outlines number them, part and subsection — not part 4)
    .replace(/\b(?:part|section|chapter)\s*([0-9]{1,2})[.．]([0-9]{1,2})\b/gi, '第$1部分第$2小节')
    .replace(/\b(?:part|section|chapter)\s*([0-9]{1,2})\b/gi, '第$1部分');
  // 最后一部分 / 最后一节 / 倒数第二部分: counted from the end (index -1 is the last; the engine knows how many there are)
  // 开头那部分 / 最开始的那一节: the first
  const first = new RegExp(`(?:开头|最开始|最前面)的?那?一?个?${ABOUT}\\s*(大?部[分份]|章|大块|小节|节|块)`).exec(t);
  if (first) return { kind: /小|^节$/.test(first[1]) ? 'subsection' : 'section', index: 1 };
  const fromEnd = FROM_END.exec(t);
  if (fromEnd) {
    const n = fromEnd[1] ? toNumber(fromEnd[1]) : 1;
    const kind = /小|^节$/.test(fromEnd[2]) ? 'subsection' : 'section';
    // …of a part named before it (第五部分最后一个小节)
    const part = kind === 'subsection' ? new RegExp(`第\\s*${NUM}\\s*个?\\s*(?:${PART_NOUN})`).exec(t.slice(0, fromEnd.index)) : null;
    const partNo = part ? toNumber(part[1]) : undefined;
    if (n) return { kind, index: -n, ...(partNo ? { part: partNo } : {}) };
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
