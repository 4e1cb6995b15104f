/**
 * Is a message a follow-up to the previous answer, and of which kind? Only whole messages that are
 * short and have no topic of their own count: 「更多」, 「那法院呢?」, 「第二个」, 「它什么时候到期」,
 * 「进展如何」, 「这几个部门里谁牵头」. Anything else is a fresh question and is never bent to the last one.
 */
import { parseChineseNumber } from './chinese-numerals.js';

export type Aspect = 'deadline' | 'progress' | 'lead' | 'who' | 'detail';

export type FollowUp =
  | { kind: 'more' }
  /** 「上一页」: the page before the one last sent. */
  | { kind: 'previous' }
  | { kind: 'department'; departments: string[] }
  /** 「其中跟协商有关的呢」「里面关于培训的有哪些」: the last unit's list narrowed to a topic. */
  | { kind: 'narrow'; topic: string }
  /** `ordinal`: 「第二个」 (1-based, in the last answer's list); `plural`: 「这几项」「它们」. */
  | { kind: 'reference'; aspect: Aspect; ordinal?: number; plural: boolean };

/** Departments named in a text and the text without them ("那法院呢" → [法院], "那呢"). */
export type DepartmentSplitter = (text: string) => { departments: string[]; rest: string };

/** Longest follow-up we consider; anything longer carries its own topic. */
const MAX_CHARS = 16;
const END = '[?？。.!！~～\\s]*$';
const LEAD_IN = '(?:那么?|那个|请问|还有|再问一下|再看看|看看|换成|换)?';

const MORE = new RegExp(
  `^(?:更多|更多的?|下一页|下页|继续|接着说|接着列|还有呢|还有吗|还有(?:别的|其[他它余]的?|类似的?|相关的?|相似的?)(?:任务|条目)?(?:吗|呢|没有?)?|(?:类似|相关|相似)的(?:还有|有)(?:吗|呢|没有?)?|再来(?:几个|几条|一些|点)|后面的?呢?|剩下的?呢?|其[余他它]的?呢?|more|next)${END}`,
  'i',
);

/**
 * The last list narrowed to a topic: 其中 / 里面 / 这些里 before it (其中培训相关的), or 跟…有关的呢 with nothing after
 * (跟协商有关的呢). A request naming 任务 (跟培训有关的任务有哪些) stays a fresh question.
 */
const AMONG = '(?:其中|这些(?:任务)?(?:里面?|中|当中)|(?:这)?里面|这里头|里头)';
const ABOUT = '(?:跟|和|与|关于|涉及)';
const ASKED = '(?:呢|有哪些|是哪些|有几[项条个]|有哪几[项条个]|是哪几[项条个]|是哪[项条个])?';
const NARROW = [
  new RegExp(`^${LEAD_IN}${AMONG}${ABOUT}?(\\p{Script=Han}{1,8}?)(?:有关|相关|沾边|方面)?的?${ASKED}${END}`, 'u'),
  new RegExp(`^${LEAD_IN}${ABOUT}(\\p{Script=Han}{1,8}?)(?:有关|相关|沾边)的?呢${END}`, 'u'),
];

const PREVIOUS = new RegExp(`^(?:上一页|上页|前一页|返回上一页|往回翻|back|prev(?:ious)?)${END}`, 'i');

/** What may surround a department named alone: 「那法院呢」「总工会的呢」「法院那边怎么样」. */
const DEPARTMENT_FILLER = new RegExp(`^${LEAD_IN}(?:的|那边|这边|方面)?(?:呢|怎么样|如何|的情况呢?|的任务呢|的呢)?${END}`);

const SINGULAR = '(?:刚才|刚刚|上面|前面)?(?:它|这个|这项|该项|这条|那个|那项|那条|此项|这个任务|这项任务|那个任务|那项任务)|上一个|上一项|上一条';
const PLURAL = '它们|这些|这几项|这几个|这几条|这些任务|这几项任务|这几个部门里?|这些部门里?|这几个部门中|这些部门中|其中';
/** 「第二个」 counts in the last answer's list; 「第2条」「第二项」 are task numbers and stay fresh questions. */
const ORDINAL = '第\\s*([0-9一二三四五六七八九十两]{1,3})\\s*个';

const ASPECTS: Array<[Aspect, string]> = [
  ['deadline', '(?:什么时候|啥时候|何时|哪天)(?:到期|截止|完成|要完成|结束)|(?:截止|到期)(?:日期|时间|期限)?(?:是)?(?:什么时候|哪天|多少)?|期限(?:是)?(?:什么|多少|哪天)?|要求什么时候完成|多久完成'],
  ['progress', '进展(?:如何|怎么样|怎样|情况)?|进度(?:如何|怎么样|怎样)?|完成(?:了吗|了没有|没有|情况|得怎么样)|落实(?:情况|得怎么样)|办得怎么样|做得怎么样|状态'],
  ['lead', '(?:谁|哪个部门|哪个单位|哪家)(?:来)?牵头|牵头的?(?:部门|单位)?(?:是谁|是哪个(?:部门|单位)?|是哪家)?'],
  [
    'who',
    '谁负责|(?:哪些|哪几个)部门负责|由谁负责|归谁管|谁来做|责任部门(?:是|有)?(?:哪些|谁)?|(?:是)?(?:哪个|哪些)(?:部门|单位)的|配合(?:的|单位|部门)?(?:有谁|是谁|有哪些|是哪些)?',
  ],
  ['detail', '是什么|是啥|什么内容|内容(?:是什么)?|具体(?:内容|说说|讲讲|点|一点)?|详细(?:内容|说说|讲讲|一点|点)?|展开(?:说说|讲讲)?|说说|细说|原文|全文|完整(?:内容|的)?'],
];

/** Asking to be sent what is named (原文发我, 全文给我看看). */
const SEND = '发(?:给)?我|发一下|发过来|(?:给我)?看(?:看|一下)|给我';

const REFERENCE = new RegExp(
  `^${LEAD_IN}(?:(${PLURAL})|(${SINGULAR})|${ORDINAL})?(?:任务)?(?:的|里|中)?\\s*(?:都|分别|各自)?是?(?:(${ASPECTS.map(([, re]) => `(?:${re})`).join('|')}))?(?:${SEND})?(?:呢|啊|呀)?${END}`,
);

/** The topic a list is narrowed to: two characters or more, no word of asking (其中谁牵头 is a reference). */
function narrowed(t: string): FollowUp | undefined {
  for (const re of NARROW) {
    const topic = re.exec(t)?.[1];
    if (topic && [...topic].length >= 2 && !/[哪谁几啥么呢吗第]/u.test(topic)) return { kind: 'narrow', topic };
  }
  return undefined;
}

function aspectOf(words: string | undefined): Aspect {
  if (!words) return 'detail';
  for (const [aspect, re] of ASPECTS) if (new RegExp(`^(?:${re})$`).test(words)) return aspect;
  return 'detail';
}

export function parseFollowUp(text: string, splitDepartments: DepartmentSplitter): FollowUp | undefined {
  const t = text.normalize('NFKC').trim();
  if (!t || [...t].length > MAX_CHARS) return undefined;
  if (MORE.test(t)) return { kind: 'more' };
  if (PREVIOUS.test(t)) return { kind: 'previous' };
  const { departments, rest } = splitDepartments(t);
  if (departments.length) return DEPARTMENT_FILLER.test(rest) ? { kind: 'department', departments } : undefined;
  const m = REFERENCE.exec(t);
  if (!m) return narrowed(t);
  const [, plural, singular, ordinal, aspectWords] = m;
  // A bare lead-in or particle ("那么", "呢") refers to nothing.
  if (!plural && !singular && !ordinal && !aspectWords) return undefined;
  const n = ordinal ? (/^\d+$/.test(ordinal) ? Number(ordinal) : parseChineseNumber(ordinal)) : undefined;
  if (ordinal && !n) return undefined;
  return { kind: 'reference', aspect: aspectOf(aspectWords), ordinal: n, plural: Boolean(plural) };
}
