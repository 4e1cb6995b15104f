import { forCommands, type Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import { auditActorOf } from '../src/core/actor.js';
import { NOT_ALLOWED, canAdminister, exampleTask, coordinatorName, refuse, reply } from './progress-common.js';

const COORDINATOR_WORDS = /^(?:督办|协调|协调员|督办群|协调群|coordinator)$/i;
const LEADERS_WORDS = /^(?:领导|领导群|分管领导|leaders?)$/i;

/** Coordinator only: /bind 部门, /bind 督办, /unbind; /bind alone shows this chat's binding. */
export const bindHandler: Handler<Services> = forCommands(['bind', 'unbind'], async (ctx) => {
  const name = ctx.command.name;
  const { store, loaded, plans } = ctx.services;
  const { channel, chatId } = ctx.message;
  const current = store.bindingFor(channel, chatId);
  const by = auditActorOf(ctx.message);

  if (name === 'bind' && !ctx.command!.args) {
    if (!current) return reply(`本群尚未绑定。协调员可发送「/bind 部门名称」或「/bind 督办」。`, 'bind_show');
    const what = current.role === 'coordinator' ? '协调员督办群' : current.role === 'leaders' ? '领导群（接收第二次督办升级）' : `${current.department}`;
    return reply(`本群已绑定：${what}${current.active ? '' : `（提醒已暂停：${current.inactiveReason ?? ''}）`}。`, 'bind_show', [], current.department ? [current.department] : []);
  }
  if (!canAdminister(ctx.actor)) return NOT_ALLOWED(ctx, name === 'bind' ? '绑定群' : '解除绑定');

  if (name === 'unbind') {
    if (!(await store.unbind(channel, chatId, by))) return reply('本群没有绑定，无需解除。', 'unbind');
    return reply(`已解除本群的绑定${current?.department ? `（${current.department}）` : ''}，此后不再向本群发送提醒。`, 'unbind');
  }

  const arg = ctx.command!.args.trim();
  if (COORDINATOR_WORDS.test(arg)) {
    await store.bind({ channel, chatId, role: 'coordinator', department: undefined }, by);
    return reply(`已将本群设为协调员（${coordinatorName(ctx)}）督办群：可设定期限、绑定部门群、调整提醒，并接收每周逾期汇总。`, 'bind', [], []);
  }
  if (LEADERS_WORDS.test(arg)) {
    await store.bind({ channel, chatId, role: 'leaders', department: undefined }, by);
    return reply('已将本群设为领导群：逾期任务在督办群升级后仍无进展的，将在这里再次提醒（第二次升级）。', 'bind', [], []);
  }
  // A unit of any active plan: the default plan's names first.
  const found = plans.all().map((p) => p.registry.resolveExact(arg));
  const names = found.find((n) => n.length === 1) ?? found.find((n) => n.length > 1) ?? [];
  if (names.length !== 1) {
    const hint = names.length > 1 ? `「${arg}」包含多个部门（${names.join('、')}），请分别绑定。` : `不认识的部门「${arg}」。`;
    return refuse(`${hint}可选：${loaded.registry.names.join('、')}${plans.size > 1 ? ' 等（各方案的责任单位）' : ''}，或「督办」「领导」。`, 'bind_usage');
  }
  const dept = names[0];
  await store.bind({ channel, chatId, role: 'department', department: dept }, by);
  const count = plans.all().reduce((n, p) => n + p.plan.tasks.filter((t) => t.departments.includes(dept)).length, 0);
  return reply(
    `已将本群绑定为${dept}（负责 ${count} 项任务）。本群可报送进展（如「${exampleTask(ctx, dept)} 已完成」），并接收周报和到期、逾期提醒。`,
    'bind',
    [],
    [dept],
  );
});
