/**
 * End to end with the real Bot (createBot + askHandler + QA engine + plan): a group @-mention over the
 * smart bot's long connection and a private question through the self-built app's encrypted callback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/core/bot.js';
import { loadPlan } from '../../src/plan/load.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import { askHandler } from '../../handlers/ask.js';
import { createWecom, readWecomConfig, type Wecom } from '../../src/channels/wecom/index.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { appTextXml, openAppReply, post, prepareAppPost, type CallbackKeys } from '../fakes/wecom-client.js';
import { KEYS, listen, fakeWecomEnv } from './helpers.js';

const QUESTION = '谁负责调解员培训?';
const DEPTS = ['人社', '法院', '司法行政', '总工会', '工商联', '企联'];
const BOT = { botId: 'aibE2EBot', secret: 'e2e-bot-secret' };

let fake: FakeWecom;
let wecom: Wecom;
let bot: Bot & { calls: number };
let appUrl: string;
let close: () => Promise<void>;
let keys: CallbackKeys;

beforeAll(async () => {
  const loaded = loadPlan();
  const qa = createPlanRouter([loaded], createQaEngine);
  const real = createBot({ services: { qa }, handlers: [askHandler], resolveActor: (m) => ({ coordinator: false, admin: m.trusted?.admin ?? false }) });
  bot = { calls: 0, handle: (m) => (bot.calls++, real.handle(m)) };
  fake = await startFakeWecom({ bots: [BOT] });
  const config = readWecomConfig({
    ...fakeWecomEnv(fake, BOT),
  })!;
  wecom = createWecom({ config, bot, ws: { reconnectBaseMs: 50 } });
  await wecom.start();
  const srv = await listen(wecom.router);
  close = srv.close;
  appUrl = `${srv.url}/wecom/app`;
  keys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
});

afterAll(async () => {
  await wecom?.stop();
  await close?.();
  await fake?.close();
});

describe('WeCom end to end (QA)', () => {
  it(`a member @-mentions the bot in a group: "${QUESTION}" → 第48项 and its departments`, async () => {
    const reqId = fake.pushMessage({ chattype: 'group', chatid: 'wrDeptGroup', userid: 'zhangsan', text: `@督办助手 ${QUESTION}` });
    const reply = await fake.waitForReply(reqId);
    const content = reply.body!.stream.content as string;
    expect(reply.body!.stream.finish).toBe(true);
    expect(content).toContain('第48项');
    for (const d of DEPTS) expect(content).toContain(d);
  });

  it('the same question through /wecom/app → an encrypted passive reply with that answer; a retry is answered once', async () => {
    const before = bot.calls;
    const p = prepareAppPost(appUrl, keys, appTextXml(fake.corpId, { from: 'lisi', content: QUESTION, msgId: '8100000000000000001' }));
    const res = await post(p);
    expect(res.status).toBe(200);
    const reply = openAppReply(keys, res.body);
    expect(reply.ToUserName).toBe('lisi');
    expect(reply.Content).toContain('第48项');
    for (const d of DEPTS) expect(reply.Content).toContain(d);
    expect(await post(p)).toEqual({ status: 200, body: '' });
    expect(bot.calls - before).toBe(1);
  });

  it('a forged callback gets 401 and never reaches the bot', async () => {
    const before = bot.calls;
    const res = await post(prepareAppPost(appUrl, { ...keys, token: 'Forged' }, appTextXml(fake.corpId, { from: 'mallory', content: QUESTION })));
    expect(res.status).toBe(401);
    expect(bot.calls).toBe(before);
  });
});
