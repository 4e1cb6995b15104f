/** Helpers shared by the progress, deadline, binding and schedule handlers. */
import type { Actor, BotContext } from '../src/core/context.js';
import type { Reply } from '../src/core/types.js';
import type { Services } from '../src/core/services.js';
import { parseChineseNumber } from '../src/core/chinese-numerals.js';
import type { Task } from '../src/plan/types.js';
import type { ProgressStatus } from '../src/state/types.js';
import { dateKey } from '../src/reminders/time.js';
import { taskReference } from '../src/plan/names.js';

export type Ctx = BotContext<Services>;

/** A reply about tasks of one plan (`plan`: its id, carried by each task as the JSON contract says). */
export function reply(text: string, intent: string, tasks: Task[] = [], departments: string[] = [], plan?: string): Reply {
  return {
    text,
    intent,
    tasks: tasks.map((t) => ({ ...(plan ? { plan } : {}), id: t.id, departments: [...t.departments], score: 1 })),
    departments,
  };
}

export const refuse = (text: string, intent = 'refused') => reply(text, intent);

/** Coordinator chats and administrators set deadlines, bindings and schedules. */
export const canAdminister = (a: Actor) => a.coordinator || a.admin;

export function coordinatorName(ctx: Ctx): string {
  return ctx.services.loaded.registry.coordinator;
}

export const NOT_ALLOWED = (ctx: Ctx, what: string) =>
  refuse(`只有协调员（${coordinatorName(ctx)}督办群）或管理员可以${what}。`);

export function timeZone(ctx: Ctx): string {
  return ctx.services.reminders?.config.timeZone ?? 'Asia/Shanghai';
}

export function today(ctx: Ctx): string {
  return dateKey(ctx.now, timeZone(ctx));
}

/**
 * A department's task for examples, as the reader would write it (「48」, or 「<方案简称> 48」 with several plans
 * active): its first unfinished task, else its first task; undefined when no plan gives it one.
 */
export function departmentExampleTask(services: Pick<Services, 'store' | 'plans'>, department: string): string | undefined {
  const { store, plans } = services;
  const ref = (plan: string, task: number) => taskReference(plans.all().map((l) => l.plan), plan, task);
  const open = store.rows({ department }).find((r) => r.status !== '已完成');
  if (open) return ref(open.plan, open.taskId);
  for (const l of plans.all()) {
    const own = l.plan.tasks.find((t) => t.departments.includes(department));
    if (own) return ref(l.plan.id, own.id);
  }
  return undefined;
}

/** A task for examples in replies: the chat's department's (departmentExampleTask), else the first plan's first. */
export function exampleTask(ctx: Ctx, department = ctx.actor.department): string {
  const { plans } = ctx.services;
  return (
    (department && departmentExampleTask(ctx.services, department)) ||
    taskReference(plans.all().map((l) => l.plan), plans.first.plan.id, plans.first.plan.tasks[0]?.id ?? 1)
  );
}

/** A task of one plan as the reader would write it: 「48」, or 「<方案简称> 48」 with several plans active. */
export const taskMention = (ctx: Ctx, plan: string, task: number): string => taskReference(ctx.services.plans.all().map((l) => l.plan), plan, task);

/** "48" / "四十八" / "第48项" → 48. */
export function parseNumber(s: string): number | undefined {
  const t = s.normalize('NFKC').replace(/^第/, '').replace(/[项号条]$/, '').trim();
  if (/^\d{1,6}$/.test(t)) return Number(t);
  return parseChineseNumber(t);
}

const STATUS_WORDS: Array<[RegExp, ProgressStatus]> = [
  [/^(?:已经?完成|已办结|已经办结|办结|完成|已结束|(?:已经?)?(?:做完|办完|干完|弄完|搞完|搞定)|done)$/i, '已完成'],
  [/^(?:进行中|推进中|在办|正在办理?|办理中|正在推进|在推进|正在进行|正?在做|正?在弄|正?在搞|doing)$/i, '进行中'],
  [/^(?:(?:退回|改回|改为|恢复为?)?(?:未开始|尚未开始|没开始|还没开始|还未开始|还没有开始)|todo)$/i, '未开始'],
];
export const STATUS_PATTERN = '已经?完成|已办结|已经办结|办结|完成|已结束|(?:已经?)?(?:做完|办完|干完|弄完|搞完|搞定)|进行中|推进中|在办|正在办理?|办理中|正在推进|在推进|正在进行|正?在做|正?在弄|正?在搞|(?:退回|改回|改为|恢复为?)?(?:未开始|尚未开始|没开始|还没开始|还未开始|还没有开始)|[Dd]one|[Dd]oing';

export function parseStatus(word: string): ProgressStatus | undefined {
  return STATUS_WORDS.find(([re]) => re.test(word.trim()))?.[1];
}

/** A department name or alias (of any active plan; the longest that fits) at the start of the text. */
export function leadingDepartment(ctx: Ctx, text: string): { departments: string[]; rest: string } | undefined {
  const t = text.trim();
  let best: { form: string; names: string[] } | undefined;
  for (const l of ctx.services.plans.all()) {
    const hit = l.registry.surfaceForms().find(({ form }) => t.startsWith(form));
    if (hit && (!best || hit.form.length > best.form.length)) best = hit;
  }
  return best && { departments: best.names, rest: t.slice(best.form.length).replace(/^[\s,，:：]+/, '') };
}

/** "2026-12-31", "2026/12/31", "2026年12月31日", "12月31日" (the next such date) → YYYY-MM-DD. */
export function parseDate(s: string, todayKey: string): string | undefined {
  const t = s.normalize('NFKC').trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  let y: number;
  let mo: number;
  let d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
    if (!m) return undefined;
    [mo, d] = [Number(m[1]), Number(m[2])];
    y = Number(todayKey.slice(0, 4));
    const candidate = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (candidate < todayKey) y++;
  }
  const key = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const check = new Date(`${key}T00:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().slice(0, 10) === key ? key : undefined;
}

export function formatTime(iso: string | undefined, ctx: Ctx): string {
  if (!iso) return '';
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: timeZone(ctx),
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return parts;
}
