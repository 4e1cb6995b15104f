/**
 * Conversations of several turns, told the same way on every channel of the whole server (startServer):
 * the chat page's JSON API, Telegram (fake Bot API, private chat and a group with two members) and WeCom
 * (the self-built app's signed, encrypted callback and the smart bot's long connection in a group).
 * Expected answers come from the loaded plan, not from numbers written here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../../src/server/start.js';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { appTextXml, openAppReply, post, prepareAppPost } from '../fakes/wecom-client.js';
import { KEYS, fakeWecomEnv } from '../wecom/helpers.js';

const QUESTION = '谁负责调解员培训?';
const BOT = { botId: 'aibStoryBot', secret: 'story-bot-secret' };
const TTL_MINUTES = 30;

let running: Running;
let api: FakeBotApi;
let fake: FakeWecom;
let dir: string;
let now = new Date('2026-12-07T10:00:00+08:00');

/** One person in one chat: says something, gets the text the channel delivered. */
type Say = (text: string) => Promise<string>;

function web(session: string): Say {
  return async (text) => {
    const res = await fetch(`${running.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, session }),
    });
    return ((await res.json()) as { reply: string }).reply;
  };
}

function telegramPrivate(userId: number): Say {
  return async (text) => {
    const before = api.sent.length;
    api.pushUpdate(api.privateText(text, { userId }));
    return (await api.waitForSent((m) => m.chat_id === String(userId) && api.sent.indexOf(m) >= before)).text;
  };
}

function telegramGroup(chatId: number, userId: number): Say {
  return async (text) => {
    const u = api.pushUpdate(api.groupText(`@${api.username} ${text}`, { chatId, userId }));
    const asked = (u as unknown as { message: { message_id: number } }).message.message_id;
    return (await api.waitForSent((m) => m.chat_id === String(chatId) && m.reply_to === asked)).text;
  };
}

let msgId = 8_200_000_000_000_000_000n;
function wecomApp(userId: string): Say {
  const keys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: fake.corpId };
  return async (text) => {
    const xml = appTextXml(fake.corpId, { from: userId, content: text, msgId: String(msgId++) });
    const res = await post(prepareAppPost(`${running.url}/wecom/app`, keys, xml));
    return openAppReply(keys, res.body).Content;
  };
}

function wecomGroup(chatId: string, userId: string): Say {
  return async (text) => {
    const reqId = fake.pushMessage({ chattype: 'group', chatid: chatId, userid: userId, text: `@督办助手 ${text}` });
    return (await fake.waitForReply(reqId)).body!.stream.content as string;
  };
}

const plan = () => running.loaded.plan;
const tasksOf = (department: string) => plan().tasks.filter((t) => t.departments.includes(department)).map((t) => t.id);
const idsIn = (text: string) => [...text.matchAll(/^第(\d+)项/gm)].map((m) => Number(m[1]));
const footer = /发送“更多”查看下一页（(\d+)\/(\d+)）/;

beforeAll(async () => {
  api = await startFakeBotApi();
  fake = await startFakeWecom({ bots: [BOT] });
  dir = await mkdtemp(path.join(tmpdir(), 'stories-'));
  running = await startServer({
    env: {
      PORT: '0',
      DATA_DIR: dir,
      CONTEXT_TTL_MINUTES: String(TTL_MINUTES),
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      ...fakeWecomEnv(fake, BOT),
    },
    scheduler: false,
    clock: () => now,
  });
  await fake.waitFor(() => fake.connections() === 1);
});

afterAll(async () => {
  await running?.close();
  await api?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

/** 「谁负责调解员培训?」 → 「那它什么时候到期?」 → 「法院呢?」 → 「更多」, on one channel. */
async function followUpStory(say: Say) {
  const first = await say(QUESTION);
  const [taskId] = idsIn(first);
  expect(taskId).toBeGreaterThan(0);
  const task = plan().tasks.find((t) => t.id === taskId)!;

  const due = await say('那它什么时候到期?');
  expect(idsIn(due)[0]).toBe(taskId);
  // One line per responsible department, each with its deadline (none set yet).
  for (const d of task.departments) expect(due).toMatch(new RegExp(`${d}：未开始（未设期限）`));

  const court = await say('法院呢?');
  expect(court).toContain(
    task.departments.includes('法院') ? `法院是第${taskId}项的责任部门之一` : `法院不在第${taskId}项的责任部门中`,
  );
  const courtTasks = tasksOf('法院');
  expect(court).toContain(`共负责${courtTasks.length}项任务`);

  // The court's list is longer than a page: 「更多」 brings the rest, and together they are the whole list.
  let shown = idsIn(court);
  let page = court;
  while (footer.test(page)) {
    const [, next, total] = footer.exec(page)!;
    page = await say('更多');
    expect(page).toContain(`第${next}/${total}页`);
    shown = [...shown, ...idsIn(page)];
  }
  expect(shown).toEqual(courtTasks);
  expect(await say('更多')).toContain('没有更多内容');
}

/** A fresh question between turns is answered as it stands, and becomes the new context. */
async function freshQuestionStory(say: Say) {
  const [first] = idsIn(await say(QUESTION));
  const detail = await say('第46项是什么?');
  expect(idsIn(detail)[0]).toBe(46);
  const due = await say('它什么时候到期');
  expect(idsIn(due)[0]).toBe(46);
  expect(idsIn(due)).not.toContain(first);
  // A department list in between: 「它」 is now ambiguous, so the bot asks which one instead of guessing.
  await say('总工会有哪些任务');
  expect(await say('它什么时候到期')).toMatch(/请说明是哪一个/);
}

describe('follow-ups on every channel', () => {
  it('the chat page (HTTP)', async () => followUpStory(web('story-web')));
  it('Telegram, private chat', async () => followUpStory(telegramPrivate(7001)));
  it('WeCom, the self-built app (signed, encrypted callbacks)', async () => followUpStory(wecomApp('wangwu')));
  it('WeCom, the smart bot in a group', async () => followUpStory(wecomGroup('wrStoryGroup', 'zhaoliu')));
});

describe('a fresh question resets the context', () => {
  it('the chat page (HTTP)', async () => freshQuestionStory(web('story-fresh')));
  it('Telegram, private chat', async () => freshQuestionStory(telegramPrivate(7002)));
  it('WeCom, the self-built app', async () => freshQuestionStory(wecomApp('sunqi')));
});

describe('context per chat and per person', () => {
  it('in a Telegram group, two members keep their own context', async () => {
    const alice = telegramGroup(-7100, 501);
    const bob = telegramGroup(-7100, 502);
    const [aliceTask] = idsIn(await alice(QUESTION));
    await bob('第46项是什么?');
    expect(idsIn(await alice('进展如何'))[0]).toBe(aliceTask);
    expect(idsIn(await bob('进展如何'))[0]).toBe(46);
  });

  it('the same person in another chat starts without context', async () => {
    await web('chat-a')(QUESTION);
    expect(await web('chat-b')('它什么时候到期')).toMatch(/没有可以参照的上文/);
  });

  it(`context is forgotten after CONTEXT_TTL_MINUTES (${TTL_MINUTES})`, async () => {
    const say = web('story-ttl');
    const [taskId] = idsIn(await say(QUESTION));
    now = new Date(now.getTime() + (TTL_MINUTES - 1) * 60_000);
    expect(idsIn(await say('进展如何'))[0]).toBe(taskId);
    now = new Date(now.getTime() + (TTL_MINUTES + 1) * 60_000);
    expect(await say('进展如何')).toMatch(/没有可以参照的上文/);
  });
});

describe('help', () => {
  it('says what follow-ups are understood, on the chat page and in a Telegram group', async () => {
    expect(await web('story-help')('帮助')).toContain('发「更多」看下一页');
    const help = await telegramGroup(-7200, 601)('/help');
    expect(help).toContain('「第二个」');
    // Help is one whole message, however long its command list.
    expect(help).not.toContain('查看下一页');
  });
});

describe('complete answers in pages', () => {
  it('总工会\'s whole task list is reachable with 「更多」 on Telegram', async () => {
    const say = telegramPrivate(7003);
    const expected = tasksOf('总工会');
    let page = await say('总工会有哪些任务');
    expect(page).toContain(`共负责${expected.length}项任务`);
    let shown = idsIn(page);
    let pages = 1;
    while (footer.test(page)) {
      page = await say('更多');
      shown = [...shown, ...idsIn(page)];
      pages++;
    }
    expect(shown).toEqual(expected);
    expect(pages).toBeGreaterThan(1);
  });

  it('「上一页」 goes back a page, and 「更多」 goes on from there; on the first page it says so', async () => {
    const say = web('story-back');
    const first = await say('总工会有哪些任务');
    const second = await say('更多');
    expect(idsIn(second)[0]).not.toBe(idsIn(first)[0]);
    expect(idsIn(await say('上一页'))).toEqual(idsIn(first));
    expect(await say('上一页')).toBe('已经是第一页。');
    expect(idsIn(await say('更多'))).toEqual(idsIn(second));
  });

  it('a short answer to a follow-up keeps the rest of the list for 「更多」', async () => {
    const say = web('story-pages');
    const expected = tasksOf('总工会');
    const page1 = await say('总工会有哪些任务');
    const [, , total] = footer.exec(page1)!;
    const second = await say('第二个什么时候到期');
    expect(idsIn(second)[0]).toBe(expected[1]);
    expect(await say('更多')).toContain(`第2/${total}页`);
  });

  it('其中跟协商有关的呢 after a unit’s list: that unit’s tasks about the topic; 第二个 is the second one shown', async () => {
    const say = web('story-narrow');
    const unit = '总工会';
    await say(`${unit}有哪些任务`);
    const narrowed = await say('其中跟协商有关的呢');
    const direct = await web('story-narrow-direct')(`${unit}跟协商有关的任务有哪些`);
    expect(narrowed).toBe(direct);
    const shown = idsIn(narrowed);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.every((id) => tasksOf(unit).includes(id))).toBe(true);
    expect(shown.length).toBeLessThan(tasksOf(unit).length);
    expect(idsIn(await say('第二个是什么'))[0]).toBe(shown[1]);
  });

  it('那法院呢 after a unit’s list narrowed to a topic asks the same of 法院: its tasks on that topic', async () => {
    const say = web('story-narrow-other');
    await say('总工会跟协商有关的任务有哪些');
    const other = await say('那法院呢');
    expect(other).toBe(await web('story-narrow-other-direct')('法院跟协商有关的任务有哪些'));
    expect(other).toContain('与「协商」相关');
  });

  it('配合单位呢, 具体点, 原文发我: the units and the whole text of the task just answered', async () => {
    const say = web('story-units');
    const [taskId] = idsIn(await say(QUESTION));
    const task = plan().tasks.find((t) => t.id === taskId)!;
    for (const q of ['配合单位呢', '具体点', '原文发我']) {
      const reply = await say(q);
      expect(idsIn(reply)[0], q).toBe(taskId);
      expect(reply, q).toContain(task.text.slice(0, 20));
    }
  });

  it('还有类似的吗 after an answer about one task: the other tasks of that answer in full, then nothing more', async () => {
    const ask = async (text: string) => {
      const res = await fetch(`${running.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, session: 'story-similar' }) });
      return (await res.json()) as { reply: string; tasks: Array<{ id: number }> };
    };
    const first = await ask(QUESTION);
    const [taskId, ...others] = first.tasks.map((t) => t.id);
    expect(others.length).toBeGreaterThan(0);
    const similar = await ask('还有类似的吗');
    expect(similar.reply).toContain(`与第${taskId}项相近的还有`);
    expect(similar.tasks.map((t) => t.id)).toEqual(others.slice(0, 5));
    for (const id of others.slice(0, 5)) expect(similar.reply).toContain(plan().tasks.find((t) => t.id === id)!.text.slice(0, 20));
    expect((await ask('还有吗')).reply).toContain('没有更多内容');
  });

  it('谁牵头: the plan names responsible departments only, and the answer says so', async () => {
    const say = web('story-lead');
    const [taskId] = idsIn(await say(QUESTION));
    const task = plan().tasks.find((t) => t.id === taskId)!;
    const lead = await say('这几个部门里谁牵头?');
    if (task.lead.length) expect(lead).toContain(`第${taskId}项：牵头单位为${task.lead.join('、')}`);
    else expect(lead).toContain(`第${taskId}项：方案未写明牵头部门；责任部门依次为${task.departments.join('、')}`);
  });
});

describe('a plan that prints lead and supporting units apart (fixture plan 2)', () => {
  it('「谁牵头」 names the lead units as the plan prints them', async () => {
    const { importFile, PLAN2 } = await import('../plan/helpers.js');
    const { storePlan } = await import('../../src/plan/store.js');
    const imported = await importFile(path.join(PLAN2, 'plan2.xlsx'));
    expect(imported.problems).toEqual([]);
    const planDir = await mkdtemp(path.join(tmpdir(), 'stories-plan2-'));
    storePlan(planDir, { plan: { ...imported.plan!, id: 'default' }, departments: imported.departments! });
    const server = await startServer({ env: { PORT: '0', DATA_DIR: planDir }, scheduler: false });
    try {
      const task = server.loaded.plan.tasks.find((t) => t.lead.length > 0 && t.support.length > 0)!;
      expect(task).toBeDefined();
      const ask = async (text: string) =>
        ((await (await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, session: 'lead' }) })).json()) as { reply: string }).reply;
      expect(await ask(`第${task.id}项是什么`)).toContain(`第${task.id}项`);
      const supportShown = task.departments.filter((d) => !task.lead.includes(d));
      expect(await ask('那谁牵头?')).toBe(`第${task.id}项：牵头单位为${task.lead.join('、')}，配合单位为${supportShown.join('、')}。`);
    } finally {
      await server.close();
      await rm(planDir, { recursive: true, force: true });
    }
  });
});

describe('with follow-ups switched off (CONTEXT_TTL_MINUTES=0)', () => {
  it('「更多」 still continues a long answer, and 「法院呢」 is answered as it stands', async () => {
    const offDir = await mkdtemp(path.join(tmpdir(), 'stories-off-'));
    const server = await startServer({ env: { PORT: '0', DATA_DIR: offDir, CONTEXT_TTL_MINUTES: '0' }, scheduler: false });
    try {
      const ask = async (text: string) =>
        ((await (await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, session: 'off' }) })).json()) as { reply: string }).reply;
      const [taskId] = idsIn(await ask(QUESTION));
      expect(await ask('法院呢?')).not.toContain(`第${taskId}项的责任部门`);
      const page1 = await ask('总工会有哪些任务');
      const [, next, total] = footer.exec(page1)!;
      expect(await ask('更多')).toContain(`第${next}/${total}页`);
    } finally {
      await server.close();
      await rm(offDir, { recursive: true, force: true });
    }
  });
});

describe('help lists what this chat may do', () => {
  const help = async (as?: string) => {
    const res = await fetch(`${running.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '/help', ...(as ? { as } : {}) }),
    });
    return ((await res.json()) as { reply: string }).reply;
  };

  it('a guest on the chat page: questions only, and how to choose an identity', async () => {
    const text = await help();
    expect(text).toContain('「身份」菜单');
    expect(text).toMatch(/^· \/task /m);
    expect(text).not.toMatch(/^· \/done /m);
    expect(text).not.toMatch(/^· \/deadline /m);
  });

  it('a department: also reporting progress, not administration', async () => {
    const dept = running.loaded.registry.names.find((d) => d !== running.loaded.registry.coordinator)!;
    const text = await help(dept);
    expect(text).toContain(`本聊天代表${dept}`);
    expect(text).toMatch(/^· \/done /m);
    expect(text).not.toMatch(/^· \/deadline /m);
    expect(text).not.toMatch(/^· \/bind /m);
  });

  it('the coordinator: everything', async () => {
    const text = await help('coordinator');
    for (const c of ['/done', '/deadline', '/bind', '/schedule']) expect(text).toMatch(new RegExp(`^· ${c} `, 'm'));
  });
});

describe('a plan with a 完成时限 column', () => {
  it('「它什么时候到期」 gives the plan\'s own time limit as well as the deadlines set', async () => {
    const { importText } = await import('../plan/helpers.js');
    const { storePlan } = await import('../../src/plan/store.js');
    const imported = await importText('社区调解工作分工方案\n序号,重点任务,牵头单位,配合单位,完成时限\n1,建设社区调解室,市司法局,市财政局,2026年6月底前\n2,开展调解员轮训,市人社局,市总工会,长期坚持\n');
    expect(imported.problems).toEqual([]);
    const planDir = await mkdtemp(path.join(tmpdir(), 'stories-limits-'));
    storePlan(planDir, { plan: { ...imported.plan!, id: 'default' }, departments: imported.departments! });
    const server = await startServer({ env: { PORT: '0', DATA_DIR: planDir }, scheduler: false });
    try {
      const ask = async (text: string) =>
        ((await (await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, session: 'limits' }) })).json()) as { reply: string }).reply;
      for (const task of server.loaded.plan.tasks) {
        expect(await ask(`第${task.id}项是什么`)).toContain(`第${task.id}项`);
        const due = await ask('它什么时候到期?');
        expect(due).toContain(`第${task.id}项`);
        expect(due).toContain(`方案规定的完成时限：${task.deadline!.text}`);
      }
    } finally {
      await server.close();
      await rm(planDir, { recursive: true, force: true });
    }
  });
});
