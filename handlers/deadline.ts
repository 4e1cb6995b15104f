import type { Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import { auditActorOf } from '../src/core/actor.js';
import type { DeadlineChange } from '../src/state/store.js';
import { askWhichPlan, namedPlan, noSuchTaskIn, planLabel, plansForTasks } from './plan-choice.js';
import { NOT_ALLOWED, canAdminister, leadingDepartment, parseDate, parseNumber, refuse, reply, today, type Ctx } from './progress-common.js';

const USAGE =
  '用法：/deadline 48 2026-12-31 [部门]；多项：/deadline 48-52 2026-12-31；取消：/deadline 48 取消 [部门]；查看：/deadline 48';

/** "48", "48-52", "48,49,50" → ids. */
function parseIds(s: string): number[] | undefined {
  const ids: number[] = [];
  for (const part of s.split(/[,，、]/)) {
    const range = /^(\S+?)[-~～至到](\S+)$/.exec(part);
    if (range) {
      const a = parseNumber(range[1]);
      const b = parseNumber(range[2]);
      if (a === undefined || b === undefined || b < a || b - a > 500) return undefined;
      for (let i = a; i <= b; i++) ids.push(i);
    } else {
      const n = parseNumber(part);
      if (n === undefined) return undefined;
      ids.push(n);
    }
  }
  return ids.length ? ids : undefined;
}

/**
 * The same said in words (第47项期限定到12月20日, 把46的期限改成2026-12-25, 48号任务截止日期设为2026-12-31 法院):
 * the tasks, the date and the department as /deadline takes them.
 */
const IN_WORDS =
  /^(?:把|将)?(?:第\s*)?([0-9]{1,4}(?:\s*[-~～至到、,，]\s*[0-9]{1,4})*)\s*(?:项|号|条)?(?:任务)?的?\s*(?:期限|截止日期|截止时间|截止日|完成时限|时限|deadline)\s*(?:定|设|改|调|延|推)?(?:到|为|成|在|至)\s*([0-9]{1,4}[-/.年月][0-9]{1,2}(?:[-/.月][0-9]{1,2})?日?)\s*(.*)$/i;

/** Coordinator only: /deadline 48 2026-12-31 [部门] — or the same in words. */
export const deadlineHandler: Handler<Services> = (ctx) => {
  if (ctx.command) return ctx.command.name === 'deadline' ? setDeadline(ctx, ctx.command.args) : undefined;
  const m = IN_WORDS.exec(ctx.text.normalize('NFKC').trim());
  return m ? setDeadline(ctx, [m[1].replace(/\s+/g, ''), m[2], m[3].trim()].filter(Boolean).join(' ')) : undefined;
};

async function setDeadline(ctx: Ctx, said: string) {
  const plan = namedPlan(ctx, said);
  const args = plan.text.split(/\s+/).filter(Boolean);
  if (args.length === 0) return refuse(USAGE, 'deadline_usage');
  const ids = parseIds(args[0]);
  if (!ids) return refuse(USAGE, 'deadline_usage');
  const candidates = plansForTasks(ctx, ids, { named: plan.plan });
  if (candidates.length === 0) return noSuchTaskIn(ctx, ids, plan.plan);
  if (candidates.length > 1) return askWhichPlan(candidates, ids, (label) => `/deadline ${label} ${args.join(' ')}`, args.length > 1);
  const { loaded, tasks } = candidates[0];
  const keyOf = (id: number) => ({ plan: loaded.plan.id, task: id });
  const store = ctx.services.store;
  const which0 = ctx.services.plans.size > 1 ? `【${planLabel(loaded)}】` : '';

  if (args.length === 1) {
    const lines = tasks.map((t) => {
      const e = store.deadlineEntry(keyOf(t.id));
      const per = Object.entries(e.byDepartment).map(([d, v]) => `${d} ${v}`);
      return `${which0}第${t.id}项：${e.date ?? '未设期限'}${per.length ? `（单独期限：${per.join('，')}）` : ''}`;
    });
    return reply(lines.join('\n'), 'deadline_show', tasks, [], loaded.plan.id);
  }
  if (!canAdminister(ctx.actor)) return NOT_ALLOWED(ctx, '设定期限');

  const clear = /^(?:取消|清除|删除|无|none|clear|-)$/i.test(args[1]);
  const date = clear ? null : parseDate(args[1], today(ctx));
  if (date === undefined) return refuse(`日期「${args[1]}」无法识别，请写成 2026-12-31。`, 'deadline_usage');
  let departments: string[] | undefined;
  if (args.length > 2) {
    const named = leadingDepartment(ctx, args.slice(2).join(''));
    if (!named) return refuse(`不认识的部门「${args.slice(2).join(' ')}」。`, 'deadline_usage');
    departments = named.departments;
    for (const t of tasks) {
      const outside = departments.filter((d) => !t.departments.includes(d));
      if (outside.length) return refuse(`第${t.id}项的责任部门是${t.departments.join('、')}，不包括${outside.join('、')}。`, 'deadline_refused');
    }
  }
  const changes: DeadlineChange[] = tasks.flatMap((t) =>
    departments ? departments.map((d) => ({ task: keyOf(t.id), date, department: d })) : [{ task: keyOf(t.id), date }],
  );
  await store.setDeadlines(changes, auditActorOf(ctx.message));
  const which = which0 + (tasks.length === 1 ? `第${tasks[0].id}项` : `第${ids[0]}–${ids[ids.length - 1]}项（${tasks.length}项）`);
  const whom = departments ? `${departments.join('、')}的` : '';
  const text = date === null ? `已取消${which}${whom}期限。` : `已将${which}${whom}期限设为 ${date}。`;
  return reply(
    `${text}${date ? '\n到期前 7、3、1 天会提醒责任部门，逾期后提醒一次并列入周报。' : ''}`,
    'deadline_set',
    tasks,
    departments ?? [],
    loaded.plan.id,
  );
}
