/**
 * How people name a plan in a question: its title, or a short name cut from the title by general rules
 * (「贯彻落实《关于进一步加强劳动人事争议协商调解工作的意见》重点任务分工方案」 → 劳动人事争议协商调解,
 * 「关于推进人才集聚工程的实施意见」 → 人才集聚工程). No plan's words are known here.
 */

/** Words around the subject of a title: what the document is and how it is introduced. */
const LEADING = /^(?:贯彻落实|贯彻|落实|印发|关于|进一步|全面|加快|大力|持续|深入|推进|推动|加强|实施|做好|开展|深化|健全|完善)+/;
const TRAILING = /(?:的)?(?:重点任务分工方案|任务分工方案|分工方案|实施方案|工作方案|行动方案|行动计划|实施意见|指导意见|若干措施|工作要点|意见|方案|通知|办法|规划)$/;
const TRAILING_WORK = /(?:的)?(?:工作|建设|发展)$/;
/** A city's or province's name in front (广州市, 广东省): people leave it out. */
const PLACE = /^[\u4e00-\u9fa5]{2,3}[省市]/;

/** The subject of a plan's title, as people would shorten it; '' when nothing is left. */
export function planShortName(title: string): string {
  let t = title.replace(/\s+/g, '');
  // A plan for carrying out another document is named after that document.
  const quoted = /《([^》]+)》/.exec(t)?.[1];
  if (quoted) t = quoted;
  for (let i = 0; i < 3; i++) {
    const before = t;
    t = t.replace(PLACE, '').replace(LEADING, '').replace(TRAILING, '').replace(TRAILING_WORK, '');
    if (t === before) break;
  }
  return [...t].length >= 2 ? t : '';
}

export interface NamedPlan {
  id: string;
  title: string;
}

/** Pieces of a name that still name it alone: every run of at least `min` characters. */
function pieces(name: string, min: number): string[] {
  const chars = [...name];
  const out: string[] = [];
  for (let len = chars.length; len >= min; len--) for (let i = 0; i + len <= chars.length; i++) out.push(chars.slice(i, i + len).join(''));
  return out;
}

/**
 * The plans a question names, and the words that named each (to take out of the question): the title,
 * the short name, a run of four or more of its characters no other plan's name has (劳动人事), or a
 * shorter run followed by 方案 (人才方案).
 */
export function mentionedPlans<P extends NamedPlan>(text: string, plans: P[]): Array<{ plan: P; words: string }> {
  const q = text.replace(/\s+/g, '');
  const names = plans.map((p) => ({ plan: p, title: p.title.replace(/\s+/g, ''), short: planShortName(p.title) }));
  const out: Array<{ plan: P; words: string }> = [];
  for (const n of names) {
    const others = names.filter((o) => o !== n).map((o) => `${o.title}\u0000${o.short}`).join('\u0000');
    const unique = (w: string) => !others.includes(w);
    let words: string | undefined;
    if (n.title && q.includes(n.title)) words = n.title;
    else if (n.short) {
      words = pieces(n.short, 4).find((w) => q.includes(w) && unique(w));
      words ??= pieces(n.short, 2).find((w) => q.includes(`${w}方案`) && unique(w));
      if (words && q.includes(`${words}方案`)) words = `${words}方案`;
    }
    if (words) out.push({ plan: n.plan, words });
  }
  return out;
}

/** The question without the words naming a plan (「人才集聚工程第5项是什么」 → 「第5项是什么」). */
export function withoutPlanName(text: string, words: string): string {
  const q = text.replace(/\s+/g, '');
  const at = q.indexOf(words);
  if (at < 0) return text;
  const after = q.slice(at + words.length).replace(/^[》」”"]?(?:方案)?(?:里面|里|中|的|中的)?[，,：:\s]*/, '');
  return `${q.slice(0, at).replace(/[《「“"]$/, '').replace(/(?:关于|在)$/, '')}${after}`;
}

/** A plan's name for a reader: its short name, else its title, else its id. */
export const planLabelOf = (p: NamedPlan): string => planShortName(p.title) || p.title || p.id;

/**
 * How a reader names a task in a message (hints such as 「48 已完成」): the bare number with one plan active,
 * 「<方案简称> 48」 with several, so that following the hint never asks back which plan is meant.
 */
export function taskReference(active: readonly NamedPlan[], plan: string, task: number): string {
  const named = active.length > 1 ? active.find((p) => p.id === plan) : undefined;
  return named ? `${planLabelOf(named)} ${task}` : String(task);
}
