import { forCommands, type Handler } from '../src/core/context.js';
import type { Services } from '../src/core/services.js';
import type { Message } from '../src/core/types.js';
import { auditActorOf } from '../src/core/actor.js';
import type { Liaison } from '../src/state/types.js';
import { liaisonLabel } from '../src/reminders/report.js';
import { NOT_ALLOWED, canAdminister, refuse, reply } from './progress-common.js';

/** Usage with a department of the loaded plan as the example. */
function usage(dept: string): string {
  return [
    '用法（协调员）：',
    '/liaison — 查看各部门联络员',
    `/liaison ${dept} — 查看一个部门；在 Telegram 里回复某人的消息发送，则把他设为联络员`,
    `/liaison ${dept} @某人 — Telegram：提及群成员（需曾在群里发过言）`,
    `/liaison ${dept} zhangsan 张三 — 企业微信 userid（后面可写姓名）`,
    `/liaison ${dept} 13800000000 张三 — 企业微信手机号`,
    `/liaison ${dept} - — 清除该部门的联络员`,
  ].join('\n');
}

const CLEAR = /^(?:-|—|清除|清空|删除|clear|none)$/i;
const MOBILE = /^1\d{10}$/;
const USERID = /^[A-Za-z0-9_.@-]{1,64}$/;

type NewLiaison = Omit<Liaison, 'at' | 'by'>;

/** The people a /liaison message names: the replied-to member, text mentions, @usernames seen before, WeCom ids. */
function peopleOf(message: Message, args: string[], ctx: Parameters<Handler<Services>>[0]): NewLiaison[] | { error: string } {
  const out: NewLiaison[] = [];
  const telegram = message.channel === 'telegram';
  if (telegram && args.length === 0 && message.replyTo) {
    return [{ platform: 'telegram', id: message.replyTo.userId, kind: 'telegram', name: message.replyTo.userName ?? message.replyTo.userHandle }];
  }
  for (const m of message.mentioned ?? []) {
    if (m.userId) out.push({ platform: 'telegram', id: m.userId, kind: 'telegram', name: m.userName });
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = args[i + 1];
    const name = next && !USERID.test(next) && !next.startsWith('@') ? next : undefined;
    if (telegram && a.startsWith('@')) {
      const seen = ctx.services.store.person('telegram', a.slice(1));
      if (!seen) return { error: `还没见过 ${a}：请让他在群里发一条消息，或回复他的消息发送「/liaison 部门」。` };
      out.push({ platform: 'telegram', id: seen.id, kind: 'telegram', name: seen.name ?? seen.handle });
      continue;
    }
    const id = a.replace(/^@/, '');
    if (MOBILE.test(id)) out.push({ platform: 'wecom', id, kind: 'mobile', name });
    else if (USERID.test(id)) out.push({ platform: 'wecom', id, kind: 'userid', name });
    else if (out.length && !out[out.length - 1].name) {
      out[out.length - 1].name = a;
      continue;
    } else return { error: `无法识别「${a}」：企业微信请写 userid 或手机号，Telegram 请 @ 群成员或回复他的消息。` };
    if (name) i++;
  }
  return out;
}

function describe(dept: string, list: Liaison[]): string {
  return `${dept}：${list.length ? list.map(liaisonLabel).join('、') : '未设联络员'}`;
}

/** Coordinator only: /liaison [部门] [人…|-] — the people a department's reminders @-mention. */
export const liaisonHandler: Handler<Services> = forCommands(['liaison'], async (ctx) => {
  if (!canAdminister(ctx.actor)) return NOT_ALLOWED(ctx, '设置联络员');
  const { store, loaded } = ctx.services;
  const args = ctx.command.args.split(/\s+/).filter(Boolean);
  const USAGE = usage(loaded.registry.names.find((d) => d !== loaded.registry.coordinator) ?? loaded.registry.names[0]);
  if (args.length === 0) {
    const lines = ['各部门联络员（提醒时 @ 他们）：', ...loaded.registry.names.map((d) => describe(d, store.liaisons(d))), '设置：/liaison help'];
    return reply(lines.join('\n'), 'liaison_show', [], loaded.registry.names);
  }
  if (/^(?:help|帮助|\?)$/i.test(args[0])) return reply(USAGE, 'liaison_usage');
  const names = loaded.registry.resolveExact(args[0]);
  if (names.length !== 1) return refuse(`不认识的部门「${args[0]}」。可选：${loaded.registry.names.join('、')}。\n${USAGE}`, 'liaison_usage');
  const dept = names[0];
  const rest = args.slice(1);
  const by = auditActorOf(ctx.message);
  if (rest.length === 1 && CLEAR.test(rest[0])) {
    await store.setLiaisons(dept, [], by);
    return reply(`已清除${dept}的联络员，此后提醒不再 @ 任何人。`, 'liaison_set', [], [dept]);
  }
  if (rest.length === 0 && !ctx.message.replyTo && !ctx.message.mentioned?.length) return reply(describe(dept, store.liaisons(dept)), 'liaison_show', [], [dept]);
  const people = peopleOf(ctx.message, rest, ctx);
  if ('error' in people) return refuse(people.error, 'liaison_usage');
  if (people.length === 0) return refuse(USAGE, 'liaison_usage');
  // Added to the department's list; the same person (platform + id) is replaced, so a name can be corrected.
  const merged = store.liaisons(dept).filter((l) => !people.some((p) => p.platform === l.platform && p.id === l.id));
  const next = await store.setLiaisons(dept, [...merged, ...people], by);
  return reply(`已设置。${describe(dept, next)}\n${dept}的提醒将 @ 这些联络员；清除请发送「/liaison ${dept} -」。`, 'liaison_set', [], [dept]);
});
