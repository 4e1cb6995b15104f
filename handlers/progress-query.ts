import type { Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import type { Task } from '../src/plan/types.js';
import type { ProgressRow } from '../src/state/store.js';
import { addDays, daysBetween, weekdayOf } from '../src/reminders/time.js';
import { dueText, snippet } from '../src/reminders/compose.js';
import type { LoadedPlan } from '../src/plan/load.js';
import type { Reply } from '../src/core/types.js';
import { namedPlan, noSuchTaskIn, planLabel, plansForTasks } from './plan-choice.js';
import { formatTime, parseNumber, reply, today, type Ctx } from './progress-common.js';

type Kind = 'pending' | 'overdue' | 'due' | 'status';

/** Questions about the plan's own tasks only: "劳动争议逾期申请仲裁怎么办" is for the QA engine. */
const PENDING =
  /(?:哪些|什么|几项|多少项?)(?:任务|事项|工作|事)?(?:还|仍|尚)?(?:没|未|没有)(?:完成|办完|办结|做完)|(?:没完成|未完成|没有完成|尚未完成|未办结|没办完)的?(?:任务|事项|工作|有哪些|有几项|有多少|清单)|^(?:待办|未完成)(?:任务|事项|清单)?[?？]?$/;
const OVERDUE =
  /(?:逾期|超期|过期|拖期|超过期限)了?的?(?:任务|事项|工作)|(?:哪些|什么|几项|多少项?|有没有)(?:任务|事项|工作)?(?:已经?)?(?:逾期|超期|过期|拖期)|(?:逾期|超期)(?:情况|清单|汇总|了吗|了哪些)|^(?:逾期|超期)[?？]?$/;
const DUE =
  /(?:到期|截止)的?(?:任务|事项|工作)|(?:哪些|什么任务|几项|多少项?)(?:任务|事项|工作)?.{0,6}(?:到期|截止)|(?:最近|近期|马上|即将|这周|本周|下周|这个月|本月|下个月|下月)(?:要|需要|得)?(?:完成|交|办完|到期)的?(?:哪些|什么|任务|事项|工作|有哪些|有几项)/;
const STATUS = /进展|进度|状态|完成情况|办理情况|落实情况|办得怎么样|做得怎么样|完成了吗|办完了吗|完成没|什么时候到期|哪天到期|期限|截止日期|截止时间|什么时候截止|\bstatus\b|\bprogress\b/i;

function classify(ctx: Ctx, text: string): { kind: Kind; taskId?: number; days?: number; range?: string } | undefined {
  const cmd = ctx.command;
  if (cmd) {
    if (cmd.name === 'pending') return { kind: 'pending' };
    if (cmd.name === 'overdue') return { kind: 'overdue' };
    if (cmd.name === 'due') {
      const n = /(\d{1,3})/.exec(cmd.args);
      return { kind: 'due', days: n ? Number(n[1]) : 14 };
    }
    if (cmd.name === 'status') {
      const id = parseNumber(text.split(/\s+/)[0] ?? '');
      return id === undefined ? { kind: 'pending' } : { kind: 'status', taskId: id };
    }
    return undefined;
  }
  const t = text.normalize('NFKC');
  // the status words first: reading a task number normalises the whole question, which most questions do not need
  if (STATUS.test(t)) {
    // (or a bare number first: 48 什么时候到期)
    const digits = /第?\s*(\d{1,4})\s*[项号条]/.exec(t)?.[1] ?? /^\s*(\d{1,4})(?:\s+|(?=的?(?:什么时候|哪天|进展|进度|状态|完成情况|期限|截止)))/.exec(t)?.[1];
    const id = ctx.services.qa?.parseTaskNumber(t) ?? (digits ? Number(digits) : undefined);
    if (id !== undefined) return { kind: 'status', taskId: id };
  }
  if (OVERDUE.test(t)) return { kind: 'overdue' };
  if (PENDING.test(t)) return { kind: 'pending' };
  if (DUE.test(t)) {
    if (/下周|下星期/.test(t)) return { kind: 'due', range: 'next-week' };
    if (/本周|这周|这星期/.test(t)) return { kind: 'due', range: 'this-week' };
    if (/下个月|下月/.test(t)) return { kind: 'due', range: 'next-month' };
    if (/本月|这个月/.test(t)) return { kind: 'due', range: 'this-month' };
    const n = /(\d{1,3})\s*天/.exec(t);
    return { kind: 'due', days: n ? Number(n[1]) : 14 };
  }
  return undefined;
}

/** Which departments a question is about: named ones, else the chat's own, else all. */
function scope(ctx: Ctx): { departments: string[]; own: boolean } {
  const fromPlans = () => ctx.services.plans.all().map((p) => p.registry.mentionedIn(ctx.text)).find((d) => d.length) ?? [];
  const asked = ctx.services.qa?.resolveDepartments(ctx.text) ?? [];
  const named = asked.length ? asked : fromPlans();
  if (named.length > 0) return { departments: named, own: false };
  if (ctx.actor.department && !ctx.actor.coordinator) return { departments: [ctx.actor.department], own: true };
  return { departments: [], own: false };
}

function line(r: ProgressRow, t: Task, withDept: boolean, todayKey: string): string {
  const st = r.status === '进行中' ? '［进行中］' : '';
  return `· 第${t.id}项 ${snippet(t.text, 22)}${withDept ? ` — ${r.department}` : ''}（${dueText(r.deadline, todayKey)}）${st}`;
}

function sortRows(rows: ProgressRow[]): ProgressRow[] {
  return [...rows].sort((a, b) =>
    a.deadline && b.deadline ? a.deadline.localeCompare(b.deadline) || a.taskId - b.taskId : a.deadline ? -1 : b.deadline ? 1 : a.taskId - b.taskId,
  );
}

/** The rows as lines, grouped by plan under its short name when they come from several plans. */
function listReply(ctx: Ctx, title: string, rows: ProgressRow[], intent: string, depts: string[], empty: string, todayKey: string): Reply {
  if (rows.length === 0) return reply(`${title}\n${empty}`, intent, [], depts);
  const withDept = depts.length !== 1;
  const plans = ctx.services.plans.all().filter((l) => rows.some((r) => r.plan === l.plan.id));
  const lines = [title];
  const tasks: Reply['tasks'] = [];
  for (const l of plans) {
    const byId = new Map(l.plan.tasks.map((t) => [t.id, t]));
    const sorted = sortRows(rows.filter((r) => r.plan === l.plan.id));
    if (plans.length > 1) lines.push(`【${planLabel(l)}】${sorted.length}项`);
    // The whole list: the conversation layer sends a long one in pages (「更多」).
    lines.push(...sorted.map((r) => line(r, byId.get(r.taskId)!, withDept, todayKey)));
    for (const id of new Set(sorted.map((r) => r.taskId))) tasks.push({ plan: l.plan.id, id, departments: [...byId.get(id)!.departments], score: 1 });
  }
  return { text: lines.join('\n'), intent, tasks, departments: depts };
}

/** One task's status, department by department. */
function statusLines(ctx: Ctx, loaded: LoadedPlan, t: Task, todayKey: string): string[] {
  const rows = ctx.services.store.rows({ task: { plan: loaded.plan.id, task: t.id } });
  const done = rows.filter((r) => r.status === '已完成').length;
  const lines = [`第${t.id}项 ${snippet(t.text, 30)}`, `完成 ${done}/${rows.length} 个责任部门：`];
  // The plan's own 完成时限 column, when it has one, beside the deadlines the coordinator set.
  if (t.deadline) lines.splice(1, 0, `方案规定的完成时限：${t.deadline.text}`);
  let withheld = false;
  for (const r of rows) {
    // Statuses and deadlines are for everyone; notes and who wrote them only for that department, the coordinator and admins.
    const mayRead = ctx.actor.coordinator || ctx.actor.admin || ctx.actor.department === r.department;
    withheld ||= !mayRead && (!!r.note || !!r.updatedBy?.name);
    const upd = r.updatedAt ? `，${formatTime(r.updatedAt, ctx)}${mayRead && r.updatedBy?.name ? ` ${r.updatedBy.name}` : ''}更新` : '';
    lines.push(`· ${r.department}：${r.status}（${dueText(r.deadline, todayKey)}${upd}）${mayRead && r.note ? ` 备注：${r.note}` : ''}`);
  }
  if (withheld) lines.push('进展备注和填报人只对该责任部门、督办和管理员显示。');
  return lines;
}

function rangeOf(range: string | undefined, days: number | undefined, todayKey: string): { from: string; to: string; label: string } {
  const wd = weekdayOf(todayKey);
  switch (range) {
    case 'next-week': {
      const from = addDays(todayKey, 8 - wd);
      return { from, to: addDays(from, 6), label: '下周' };
    }
    case 'this-week':
      return { from: todayKey, to: addDays(todayKey, 7 - wd), label: '本周' };
    case 'this-month': {
      const next = new Date(`${todayKey.slice(0, 7)}-01T00:00:00Z`);
      next.setUTCMonth(next.getUTCMonth() + 1);
      return { from: todayKey, to: addDays(next.toISOString().slice(0, 10), -1), label: '本月' };
    }
    case 'next-month': {
      const first = new Date(`${todayKey.slice(0, 7)}-01T00:00:00Z`);
      first.setUTCMonth(first.getUTCMonth() + 1);
      const from = first.toISOString().slice(0, 10);
      first.setUTCMonth(first.getUTCMonth() + 1);
      return { from, to: addDays(first.toISOString().slice(0, 10), -1), label: '下个月' };
    }
    default:
      return { from: todayKey, to: addDays(todayKey, days ?? 14), label: `今后${days ?? 14}天内` };
  }
}

/** 我们还有哪些没完成? / 哪些任务逾期了? / 下周到期的任务 / /due / 第48项进展如何 */
export const progressQueryHandler: Handler<Services> = (ctx) => {
  const plan = namedPlan(ctx, ctx.command ? ctx.command.args : ctx.text);
  const q = classify(ctx, plan.text);
  if (!q) return undefined;
  const store = ctx.services.store;
  const todayKey = today(ctx);

  if (q.kind === 'status') {
    // Reading only: when the number fits several plans, each one's status is shown, grouped by plan.
    const found = plansForTasks(ctx, [q.taskId!], { named: plan.plan, department: ctx.actor.department });
    if (!found.length) return noSuchTaskIn(ctx, [q.taskId!], plan.plan);
    const several = ctx.services.plans.size > 1;
    const text = found.map(({ loaded, tasks: [t] }) => [...(several ? [`【${planLabel(loaded)}】`] : []), ...statusLines(ctx, loaded, t, todayKey)].join('\n')).join('\n\n');
    return {
      text,
      intent: 'progress_status',
      tasks: found.map(({ loaded, tasks: [t] }) => ({ plan: loaded.plan.id, id: t.id, departments: [...t.departments], score: 1 })),
      departments: [...new Set(found.flatMap(({ tasks: [t] }) => t.departments))],
    };
  }

  const { departments, own } = scope(ctx);
  const who = own ? `${departments[0]}` : departments.length ? departments.join('、') : '全部部门';
  const inScope = (r: ProgressRow) => departments.length === 0 || departments.includes(r.department);
  const open = store.rows({ plan: plan.plan?.plan.id }).filter((r) => r.status !== '已完成' && inScope(r));

  if (q.kind === 'pending') {
    if (departments.length === 0) {
      // The coordinator's overview: counts per department.
      const lines = [`未完成情况（${todayKey}）：`];
      const names = plan.plan ? plan.plan.registry.names : ctx.services.plans.departmentNames();
      for (const d of names) {
        const mine = open.filter((r) => r.department === d);
        const overdue = mine.filter((r) => r.deadline && daysBetween(todayKey, r.deadline) < 0).length;
        lines.push(`· ${d}：未完成 ${mine.length} 项${overdue ? `，其中逾期 ${overdue} 项` : ''}`);
      }
      lines.push(`问「${names[0]}还有哪些没完成」可查看某个部门的清单。`);
      return reply(lines.join('\n'), 'progress_pending', [], names);
    }
    return listReply(ctx, `${who}未完成的任务 ${open.length} 项（逾期在前，按期限排序）：`, open, 'progress_pending', departments, '没有未完成的任务。', todayKey);
  }
  if (q.kind === 'overdue') {
    const rows = open.filter((r) => r.deadline && daysBetween(todayKey, r.deadline) < 0);
    return listReply(ctx, `${who}逾期的任务 ${rows.length} 项：`, rows, 'progress_overdue', departments, '没有逾期的任务。', todayKey);
  }
  const r = rangeOf(q.range, q.days, todayKey);
  const rows = open.filter((x) => x.deadline && x.deadline >= r.from && x.deadline <= r.to);
  const overdue = open.filter((x) => x.deadline && x.deadline < todayKey).length;
  const res = listReply(ctx, `${who}${r.label}（${r.from} 至 ${r.to}）到期的任务 ${rows.length} 项：`, rows, 'progress_due', departments, '这段时间没有到期的未完成任务。', todayKey);
  if (overdue) res.text += `\n另有 ${overdue} 项已逾期，发送「哪些任务逾期了」查看。`;
  return res;
};
