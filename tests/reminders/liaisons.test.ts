/**
 * A department's liaisons (联络员) are set by the coordinator from chat and @-mentioned by the department's
 * reminders the way each platform does it: the WeCom robot's mentioned_list / mentioned_mobile_list, the smart
 * bot's <@userid>, Telegram's tg://user text mentions. Checked by the fake servers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/core/bot.js';
import { resolveActor } from '../../src/core/actor.js';
import type { Message } from '../../src/core/types.js';
import type { Services } from '../../src/core/services.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { toInbound } from '../../src/channels/telegram/inbound.js';
import type { PlanRouter } from '../../src/core/plans.js';
import { webhookBody } from '../../src/channels/wecom/webhook.js';
import { coordinatorActor } from '../state/helpers.js';
import { TG_COORD, TG_COURT, startPlatforms, type Platforms } from './platforms.js';

let env: Platforms;
afterEach(async () => env?.cleanup());

function botFor(p: Platforms) {
  const services: Services = { loaded: p.store.plans.first, plans: p.store.plans, store: p.store, qa: {} as PlanRouter, clock: p.clock.now, reminders: p.svc };
  return createBot<Services>({ services, handlers: progressHandlers, resolveActor: (m) => resolveActor(m, p.store), clock: p.clock.now });
}

const inCoordinatorGroup = (text: string, extra: Partial<Message> = {}): Message => ({
  channel: 'telegram',
  chatId: TG_COORD,
  chatType: 'group',
  userId: '9001',
  userName: '王督办',
  text,
  ...extra,
});

describe('liaisons', () => {
  it("the Monday digest @-mentions the court's liaisons on WeCom and on Telegram; a department without one gets it as before", async () => {
    env = await startPlatforms({ start: '2026-12-07T08:00:00', config: { graceMs: 3600_000 } });
    await env.store.setLiaisons(
      '法院',
      [
        { platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' },
        { platform: 'wecom', id: '13800000001', kind: 'mobile', name: '赵六' },
        { platform: 'telegram', id: '2001', kind: 'telegram', name: '李四 <法院>' },
      ],
      coordinatorActor,
    );
    await env.tickAt('2026-12-07T09:50:00');

    const court = env.wecomFake.webhook.get('0a1b2c3d-1111-4bc4-97a0-000000000001')!;
    const digest = court.find((r) => r.body.msgtype === 'text' && r.body.text.content.includes('【督办周报】法院'));
    expect(digest?.body.text).toMatchObject({ mentioned_list: ['zhangsan'], mentioned_mobile_list: ['13800000001'] });

    const tgDigest = env.tg.sent.find((m) => m.chat_id === TG_COURT && m.text.includes('【督办周报】法院'))!;
    expect(tgDigest.mentions).toEqual([{ userId: 2001, name: '李四 <法院>' }]);
    expect(tgDigest.text.split('\n').at(-1)).toBe('联络员：李四 <法院>');

    // 财政 has no liaison: markdown as before, no mention fields.
    const finance = env.wecomFake.webhook.get('0a1b2c3d-2222-4bc4-97a0-000000000002')!;
    expect(finance).toHaveLength(1);
    expect(finance[0].body.msgtype).toBe('markdown');
    expect(finance[0].body.markdown.content).toMatch(/^\*\*【督办周报】\*\*财政/);
    expect(env.wecomFake.webhookErrors).toEqual([]);
  });

  it('the coordinator sets liaisons from chat: a reply to a member on Telegram, an @username seen before, WeCom userids and mobiles; "-" clears', async () => {
    env = await startPlatforms({ start: '2026-12-07T08:00:00' });
    const bot = botFor(env);

    // A Telegram reply: the adapter carries who was replied to.
    const update = env.tg.groupText('/liaison 法院', { chatId: Number(TG_COORD), userId: 9001 }) as { message: Record<string, any> };
    update.message.reply_to_message = {
      message_id: 7,
      date: 0,
      chat: update.message.chat,
      from: { id: 3003, is_bot: false, first_name: '钱', last_name: '七', username: 'qianqi' },
      text: '收到',
    };
    const inbound = toInbound(update.message as never, { me: { id: env.tg.botId, username: env.tg.username }, adminIds: new Set() });
    expect(inbound.kind).toBe('message');
    const fromReply = await bot.handle((inbound as { message: Message }).message);
    expect(fromReply.text).toContain('法院：钱 七（Telegram）');
    expect(env.store.liaisons('法院')).toMatchObject([{ platform: 'telegram', id: '3003', name: '钱 七' }]);

    // @username of someone the bot has seen speak.
    await bot.handle(inCoordinatorGroup('第48项进展如何', { userId: '4004', userName: '孙八', userHandle: 'sunba' }));
    const byHandle = await bot.handle(inCoordinatorGroup('/liaison 法院 @sunba', { mentioned: [{ userHandle: 'sunba' }] }));
    expect(byHandle.text).toContain('孙八（Telegram）');
    const unknown = await bot.handle(inCoordinatorGroup('/liaison 法院 @nobody_here', { mentioned: [{ userHandle: 'nobody_here' }] }));
    expect(unknown.text).toContain('还没见过 @nobody_here');

    // WeCom ids with names, typed by the coordinator.
    const wecom = await bot.handle(inCoordinatorGroup('/liaison 财政 caizheng01 周九 13900000002 吴十'));
    expect(wecom.text).toContain('财政：周九（企业微信 caizheng01）、吴十（企业微信 13900000002）');
    expect(env.store.liaisons('财政').map((l) => [l.kind, l.id])).toEqual([
      ['userid', 'caizheng01'],
      ['mobile', '13900000002'],
    ]);

    // Listing, clearing, and refusal for a department group.
    expect((await bot.handle(inCoordinatorGroup('/liaison'))).text).toMatch(/法院：钱 七（Telegram）、孙八（Telegram）/);
    expect((await bot.handle(inCoordinatorGroup('/liaison 财政 -'))).text).toContain('已清除财政的联络员');
    expect(env.store.liaisons('财政')).toEqual([]);
    const refused = await bot.handle({ ...inCoordinatorGroup('/liaison 法院 zhangsan'), chatId: TG_COURT });
    expect(refused.text).toContain('只有协调员');
    expect(env.store.history({ action: 'liaison' }).length).toBe(4);
  });

  it('a reminder too long for a WeCom text message goes as markdown with <@userid>, and the fake robot takes it', async () => {
    env = await startPlatforms({ start: '2026-12-07T08:00:00' });
    const long = `【督办周报】法院\n${'· 第1项 加强调解员队伍建设（截止12月31日，还有24天）\n'.repeat(40)}`;
    const body = webhookBody(long, [
      { platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' },
      { platform: 'wecom', id: '13800000001', kind: 'mobile', name: '赵六' },
    ]);
    expect(body.msgtype).toBe('markdown');
    const content = (body.markdown as { content: string }).content;
    expect(content.endsWith('\n联络员：<@zhangsan> 赵六')).toBe(true);
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    expect(await env.wecom.webhook.send(env.courtHook, long, { mentions: [{ platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' }] })).toMatchObject({ ok: true });
    expect(env.wecomFake.webhookErrors).toEqual([]);
  });

  it('/bind 领导 makes a chat the leaders\' chat for second-step escalations', async () => {
    env = await startPlatforms({ start: '2026-12-07T08:00:00' });
    const bot = botFor(env);
    const r = await bot.handle(inCoordinatorGroup('/bind 领导', { chatId: '-4009', trusted: { admin: true } }));
    expect(r.text).toContain('已将本群设为领导群');
    expect(env.store.leadersBindings()).toMatchObject([{ channel: 'telegram', chatId: '-4009', role: 'leaders' }]);
    expect((await bot.handle(inCoordinatorGroup('/bind', { chatId: '-4009' }))).text).toContain('领导群');
  });

  it("the smart bot's proactive reminder mentions the liaison with <@userid>", async () => {
    const { createBotWs } = await import('../../src/channels/wecom/bot-ws.js');
    const { startFakeWecom } = await import('../fakes/wecom-server.js');
    const { pino } = await import('pino');
    const fake = await startFakeWecom({ bots: [{ botId: 'aibLiaison', secret: 's' }] });
    const ws = createBotWs({
      config: { botId: 'aibLiaison', secret: 's', wsUrl: fake.wsUrl },
      bot: { name: '督办助手' } as never,
      common: { adminUserIds: new Set(), dedupeTtlMs: 60_000 } as never,
      handler: { handle: async () => ({ text: '好', intent: 'x', tasks: [], departments: [] }) },
      dedupe: { rememberOnce: async () => true },
      log: pino({ level: 'silent' }),
      reconnectBaseMs: 50,
    });
    try {
      await ws.start();
      await fake.waitForReply(fake.pushMessage({ chattype: 'group', chatid: 'wrCourt', userid: 'zhangsan', text: '@督办助手 你好' }));
      const r = await ws.outbound.send('wrCourt', '【已逾期】法院：1 项任务已超过期限', {
        mentions: [
          { platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' },
          { platform: 'wecom', id: '13800000001', kind: 'mobile', name: '赵六' },
          { platform: 'telegram', id: '2001', kind: 'telegram', name: '李四' },
        ],
      });
      expect(r.ok).toBe(true);
      const frame = fake.frames.find((f) => f.cmd === 'aibot_send_msg')!;
      expect(frame.body?.markdown.content).toBe('**【已逾期】**法院：1 项任务已超过期限\n联络员：<@zhangsan> 赵六');
    } finally {
      await ws.stop();
      await fake.close();
    }
  });
});
