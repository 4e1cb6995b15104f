/** Reminders through the smart bot's proactive send ('wecom-bot') with the real outbox sender and store. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load.js';
import { openStore, type OutboxRow, type StateStore } from '../../src/state/store.js';
import { OutboxSender } from '../../src/reminders/sender.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createWecom, readWecomConfig, type Wecom } from '../../src/channels/wecom/index.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { echoBot } from './helpers.js';

const BOT = { botId: 'aibRemind01', secret: 'remind-secret' };
let fake: FakeWecom;
let store: StateStore;
let wecom: Wecom;
let sender: OutboxSender;
let dir: string;
const dead: Array<{ row: OutboxRow; permanent: boolean }> = [];

beforeAll(async () => {
  fake = await startFakeWecom({ bots: [BOT] });
  dir = await mkdtemp(path.join(tmpdir(), 'wecom-botrem-'));
  store = await openStore({ dir, loaded: loadPlan(), lock: false, fsync: false });
  wecom = createWecom({ config: readWecomConfig({ WECOM_BOT_ID: BOT.botId, WECOM_BOT_SECRET: BOT.secret, WECOM_BOT_WS_URL: fake.wsUrl })!, bot: echoBot(), store, ws: { reconnectBaseMs: 50 } });
  await wecom.start();
  sender = new OutboxSender({
    store,
    config: defaultReminderConfig({ rateWindowMs: 300, retryBaseMs: 30, retryMaxMs: 60, maxAttempts: 2 }),
    clock: () => new Date(),
    onDead: async (row, _e, permanent) => {
      dead.push({ row, permanent });
    },
    random: () => 0.5,
  });
  for (const ch of wecom.outbound) sender.register(ch);
  sender.start();
});

afterAll(async () => {
  await sender?.stop();
  await wecom?.stop();
  await store?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("reminders through 'wecom-bot'", () => {
  it('a group that used the bot receives its reminders as markdown, in order, once each', async () => {
    await fake.waitForReply(fake.pushMessage({ chattype: 'group', chatid: 'wrRem', userid: 'u1', text: '@督办助手 你好' }));
    for (let i = 1; i <= 5; i++) {
      await store.enqueue({ key: `bot-rem-${i}`, channel: 'wecom-bot', chatId: 'wrRem', department: '法院', kind: 'notice', period: `p${i}`, text: `【通知】第${i}条` });
    }
    sender.kick();
    await fake.waitFor(() => fake.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.body?.chatid === 'wrRem').length >= 5);
    await sender.idle(5000);
    const sent = fake.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.body?.chatid === 'wrRem').map((f) => f.body!.markdown.content);
    expect(sent).toEqual([1, 2, 3, 4, 5].map((i) => `**【通知】**第${i}条`));
  });

  it('a chat nobody has used is retried, then reported (not permanent: the binding stays)', async () => {
    await store.enqueue({ key: 'bot-rem-x', channel: 'wecom-bot', chatId: 'wrNobody', department: '法院', kind: 'notice', period: 'x', text: '无人会话' });
    sender.kick();
    for (let t = Date.now(); dead.length === 0 && Date.now() - t < 5000; ) await new Promise((r) => setTimeout(r, 20));
    expect(dead[0]).toMatchObject({ permanent: false, row: { key: 'bot-rem-x' } });
  });
});
