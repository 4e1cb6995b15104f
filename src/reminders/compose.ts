import type { Task } from '../plan/types.js';
import type { Liaison, ProgressStatus } from '../state/types.js';
import { daysBetween, isoWeek, shortDate } from './time.js';

export interface PendingItem {
  task: Task;
  /** The plan's short name, set when several plans are active: lists are grouped under it. */
  plan?: string;
  status: ProgressStatus;
  deadline?: string;
  /** Days until the deadline (negative: overdue). */
  days?: number;
}

const snippets = new Map<string, string>();

export function snippet(text: string, n = 26): string {
  const k = `${n}\u0000${text}`;
  let out = snippets.get(k);
  if (out === undefined) {
    const s = text.replace(/\s+/g, '');
    const cps = [...s];
    out = cps.length > n ? `${cps.slice(0, n).join('')}…` : s;
    if (snippets.size > 20_000) snippets.clear();
    snippets.set(k, out);
  }
  return out;
}

function fullDate(key: string, today: string): string {
  return key.slice(0, 4) === today.slice(0, 4) ? shortDate(key) : `${key.slice(0, 4)}年${shortDate(key)}`;
}

export function dueText(deadline: string | undefined, today: string): string {
  if (!deadline) return '未设期限';
  const d = daysBetween(today, deadline);
  if (d < 0) return `截止${fullDate(deadline, today)}，已逾期${-d}天`;
  if (d === 0) return `今天（${fullDate(deadline, today)}）到期`;
  return `截止${fullDate(deadline, today)}，还有${d}天`;
}

/** Overdue first, then by deadline, then tasks without a deadline by number. */
export function sortPending(items: PendingItem[]): PendingItem[] {
  return [...items].sort((a, b) => {
    if (a.deadline && b.deadline) return a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.task.id - b.task.id;
    if (a.deadline) return -1;
    if (b.deadline) return 1;
    return a.task.id - b.task.id;
  });
}

export function itemLine(i: PendingItem, today: string): string {
  const st = i.status === '进行中' ? '［进行中］' : '';
  return `· 第${i.task.id}项 ${snippet(i.task.text)}（${dueText(i.deadline, today)}）${st}`;
}

/** The items' lines, under each plan's short name when they come from several plans (plans in order of first item). */
function grouped(items: PendingItem[], line: (group: PendingItem[]) => string[]): string[] {
  const plans = [...new Set(items.map((i) => i.plan))];
  if (plans.length < 2 && plans[0] === undefined) return line(items);
  return plans.flatMap((p) => {
    const mine = items.filter((i) => i.plan === p);
    return [`【${p}】${mine.length}项`, ...line(mine)];
  });
}

const CATCH_UP = '（补发）';
/** How to report progress, shown with one of the reader's own pending tasks (the first listed). */
function howTo(items: PendingItem[]): string {
  const first = sortPending(items)[0];
  if (!first) return '';
  const id = first.task.id;
  const named = first.plan ? `${first.plan} ${id}` : String(id);
  return `回复「${named} 已完成」或「/progress ${named} 进行中 备注」更新进展。`;
}

export function weeklyDigestText(dept: string, today: string, items: PendingItem[], catchUp: boolean): string {
  const week = isoWeek(today);
  const head = `${catchUp ? CATCH_UP : ''}【督办周报】${dept} · ${week.slice(0, 4)}年第${Number(week.slice(6))}周（${shortDate(today)}）`;
  if (items.length === 0) return `${head}\n本部门负责的任务已全部完成，谢谢！`;
  const sorted = sortPending(items);
  const overdue = sorted.filter((i) => i.days !== undefined && i.days < 0).length;
  const soon = sorted.filter((i) => i.days !== undefined && i.days >= 0 && i.days <= 7).length;
  const doing = sorted.filter((i) => i.status === '进行中').length;
  const lines = [head, `未完成 ${sorted.length} 项：逾期 ${overdue} 项，7天内到期 ${soon} 项，进行中 ${doing} 项。`];
  lines.push(
    ...grouped(sorted, (group) => {
      const dated = group.filter((i) => i.deadline);
      const undated = group.filter((i) => !i.deadline);
      const out = dated.map((i) => itemLine(i, today));
      if (undated.length > 0) {
        const ids = undated.map((i) => `${i.task.id}${i.status === '进行中' ? '（进行中）' : ''}`).join('、');
        out.push(`${dated.length ? '另有' : ''}未设期限 ${undated.length} 项：第${ids}项`);
      }
      return out;
    }),
  );
  lines.push(howTo(items));
  return lines.join('\n');
}

export function dueSoonText(dept: string, today: string, items: PendingItem[], catchUp: boolean): string {
  return [
    `${catchUp ? CATCH_UP : ''}【即将到期】${dept}：${items.length} 项任务临近期限`,
    ...grouped(sortPending(items), (g) => g.map((i) => itemLine(i, today))),
    howTo(items),
  ].join('\n');
}

export function overdueText(dept: string, today: string, items: PendingItem[], catchUp: boolean): string {
  return [
    `${catchUp ? CATCH_UP : ''}【已逾期】${dept}：${items.length} 项任务已超过期限，请尽快办理并反馈进展`,
    ...grouped(sortPending(items), (g) => g.map((i) => itemLine(i, today))),
    howTo(items),
  ].join('\n');
}

export function overdueSummaryText(today: string, byDept: Array<{ dept: string; items: PendingItem[] }>, catchUp: boolean): string {
  const week = isoWeek(today);
  const total = byDept.reduce((n, d) => n + d.items.length, 0);
  const head = `${catchUp ? CATCH_UP : ''}【逾期汇总】${week.slice(0, 4)}年第${Number(week.slice(6))}周（${shortDate(today)}）`;
  if (total === 0) return `${head}\n目前没有逾期任务。`;
  const lines = [head, `共 ${total} 项（按部门计）逾期：`];
  for (const { dept, items } of byDept) {
    if (items.length === 0) continue;
    const list = sortPending(items)
      .map((i) => `${i.plan ? `【${i.plan}】` : ''}第${i.task.id}项（逾期${-(i.days ?? 0)}天）`)
      .join('、');
    lines.push(`· ${dept} ${items.length} 项：${list}`);
  }
  return lines.join('\n');
}

/** An escalation to the coordinator (step 1) or the leaders (step 2), naming the department, the task and its liaisons. */
export function escalationText(o: {
  dept: string;
  item: PendingItem;
  step: 1 | 2;
  workdays: number;
  since: string;
  today: string;
  liaisons: Liaison[];
  catchUp: boolean;
}): string {
  const { dept, item, today } = o;
  const who = o.liaisons.length
    ? o.liaisons.map((l) => `${l.name ?? l.id}（${l.platform === 'telegram' ? 'Telegram' : `企业微信 ${l.id}`}）`).join('、')
    : '未设联络员';
  const updated = o.since === item.deadline ? '逾期后' : `自${fullDate(o.since, today)}更新后`;
  return [
    `${o.catchUp ? CATCH_UP : ''}【督办升级${o.step === 2 ? '·领导' : ''}】${dept} ${item.plan ? `【${item.plan}】` : ''}第${item.task.id}项${o.step === 2 ? '（第二次升级）' : ''}`,
    `${snippet(item.task.text, 40)}`,
    `${dueText(item.deadline, today)}；${updated}已连续 ${o.workdays} 个工作日没有进展更新（当前状态：${item.status}）。`,
    `联络员：${who}`,
    o.step === 1 ? '请督办组联系该部门督促办理；部门更新进展后升级即停止。' : '已在督办群升级一次仍无变化，请领导关注督促。',
  ].join('\n');
}
