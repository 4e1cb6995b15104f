/** The whole server (startServer) with Telegram enabled against the fake Bot API: the README's steps, end to end. */
import { defaultTask } from '../helpers/task.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../../src/server/start.js';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';

const ADMIN = 900001;
const GROUP = -100500;
let api: FakeBotApi;
let dir: string;
let now = new Date('2026-12-07T10:00:00+08:00'); // a Monday, after the 09:1x digests
const clock = () => now;
let running: Running;

const env = () => ({
  PORT: '0',
  DATA_DIR: dir,
  TELEGRAM_BOT_TOKEN: api.token,
  TELEGRAM_API_ROOT: api.apiRoot,
  TELEGRAM_ADMIN_IDS: String(ADMIN),
});

beforeAll(async () => {
  api = await startFakeBotApi();
  dir = await mkdtemp(path.join(tmpdir(), 'tg-server-'));
  running = await startServer({ env: env(), scheduler: false, clock });
});

afterAll(async () => {
  await running?.close();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a Telegram group bound to 法院, inside the whole server', () => {
  it('an admin binds the group, and questions are answered in private and in the group', async () => {
    api.pushUpdate(api.groupText('/bind@duban_bot 法院', { chatId: GROUP, userId: ADMIN, title: '法院督办群' }));
    await api.waitForSent((m) => m.chat_id === String(GROUP) && m.text.includes('法院'));
    expect(running.store.bindingFor('telegram', String(GROUP))).toMatchObject({ department: '法院', active: true });

    api.pushUpdate(api.privateText('谁负责调解员培训?', { chatId: 4242, userId: 4242 }));
    expect((await api.waitForSent((m) => m.chat_id === '4242')).text).toContain('第48项');

    const before = api.sent.length;
    api.pushUpdate(api.groupText('/done@duban_bot 48 已完成全市调解员轮训', { chatId: GROUP, userId: 777 }));
    const reply = await api.waitForSent((m) => m.chat_id === String(GROUP) && api.sent.indexOf(m) >= before);
    expect(reply.text).toContain('第48项');
    expect(running.store.statusOf(defaultTask(48), '法院')).toBe('已完成');
    expect(running.store.statusOf(defaultTask(48), '人社')).toBe('未开始');
  });

  it('the group receives its weekly digest exactly once, even across a restart', async () => {
    const digests = () => api.sent.filter((m) => m.chat_id === String(GROUP) && m.text.includes('督办周报'));
    await running.reminders.start();
    await running.reminders.tick(now);
    await running.reminders.idle(10_000);
    expect(digests()).toHaveLength(1);
    expect(digests()[0].text).toContain('法院');

    await running.close();
    now = new Date(now.getTime() + 3 * 60_000);
    running = await startServer({ env: env(), scheduler: false, clock });
    await running.reminders.start();
    await running.reminders.tick(now);
    await running.reminders.idle(10_000);
    expect(digests()).toHaveLength(1);
  });
});
