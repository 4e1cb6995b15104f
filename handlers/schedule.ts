import { forCommands, type Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import { auditActorOf } from '../src/core/actor.js';
import { COORDINATOR_KEY } from '../src/state/store.js';
import type { ScheduleOverride } from '../src/state/types.js';
import { WEEKDAY_NAMES, parseTime, parseWeekday } from '../src/reminders/time.js';
import { NOT_ALLOWED, canAdminister, formatTime, refuse, reply, type Ctx } from './progress-common.js';

/** How /schedule is used, with a unit of the loaded plan as the example. */
function usage(ctx: Ctx): string {
  const unit = ctx.services.loaded.registry.names[0] ?? '某部门';
  return [
    '用法（协调员）：',
    '/schedule — 查看各部门提醒时间',
    `/schedule ${unit} — 查看一个部门`,
    `/schedule ${unit} 周报 周二 09:10 — 每周周报（该周第一个工作日起）`,
    `/schedule ${unit} 到期 09:20 7,3,1 — 到期前提醒的时间和天数`,
    `/schedule ${unit} 逾期 关 — 关闭逾期提醒（开/关）`,
    '/schedule 督办 汇总 周一 09:40 — 协调员的每周逾期汇总',
    `/schedule ${unit} 默认 — 恢复默认设置`,
  ].join('\n');
}

type Part = 'weeklyDigest' | 'dueSoon' | 'overdue' | 'overdueSummary';
const PARTS: Array<[RegExp, Part]> = [
  [/^(?:weekly-digest|weekly|digest|周报|每周汇总|周汇总)$/i, 'weeklyDigest'],
  [/^(?:due-soon|due|到期|临期|到期提醒|即将到期)$/i, 'dueSoon'],
  [/^(?:overdue|逾期|逾期提醒)$/i, 'overdue'],
  [/^(?:overdue-summary|summary|汇总|逾期汇总)$/i, 'overdueSummary'],
];
const ON = /^(?:on|开|开启|打开|启用)$/i;
const OFF = /^(?:off|关|关闭|停用|停止)$/i;
const RESET = /^(?:reset|默认|恢复默认|重置)$/i;
const COORD = /^(?:督办|协调|协调员|coordinator)$/i;

function describe(ctx: Ctx, dept: string): string {
  const svc = ctx.services.reminders;
  if (!svc) return `${dept}：提醒服务未启动`;
  const v = svc.describeSchedule(dept, 1);
  const s = v.schedule;
  const parts = [
    s.weeklyDigest.enabled ? `周报 ${WEEKDAY_NAMES[s.weeklyDigest.weekday]} ${v.times.weeklyDigest}` : '周报 关',
    s.dueSoon.enabled ? `到期提醒 ${v.times.dueSoon}（提前 ${s.dueSoon.days.join('、')} 天）` : '到期提醒 关',
    s.overdue.enabled ? `逾期提醒 ${v.times.overdue}` : '逾期提醒 关',
  ];
  const next = v.nextDigests[0] ? `；下次周报 ${formatTime(v.nextDigests[0], ctx)}` : '';
  return `${dept}：${parts.join('，')}${next}`;
}

function describeCoordinator(ctx: Ctx): string {
  const svc = ctx.services.reminders;
  if (!svc) return '督办：提醒服务未启动';
  const c = svc.describeCoordinatorSchedule(1);
  return c.slot.enabled
    ? `督办群逾期汇总：${WEEKDAY_NAMES[c.slot.weekday]} ${c.time}${c.next[0] ? `；下次 ${formatTime(c.next[0], ctx)}` : ''}`
    : '督办群逾期汇总：关';
}

/** Coordinator only: view or change a department's reminder schedule. */
export const scheduleHandler: Handler<Services> = forCommands(['schedule'], async (ctx) => {
  if (!canAdminister(ctx.actor)) return NOT_ALLOWED(ctx, '查看和调整提醒设置');
  const { store, loaded } = ctx.services;
  const args = ctx.command.args.split(/\s+/).filter(Boolean);
  const foot = '只在工作日（含调休上班日）发送；各部门在设定时间后错开几分钟，避开整点和半点。';

  if (args.length === 0) {
    const lines = ['提醒设置：', ...loaded.registry.names.map((d) => describe(ctx, d)), describeCoordinator(ctx), foot, '修改：/schedule help'];
    return reply(lines.join('\n'), 'schedule_show', [], loaded.registry.names);
  }
  if (/^(?:help|帮助|\?)$/i.test(args[0])) return reply(usage(ctx), 'schedule_usage');

  const coordinator = COORD.test(args[0]);
  const names = coordinator ? [] : loaded.registry.resolveExact(args[0]);
  if (!coordinator && names.length !== 1) return refuse(`不认识的部门「${args[0]}」。\n${usage(ctx)}`, 'schedule_usage');
  const key = coordinator ? COORDINATOR_KEY : names[0];
  const show = () => (coordinator ? describeCoordinator(ctx) : describe(ctx, key));
  if (args.length === 1) return reply(show(), 'schedule_show', [], names);

  const by = auditActorOf(ctx.message);
  if (RESET.test(args[1])) {
    await store.setSchedule(key, null, by);
    return reply(`已恢复默认设置。\n${show()}`, 'schedule_set', [], names);
  }
  // One or more "<part> <values…>" groups: /schedule 总工会 周报 周二 09:10 到期 09:20 7,3,1
  const patches: Partial<Record<Part, Record<string, unknown>>> = {};
  let part: Part | undefined;
  for (const a of args.slice(1)) {
    const next = PARTS.find(([re]) => re.test(a))?.[1];
    if (next) {
      if ((next === 'overdueSummary') !== coordinator) return refuse(`${coordinator ? '督办群只有「汇总」可设置' : '「汇总」只用于督办群'}。\n${usage(ctx)}`, 'schedule_usage');
      part = next;
      patches[part] ??= {};
      continue;
    }
    if (!part) return refuse(`请先写明要调整哪种提醒（周报、到期、逾期${coordinator ? '、汇总' : ''}）。\n${usage(ctx)}`, 'schedule_usage');
    const patch = patches[part]!;
    const time = parseTime(a);
    const weekday = parseWeekday(a);
    if (ON.test(a)) patch.enabled = true;
    else if (OFF.test(a)) patch.enabled = false;
    else if (time) {
      patch.time = time;
      patch.enabled ??= true;
    } else if (weekday && (part === 'weeklyDigest' || part === 'overdueSummary')) patch.weekday = weekday;
    else if (/^\d{1,2}(?:[,，、]\d{1,2})*$/.test(a) && part === 'dueSoon') {
      const days = a.split(/[,，、]/).map(Number);
      if (days.some((d) => d > 60)) return refuse('提前天数应在 0–60 之间。', 'schedule_usage');
      patch.days = [...new Set(days)].sort((x, y) => y - x);
    } else return refuse(`无法识别「${a}」。\n${usage(ctx)}`, 'schedule_usage');
  }
  const changed = Object.fromEntries(Object.entries(patches).filter(([, v]) => v && Object.keys(v).length > 0));
  if (Object.keys(changed).length === 0) return reply(show(), 'schedule_show', [], names);
  await store.setSchedule(key, changed as ScheduleOverride, by);
  return reply(`已更新。\n${show()}\n${foot}`, 'schedule_set', [], names);
});
