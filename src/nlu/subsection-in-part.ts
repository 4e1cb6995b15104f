import { NUMERAL, toNumber, type SectionRef } from './numbers.js';
import type { PlanParts } from './parts.js';

/**
 * A subsection counted within a part the message names before it, by number or by title: 第二部分最后一个小块,
 * 三、下面头一个小块, 源头治理部分的第二小节, 做实多元调解里排第二的那个小节, 主要任务部分收尾的那一小节. Counted alone
 * (第二小节, 最后一节), a subsection is the whole plan's; here the part counts it.
 */
export function subsectionCountedInPart(text: string, parts: PlanParts): SectionRef | undefined {
  for (const m of text.matchAll(SUB_COUNTED)) {
    const g = m.groups!;
    const before = text.slice(0, m.index);
    // (a piece of a part, 块 / 部分 / 个, is counted inside it only right after it: 主要任务里排第二的那一块, 第四部分
    // 最后那块 — not 源头治理的同志想问下，方案第二部分, which is the plan's second part)
    if (g.piece && !RIGHT_INSIDE.test(before)) continue;
    const part = partByNumber(before) ?? partByTitle(before, parts);
    if (part === undefined) continue;
    const index = g.nth ? toNumber(g.nth) : g.back ? -(toNumber(g.back) ?? 1) : g.last ? -1 : 1;
    if (!index) continue;
    const found = parts.resolve({ kind: 'subsection', index, part }).section;
    // (a part without subsections, or fewer of them than counted: not this reading)
    return found.kind === 'subsection' && parts.within(found, { kind: 'section', index: part }) && parts.hasTasks(found) ? found : undefined;
  }
  return undefined;
}

/** The ordinal: 第二 / 排第二, 倒数第二, 头 / 开头 / 打头 / 最前头 (the first), 最后 / 收尾 / 末尾 (the last). */
const ORDINAL = `(?:排\\s*)?第\\s*(?<nth>${NUMERAL})|倒数第\\s*(?<back>${NUMERAL})|(?<first>头|首|开头|打头|最前面|最前头|最开始)|(?<last>最后|收尾|末尾|最末)`;
/**
 * …and what it counts, after 的 / 那 / 一 / 个: a subsection (小节, 小块, 小标题, 节), or within a part a piece of it
 * (块, 部分; 个, but not 个任务).
 */
const SUB_COUNTED = new RegExp(
  `(?:${ORDINAL})\\s*[的那这一个\\s]*(?:小节|小块|小标题|小部分|小项|节|(?<piece>块|部[分份]|个(?!\\s*(?:任务|事项|项目|条|措施))))`,
  'gu',
);

/** Where a piece of a part is counted inside it: right after 里 / 中 / 下面, or right after the part's number. */
const RIGHT_INSIDE = new RegExp(`(?:里面?|里头|当中|中|下面|下边)的?\\s*$|第\\s*(?:${NUMERAL})\\s*(?:大?部[分份]|章)\\s*$|(?:^|[\\s，,。])(?:${NUMERAL})\\s*、\\s*$`, 'u');

/** A part by its number, the last said before the count: 第二部分, 第四章, 三、, 四 主要任务. */
const PART_NUMBER = new RegExp(
  `第\\s*(${NUMERAL})\\s*个?\\s*(?:大?部[分份]|章|大块|板块|大项)|(?:^|[\\s，,。])(${NUMERAL})\\s*[、.．]|^\\s*(${NUMERAL})\\s+(?=\\p{Script=Han})`,
  'gu',
);

function partByNumber(before: string): number | undefined {
  const all = [...before.matchAll(PART_NUMBER)];
  const m = all[all.length - 1];
  return m ? toNumber(m[1] ?? m[2] ?? m[3]) : undefined;
}

/** A part by (most of) its title: 源头治理部分的, 做实多元调解里, 主要任务里头. */
function partByTitle(before: string, parts: PlanParts): number | undefined {
  const titled = parts.pointedAt(before, true) ?? parts.byTitle(before);
  return titled?.kind === 'section' ? titled.index : undefined;
}
