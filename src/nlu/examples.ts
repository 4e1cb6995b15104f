/**
 * The examples a question gives of what it asks about (医疗器械、疫苗这一块; 讲企业家培训、技工精工、大学生创业扶持的那一节;
 * 讲一窗式受理和应急联合调处机制的那一节): the pieces, each to be looked up on its own.
 */
import { segment } from './tokenize.js';

/**
 * Two or more examples of a kind, then the kind (治安、食品药品、安全生产这些, 企业家、技能人才这类), or two things joined
 * by 和 and said to be two (肉菜市场和家庭服务业这两块, 危房和物业管理分别是哪条).
 */
const EXAMPLES = /((?:\p{Script=Han}{2,8}[、，,]){1,}\p{Script=Han}{2,8})(?:这类|这些|那些|之类|这几|等|[这那]一?块|方面)|(\p{Script=Han}{2,8}(?:和|与|及|以及|还有)\p{Script=Han}{2,8})(?:[这那]?两(?:块|项|个|方面|件事)|分别)/u;

/** The examples a question gives of what it asks about (医疗器械、疫苗这一块 → 医疗器械, 疫苗), if it gives any. */
export function examplesIn(text: string): string[] | undefined {
  const m = EXAMPLES.exec(text);
  return m?.[1]?.split(/[、，,]/) ?? m?.[2].split(/以及|还有|[和与及]/);
}

/**
 * Examples listed with 、 in one clause (听说有一节专门讲企业家培训、技工精工、大学生创业扶持的，那一节…): its pieces, the
 * first cut to its last words and the last to before what follows the list (的, 这些, 那一大块 …).
 */
export function listedExamples(text: string): string[] | undefined {
  const clause = text.split(/[，,。；;？?！!\s（）()]+/).find((c) => c.includes('、'));
  if (!clause) return describedPair(text);
  // (a joining word before the last piece, 还有 / 以及 / 和, but not the first character of a word: 和解协议)
  const pieces = clause.split('、').map((p) => p.replace(/^(?:还有|以及)/, '').replace(/^[和及]/, (c, _at, piece: string) => (segment(piece)[0] === c ? '' : c)));
  // (the first without what introduces the list: 讲调解员队伍、… → 调解员队伍)
  pieces[0] = [...pieces[0]].slice(-8).join('').replace(/^(?:讲|关于|有关|涉及)(?=\p{Script=Han}{2})/u, '');
  pieces[pieces.length - 1] = pieces[pieces.length - 1].replace(/(?:的|这|那|等|之类|相关|方面).*$/u, '');
  // (and the last two joined by a word: 经费保障还有落实责任)
  const out = pieces.flatMap((p) => p.split(/还有|以及/)).filter((p) => /^\p{Script=Han}{2,}$/u.test(p));
  return out.length >= 2 ? out : undefined;
}

/** Two examples joined by a word in a part's description (讲一窗式受理和重大争议应急联合调处机制的那一节). */
const DESCRIBED_PAIR = /讲(\p{Script=Han}{2,16}?)(和|与|以及|还有)(\p{Script=Han}{2,16}?)的[那这]一?个?[大小整]?(?:节|部[分份]|块)/u;

function describedPair(text: string): string[] | undefined {
  const m = DESCRIBED_PAIR.exec(text);
  // (和 opening a word, 和解协议, joins nothing)
  return m && segment(`${m[2]}${m[3]}`)[0] === m[2] ? [m[1], m[3]] : undefined;
}
