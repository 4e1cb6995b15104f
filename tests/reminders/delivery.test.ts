import { defaultTask } from '../helpers/task.js';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService, type ReminderService } from '../../src/reminders/service.js';
import { openStore, type StateStore } from '../../src/state/store.js';
import type { OutboundChannel } from '../../src/core/types.js';
import { coordinatorActor, plan, tempDir } from '../state/helpers.js';
import { fakeChannel, fakeChatServer, waitFor } from './helpers.js';

// Delivery only: nothing is planned from the real clock (on a Monday morning the catch-up would add that week's digest
// for the groups a test binds); rows the tests queue are still sent.
const fast = { ...defaultReminderConfig({ rateWindowMs: 200, retryBaseMs: 20, retryMaxMs: 200, maxAttempts: 4 }), enabled: false };

async function queue(store: StateStore, n: number, chatId = 'g1', channel: OutboundChannel['name'] = 'telegram') {
  for (let i = 1; i <= n; i++) {
    await store.enqueue({ key: `t:${chatId}:${i}`, channel, chatId, department: '总工会', kind: 'notice', period: String(i), text: `消息${i}` });
  }
}

describe('delivering reminders', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(dir?: string) {
    const t = dir ? { dir, cleanup: async () => undefined } : await tempDir();
    const store = await openStore({ dir: t.dir, loaded: plan(), fsync: false });
    cleanups.push(async () => {
      await store.close().catch(() => undefined);
      await t.cleanup();
    });
    return { store, dir: t.dir };
  }

  function service(store: StateStore, channels: OutboundChannel[], config = fast): ReminderService {
    const svc = createReminderService({ store, channels, config, holidays: { days: {} }, random: () => 0.5 });
    cleanups.push(() => svc.stop());
    return svc;
  }

  it('queues per group under the rate limit, in order, without holding up other groups', async () => {
    const { store } = await open();
    const ch = fakeChannel('telegram', { perMinute: 4 }); // 4 per 200 ms window in this test
    await queue(store, 8, 'g1');
    await queue(store, 2, 'g2');
    const svc = service(store, [ch]);
    const t0 = performance.now();
    await svc.start();
    await waitFor(() => ch.sent.length === 10, 5000, 'all sent');
    const g1 = ch.sent.filter((s) => s.chatId === 'g1');
    expect(g1.map((s) => s.text)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `消息${i}`));
    // No 200 ms window carries more than 4 messages to g1.
    for (const s of g1) expect(g1.filter((x) => x.at >= s.at && x.at < s.at + 200).length).toBeLessThanOrEqual(4);
    // g2 was not stuck behind g1's queue.
    const g2Done = Math.max(...ch.sent.filter((s) => s.chatId === 'g2').map((s) => s.at));
    expect(g2Done - t0).toBeLessThan(Math.max(...g1.map((s) => s.at)) - t0);
    expect(store.outbox({ status: 'sent' })).toHaveLength(10);
  });

  it('a restart in the middle of a queue sends the rest once: nothing lost, nothing twice (loopback HTTP platform)', async () => {
    const server = await fakeChatServer();
    cleanups.push(() => server.close());
    const first = await open();
    await queue(first.store, 10, 'g1');
    const svc1 = service(first.store, [server.channel(3)]); // slow: 3 per 200 ms
    await svc1.start();
    await waitFor(() => server.received.length >= 4, 5000, '4 delivered');
    await svc1.stop(); // the process is stopped between two sends
    await first.store.close();

    const second = await open(first.dir);
    expect(second.store.outbox({ status: 'sent' }).length).toBe(server.received.length);
    const svc2 = service(second.store, [server.channel(3)]);
    await svc2.start();
    await waitFor(() => second.store.outbox({ status: 'sent' }).length === 10, 5000, 'all sent after restart');
    expect(server.received.map((r) => r.text)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `消息${i}`));
  });

  it('killed while a send is on the wire: that one message may arrive twice (at-least-once), nothing is lost', async () => {
    const server = await fakeChatServer();
    cleanups.push(() => server.close());
    const first = await open();
    await queue(first.store, 5, 'g1');
    server.hold((b) => b.text === '消息3'); // the platform never answers message 3 before the "crash"
    const svc1 = service(first.store, [server.channel(600)]);
    await svc1.start();
    await waitFor(() => server.received.length === 3, 5000, 'message 3 on the wire');
    expect(first.store.outboxRow('t:g1:3')?.status).toBe('sending'); // claimed on disk before the request
    // Crash: the process dies without finishing; only what is on disk survives.
    await first.store.close();
    server.hold(undefined);

    const second = await open(first.dir);
    const svc2 = service(second.store, [server.channel(600)]);
    await svc2.start();
    await waitFor(() => second.store.outbox({ status: 'sent' }).length === 5, 5000, 'all sent');
    const texts = server.received.map((r) => r.text);
    expect(new Set(texts)).toEqual(new Set([1, 2, 3, 4, 5].map((i) => `消息${i}`)));
    expect(texts.filter((t) => t === '消息3')).toHaveLength(2);
    expect(texts).toHaveLength(6);
    expect(second.store.reminderLog({ rowKey: 't:g1:3' }).map((e) => e.event)).toContain('resumed');
    server.releaseHeld();
  });

  it('a send cut short by a crash 7 times still gets the full retry budget and no longer back-off', async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    const crashy = () => openStore({ dir: t.dir, loaded: plan(), fsync: false, lock: false, dailyBackups: false });
    const first = await crashy();
    await first.enqueue({ key: 'r', channel: 'telegram', chatId: 'g', department: '总工会', kind: 'notice', period: '1', text: '周报' });
    for (let crash = 1; crash <= 7; crash++) {
      const s = await crashy(); // a new process after the crash
      await s.resumeSending();
      expect(await s.claimOutbox('r')).toMatchObject({ status: 'sending', attempts: 0 }); // … and it dies mid-send
    }
    const store = await crashy();
    const before = store.outboxRow('r')!;
    expect(before).toMatchObject({ status: 'sending', attempts: 0 });
    // The platform is busy for three tries (budget: 4), then takes it.
    const ch = fakeChannel('telegram', { respond: (n) => (n <= 3 ? { ok: false, permanent: false, error: 'system busy' } : { ok: true }) });
    const svc = service(store, [ch]);
    await svc.start();
    await waitFor(() => store.outboxRow('r')?.status === 'sent', 5000, 'sent');
    expect(store.outboxRow('r')).toMatchObject({ attempts: 3, interrupted: 7 });
    const retries = store.reminderLog({ rowKey: 'r' }).filter((e) => e.event === 'retry');
    // Back-off after the first real failure is the first step (20 ms ± jitter), not the eighth.
    expect(retries[0].detail).toMatch(/；0 秒后重试/);
    expect(ch.calls).toBe(4);
  });

  it('retries after the platform asks to wait, with backoff, and gives up after the maximum attempts', async () => {
    const { store } = await open();
    const ch = fakeChannel('telegram', {
      respond: (n, chatId) =>
        chatId === 'flaky' && n <= 2
          ? { ok: false, permanent: false, error: 'Too Many Requests', retryAfterMs: 30 }
          : chatId === 'down'
            ? { ok: false, permanent: false, error: '502 Bad Gateway' }
            : { ok: true },
    });
    await store.enqueue({ key: 'flaky', channel: 'telegram', chatId: 'flaky', department: '总工会', kind: 'notice', period: '1', text: 'A' });
    const svc = service(store, [ch]);
    await svc.start();
    await waitFor(() => store.outboxRow('flaky')?.status === 'sent', 5000, 'flaky sent');
    expect(store.outboxRow('flaky')).toMatchObject({ attempts: 2 }); // two failed sends, then delivered
    expect(store.reminderLog({ rowKey: 'flaky' }).map((e) => e.event)).toEqual(['planned', 'retry', 'retry', 'sent']);

    await store.enqueue({ key: 'down', channel: 'telegram', chatId: 'down', department: '总工会', kind: 'notice', period: '1', text: 'B' });
    await svc.tick();
    await waitFor(() => store.outboxRow('down')?.status === 'failed', 5000, 'down failed');
    expect(store.outboxRow('down')).toMatchObject({ attempts: 4, lastError: expect.stringContaining('重试 4 次仍失败') });
  });

  it('a group that removed the bot: the row fails at once, the binding is switched off, the coordinator is told', async () => {
    const { store } = await open();
    await store.bind({ channel: 'telegram', chatId: 'zgh', role: 'department', department: '总工会', title: '总工会群' }, coordinatorActor);
    await store.bind({ channel: 'console', chatId: 'duban', role: 'coordinator', title: '督办群' }, coordinatorActor);
    const tg = fakeChannel('telegram', { respond: () => ({ ok: false, permanent: true, destinationGone: true, error: 'Forbidden: bot was kicked from the group chat' }) });
    const con = fakeChannel('console');
    await store.enqueue({ key: 'dig', channel: 'telegram', chatId: 'zgh', department: '总工会', kind: 'weekly-digest', period: 'W1', text: '周报' });
    const svc = service(store, [tg, con]);
    await svc.start();
    await waitFor(() => con.sent.length === 1, 5000, 'coordinator notice');
    expect(tg.calls).toBe(1);
    expect(store.outboxRow('dig')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(store.bindingFor('telegram', 'zgh')).toMatchObject({ active: false, inactiveReason: expect.stringContaining('kicked') });
    expect(con.sent[0]).toMatchObject({ chatId: 'duban', text: expect.stringContaining('【提醒发送失败】发往总工会「总工会群」的督办周报') });
    // The coordinator can put it back in the queue once the bot is back (the sender is stopped here,
    // so it does not pick the row up again before we look).
    await svc.stop();
    expect(await store.retryOutbox('dig', coordinatorActor)).toBe(true);
    expect(store.outboxRow('dig')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await store.dismissOutbox('dig', coordinatorActor)).toBe(true);
    expect(store.history({ action: ['outbox-retry', 'outbox-dismiss'] })).toHaveLength(2);
  });

  it('a message the platform rejects fails for good, but the group keeps its binding', async () => {
    const { store } = await open();
    await store.bind({ channel: 'telegram', chatId: 'zgh', role: 'department', department: '总工会', title: '总工会群' }, coordinatorActor);
    const tg = fakeChannel('telegram', { respond: () => ({ ok: false, permanent: true, error: 'Bad Request: can\'t parse entities' }) });
    await store.enqueue({ key: 'bad', channel: 'telegram', chatId: 'zgh', department: '总工会', kind: 'notice', period: '1', text: 'x' });
    const svc = service(store, [tg]);
    await svc.start();
    await waitFor(() => store.outboxRow('bad')?.status === 'failed', 5000, 'bad failed');
    expect(tg.calls).toBe(1);
    expect(store.bindingFor('telegram', 'zgh')).toMatchObject({ active: true });
  });

  it('a Telegram group upgraded to a supergroup: binding and message follow the new chat id', async () => {
    const { store } = await open();
    await store.bind({ channel: 'telegram', chatId: '-1', role: 'department', department: '总工会' }, coordinatorActor);
    const tg = fakeChannel('telegram', {
      respond: (_n, chatId) => (chatId === '-1' ? { ok: false, permanent: false, error: 'migrated', migrateToChatId: '-100123' } : { ok: true }),
    });
    await store.enqueue({ key: 'm', channel: 'telegram', chatId: '-1', department: '总工会', kind: 'notice', period: '1', text: 'hi' });
    const svc = service(store, [tg]);
    await svc.start();
    await waitFor(() => store.outboxRow('m')?.status === 'sent', 5000, 'sent');
    expect(tg.sent).toEqual([expect.objectContaining({ chatId: '-100123', text: 'hi' })]);
    expect(store.bindingFor('telegram', '-100123')?.department).toBe('总工会');
  });

  it('a due-soon reminder whose tasks were finished before it went out is skipped', async () => {
    const { store } = await open();
    const dept = plan().plan.tasks.find((t) => t.id === 48)!.departments[0];
    await store.enqueue({ key: 'ds', channel: 'web', chatId: 'x', department: dept, kind: 'due-soon', period: 'd', text: 't', taskIds: [48] });
    await store.setStatus(defaultTask(48), dept, '已完成', undefined, coordinatorActor);
    const web = fakeChannel('web');
    const svc = service(store, [web]);
    await svc.start();
    await waitFor(() => store.outboxRow('ds')?.status === 'skipped', 5000, 'skipped');
    expect(web.sent).toEqual([]);
  });

  it('long digests are split to the channel limit and each part is delivered once', async () => {
    const { store } = await open();
    const ch = { ...fakeChannel('wecom-webhook'), limit: { max: 100, measure: 'bytes' as const } };
    const sent: string[] = [];
    ch.send = async (_c: string, text: string) => {
      sent.push(text);
      return { ok: true };
    };
    const text = Array.from({ length: 12 }, (_, i) => `第${i + 1}行：督办事项内容`).join('\n');
    await store.enqueue({ key: 'long', channel: 'wecom-webhook', chatId: 'k', department: '总工会', kind: 'notice', period: '1', text });
    const svc = service(store, [ch]);
    await svc.start();
    await waitFor(() => store.outboxRow('long')?.status === 'sent', 5000, 'sent');
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.join('\n')).toBe(text);
    expect(store.outboxRow('long')?.partsSent).toBe(sent.length);
  });
});
