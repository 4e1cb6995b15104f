import { forCommands, type Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import { auditActorOf } from '../src/core/actor.js';
import type { LoadedPlan } from '../src/plan/load.js';
import { namedPlan, planLabel } from './plan-choice.js';
import { canAdminister, refuse, reply, type Ctx } from './progress-common.js';

const CLEAR = /^(?:取消|清除|无|none|clear|-)$/i;

/** 「2」, 「p2」, the short name or the title: one of the active plans. */
function pickPlan(ctx: Ctx, arg: string): LoadedPlan | undefined {
  const plans = ctx.services.plans.all();
  const n = /^\d{1,2}$/.test(arg) ? Number(arg) : undefined;
  if (n !== undefined && n >= 1 && n <= plans.length) return plans[n - 1];
  const exact = plans.find((p) => p.plan.id === arg.toLowerCase() || planLabel(p) === arg || p.plan.title === arg);
  return exact ?? namedPlan(ctx, arg).plan;
}

/** /plan: the active plans and this chat's default plan; /plan <简称|编号|序号> sets it, /plan 取消 clears it. */
export const planCommandHandler: Handler<Services> = forCommands(['plan'], async (ctx) => {
  const { store, plans } = ctx.services;
  const { channel, chatId } = ctx.message;
  const current = plans.get(store.chatPlan(channel, chatId) ?? '');
  const arg = ctx.command.args.trim();

  if (!arg) {
    const lines = [
      `有效的方案 ${plans.size} 个${plans.size > 1 ? `（本群默认：${current ? `【${planLabel(current)}】` : '未设定'}）` : ''}：`,
      ...plans.all().map((p, i) => `${i + 1}. 【${planLabel(p)}】${p.plan.title}（编号 ${p.plan.id}，${p.plan.tasks.length}项任务）`),
    ];
    if (plans.size > 1) {
      const first = planLabel(plans.all()[1]);
      lines.push(`发送「/plan ${first}」（或序号、编号）把它设为本群的默认方案：之后本群的「5 已完成」「第5项进展如何」都指它的任务；「/plan 取消」恢复按部门判断。也可以在消息前写方案简称，如「${first} 5 已完成」。`);
    }
    return reply(lines.join('\n'), 'plan_list');
  }
  // A chat's default plan changes how its members' task numbers are read: the chat's own department, the coordinator or an administrator sets it.
  if (!ctx.actor.department && !canAdminister(ctx.actor)) {
    return refuse('只有已绑定部门的群、协调员或管理员可以设定本群的默认方案。', 'plan_refused');
  }
  const by = auditActorOf(ctx.message);
  if (CLEAR.test(arg)) {
    if (!current) return reply('本群没有设定默认方案。', 'plan_clear');
    await store.setChatPlan(channel, chatId, null, by);
    return reply(`已取消本群的默认方案（原为【${planLabel(current)}】）。任务编号按本群部门负责的方案判断，两个方案都有时会先问您。`, 'plan_clear');
  }
  const chosen = pickPlan(ctx, arg);
  if (!chosen) {
    return refuse(`没有找到方案「${arg}」。可选：${plans.all().map((p, i) => `${i + 1}.【${planLabel(p)}】`).join(' ')}（发送 /plan 查看）。`, 'plan_usage');
  }
  await store.setChatPlan(channel, chatId, chosen.plan.id, by);
  return reply(`已将本群的默认方案设为【${planLabel(chosen)}】${chosen.plan.title}（${chosen.plan.tasks.length}项任务）。本群发送的任务编号都指这个方案的任务；其他方案的任务请在编号前写方案简称。`, 'plan_set');
});
