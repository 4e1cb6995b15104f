/**
 * An overdue task without a progress update climbs: after 3 workdays to the coordinator's group, after 3 more
 * to the leaders' chat — each step once, across restarts — and a progress update stops the climb.
 * Real outbox, fake WeCom and Telegram servers, hand-moved clock, the real workday calendar.
 */
import { defaultTask } from '../helpers/task.js';
import { afterEach, describe, expect, it } from 'vitest';
import { coordinatorActor, plan } from '../state/helpers.js';
import { TG_COORD, TG_LEADERS, startPlatforms, type Platforms } from './platforms.js';

let env: Platforms;
afterEach(async () => env?.cleanup());

const court = () => plan().plan.tasks.find((t) => t.departments.includes('法院'))!;
const KEY_COORD = '0a1b2c3d-3333-4bc4-97a0-000000000003';

function escalations(p: Platforms, chatId: string) {
  return p.tg.sent.filter((m) => m.chat_id === chatId && m.text.includes('【督办升级'));
}
function wecomEscalations(p: Platforms) {
  return (p.wecomFake.webhook.get(KEY_COORD) ?? []).filter((r) => JSON.stringify(r.body).includes('【督办升级'));
}

async function overdueCourtTask(): Promise<number> {
  env = await startPlatforms({ start: '2026-12-03T08:00:00', config: { graceMs: 3600_000 } });
  const id = court().id;
  // Due Tuesday 1 December; nobody reports anything.
  await env.store.setDeadline(defaultTask(id), '2026-12-01', '法院', coordinatorActor);
  await env.store.setLiaisons('法院', [{ platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' }], coordinatorActor);
  return id;
}

describe('escalation of an overdue task', () => {
  it('goes to the coordinator after 3 workdays, once even across a restart, and to the leaders after 3 more', async () => {
    const id = await overdueCourtTask();
    await env.tickAt('2026-12-03T10:40:00'); // 2 workdays overdue
    expect(escalations(env, TG_COORD)).toHaveLength(0);

    await env.tickAt('2026-12-04T10:40:00'); // Friday: the third workday
    const [first] = escalations(env, TG_COORD);
    expect(first.text.split('\n')[0]).toBe(`【督办升级】法院 第${id}项`);
    expect(first.text).toContain('已连续 3 个工作日没有进展更新');
    expect(first.text).toContain('联络员：张三（企业微信 zhangsan）');
    expect(wecomEscalations(env)).toHaveLength(1);

    await env.restart();
    await env.tickAt('2026-12-04T11:30:00');
    await env.tickAt('2026-12-07T10:40:00'); // the weekend does not count: 4 workdays
    expect(escalations(env, TG_COORD)).toHaveLength(1);
    expect(wecomEscalations(env)).toHaveLength(1);
    const keys = env.store.outbox({ kind: 'escalation' }).map((r) => r.key);
    expect(keys.every((k) => k.startsWith(`法院:escalation:T${id}|L1|2026-12-01@`))).toBe(true);

    // No leaders' chat yet: the second step waits for one.
    await env.store.bind({ channel: 'telegram', chatId: TG_LEADERS, role: 'leaders', title: '分管领导群' }, coordinatorActor);
    await env.tickAt('2026-12-08T10:40:00');
    expect(escalations(env, TG_LEADERS)).toHaveLength(0);
    await env.tickAt('2026-12-09T10:40:00'); // 6 workdays
    const [second] = escalations(env, TG_LEADERS);
    expect(second.text.split('\n')[0]).toBe(`【督办升级·领导】法院 第${id}项（第二次升级）`);
    await env.restart();
    await env.tickAt('2026-12-10T10:40:00');
    expect(escalations(env, TG_LEADERS)).toHaveLength(1);
    expect(escalations(env, TG_COORD)).toHaveLength(1);
  });

  it('a progress update stops it: no leaders step, and a new count starts from the update', async () => {
    const id = await overdueCourtTask();
    await env.store.bind({ channel: 'telegram', chatId: TG_LEADERS, role: 'leaders' }, coordinatorActor);
    await env.tickAt('2026-12-04T10:40:00');
    expect(escalations(env, TG_COORD)).toHaveLength(1);

    env.clock.set('2026-12-07T09:00:00+08:00');
    await env.store.setStatus(defaultTask(id), '法院', '进行中', '已召开专题会议', { channel: 'telegram', chatId: '-4001', userId: '2001' });
    await env.tickAt('2026-12-09T10:40:00'); // would have been the leaders' step
    expect(escalations(env, TG_LEADERS)).toHaveLength(0);
    expect(escalations(env, TG_COORD)).toHaveLength(1);

    await env.tickAt('2026-12-10T10:40:00'); // 3 workdays after the update without another one
    const again = escalations(env, TG_COORD);
    expect(again).toHaveLength(2);
    expect(again[1].text).toContain('自12月7日更新后已连续 3 个工作日没有进展更新（当前状态：进行中）');
  });

  it('an escalation still queued when the department reports is not sent', async () => {
    const id = await overdueCourtTask();
    // The coordinator's chats are unreachable for now: the escalation waits in the outbox.
    env.tg.hook = (c) => (c.method === 'sendMessage' && c.params.chat_id === TG_COORD ? { error_code: 502, description: 'Bad Gateway' } : undefined);
    await env.store.unbind('wecom-webhook', env.coordHook, coordinatorActor);
    env.clock.set('2026-12-04T10:40:00+08:00');
    await env.svc.tick(env.clock.now());
    await env.tg.waitForCall('sendMessage', (c) => c.params.chat_id === TG_COORD);
    expect(env.store.outbox({ kind: 'escalation' })).toMatchObject([{ status: 'pending', attempts: 0 }]);
    await env.store.setStatus(defaultTask(id), '法院', '已完成', undefined, { channel: 'cli', name: '法院联络员' });
    env.tg.hook = undefined;
    env.clock.set('2026-12-04T11:40:00+08:00');
    await env.svc.tick(env.clock.now());
    await expect.poll(() => env.store.outbox({ kind: 'escalation' })[0]?.status, { timeout: 10_000 }).toBe('skipped');
    expect(escalations(env, TG_COORD)).toHaveLength(0);
    expect(env.tg.sent.filter((m) => m.chat_id === TG_COORD).map((m) => m.text.split('\n')[0])).toEqual(['【逾期汇总】2026年第49周（12月4日）']);
  });
});
