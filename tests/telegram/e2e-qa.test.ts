/**
 * End to end: real telegraf (polling) against the fake Bot API, the real Bot from src/core/bot.ts,
 * the real QA engine and ask handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/core/bot.js';
import { loadPlan } from '../../src/plan/load.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import { askHandler } from '../../handlers/ask.js';
import { createTelegram, type TelegramChannel } from '../../src/channels/telegram/index.js';
import { readTelegramConfig } from '../../src/channels/telegram/config.js';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';

let api: FakeBotApi;
let tg: TelegramChannel;

beforeAll(async () => {
  const loaded = loadPlan();
  const qa = createPlanRouter([loaded], createQaEngine);
  const bot = createBot({
    services: { qa },
    handlers: [askHandler],
    resolveActor: (m) => ({ coordinator: false, admin: m.trusted?.admin ?? false }),
  });
  api = await startFakeBotApi();
  const config = readTelegramConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot })!;
  tg = createTelegram({ config, bot });
  await tg.start();
});

afterAll(async () => {
  await tg?.stop();
  await api?.close();
});

describe('telegram end to end (QA)', () => {
  it('"谁负责调解员培训?" in a private chat names 第48项 and its departments, threaded under the question', async () => {
    const u = api.pushUpdate(api.privateText('谁负责调解员培训?', { userId: 3001 }));
    const m = await api.waitForSent((s) => s.chat_id === '3001');
    expect(m.text).toContain('第48项');
    for (const d of ['人社', '法院', '司法行政', '总工会', '工商联', '企联']) expect(m.text).toContain(d);
    expect(m.reply_to).toBe((u as { message: { message_id: number } }).message.message_id);
  });

  it('/tasks@duban_bot 财政 in a group lists 财政\'s 12 tasks', async () => {
    api.pushUpdate(api.groupText('/tasks@duban_bot 财政', { chatId: -5001, title: '财政局' }));
    const m = await api.waitForSent((s) => s.chat_id === '-5001');
    expect(m.text).toMatch(/12项任务/);
    const ids = [...m.text.matchAll(/^第(\d+)项/gm)].map((x) => Number(x[1]));
    expect(ids).toHaveLength(12);
    // Section headings are bold, everything else escaped.
    expect(m.html).toContain('<b>【一、总体要求】</b>6项');
  });

  it('/task 48, /ask@bot and a reply to the bot in a group', async () => {
    api.pushUpdate(api.groupText('/task@duban_bot 48', { chatId: -5002 }));
    expect((await api.waitForSent((s) => s.chat_id === '-5002')).text).toMatch(/^第48项/);
    api.pushUpdate(api.groupText('/ask@duban_bot 支付令归哪个部门管？', { chatId: -5003 }));
    expect((await api.waitForSent((s) => s.chat_id === '-5003')).text).toMatch(/第\d+项/);
    api.pushUpdate(api.groupText('总工会有哪些任务', { chatId: -5004, replyToBot: true }));
    expect((await api.waitForSent((s) => s.chat_id === '-5004')).text).toMatch(/总工会|工会/);
  });

  it('/help in a group (bare command) gets the help text', async () => {
    api.pushUpdate(api.groupText('/help', { chatId: -5005 }));
    expect((await api.waitForSent((s) => s.chat_id === '-5005')).text).toContain('督办助手');
  });

  it('plain group chatter is not answered', async () => {
    api.pushUpdate(api.groupText('谁负责调解员培训?', { chatId: -5006 }));
    api.pushUpdate(api.groupText('/help@duban_bot', { chatId: -5007 }));
    await api.waitForSent((s) => s.chat_id === '-5007');
    await tg.idle();
    expect(api.sent.filter((s) => s.chat_id === '-5006')).toHaveLength(0);
  });
});
