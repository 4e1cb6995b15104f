/**
 * Every command of the registry, as a person would send it on each channel, through that channel's real inbound
 * path: Telegram (bare /command in a department group, through the fake Bot API and telegraf's polling), WeCom
 * (the self-built app's encrypted, signed callback) and the local chat page (HTTP). One server, started as main.ts does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandSpec, exampleOf, type CommandSpec, type ExampleFacts } from '../../src/core/commands.js';
import { startServer, type Running } from '../../src/server/start.js';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { appTextXml, openAppReply, post, prepareAppPost, type CallbackKeys } from '../fakes/wecom-client.js';
import { KEYS, fakeWecomEnv } from '../wecom/helpers.js';

const TG_ADMIN = 1001;
const TG_GROUP = -7001;
const WECOM_ADMIN = 'zhangsan';

/**
 * What the command's own handler says (its answer or its refusal): never 「没有理解」 or an error. The examples
 * name the plan's own unit and task ({部门}, {任务}): the chats here speak for that unit.
 */
const answers = ({ department, task }: ExampleFacts): Record<string, RegExp> => ({
  start: /命令：/,
  help: new RegExp(`命令：[\\s\\S]*/deadline ${task} 2026-12-31`),
  ask: /第\d+项[\s\S]*责任/,
  tasks: new RegExp(department),
  task: new RegExp(`第${task}项`),
  status: new RegExp(`第${task}项[\\s\\S]*完成 \\d+/\\d+ 个责任部门`),
  due: /到期/,
  plan: /有效的方案 1 个/,
  pending: /未完成/,
  overdue: /逾期/,
  done: new RegExp(`第${task}项`),
  progress: new RegExp(`第${task}项`),
  deadline: new RegExp(`第${task}项期限设为 2026-12-31`),
  bind: /绑定/,
  unbind: /绑定/,
  schedule: /提醒/,
  liaison: /联络员/,
  hook: /群机器人/,
  unhook: /群机器人/,
});

const on = (c: CommandSpec, channel: 'telegram' | 'wecom-app' | 'web') => !c.channels || c.channels.includes(channel as never);

let running: Running;
let tg: FakeBotApi;
let wecom: FakeWecom;
let keys: CallbackKeys;
let dir: string;
let facts: ExampleFacts;
/** A command's example with the loaded plan's unit, task and question, as /help shows it. */
const example = (c: CommandSpec) => exampleOf(c, facts);
const expected = (c: CommandSpec) => answers(facts)[c.name];

beforeAll(async () => {
  tg = await startFakeBotApi();
  wecom = await startFakeWecom();
  dir = mkdtempSync(path.join(tmpdir(), 'duban-commands-'));
  running = await startServer({
    env: {
      PORT: '0',
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      REMINDERS_ENABLED: 'false', // nothing planned; the outbox sender still runs (a long WeCom answer's rest)
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_ADMIN_IDS: String(TG_ADMIN),
      ...fakeWecomEnv(wecom),
      WECOM_ADMIN_USERIDS: WECOM_ADMIN,
    },
  });
  keys = { token: KEYS.appToken, aesKey: KEYS.appAesKey, receiveId: wecom.corpId };
  facts = running.qa.exampleFacts();
  // The Telegram group is the example unit's; the WeCom administrator's private chat speaks for it too.
  const by = { channel: 'cli' as const, name: 'test' };
  await running.store.bind({ channel: 'telegram', chatId: String(TG_GROUP), department: facts.department, role: 'department' }, by);
  await running.store.bind({ channel: 'wecom-app', chatId: WECOM_ADMIN, department: facts.department, role: 'department' }, by);
}, 60_000);

afterAll(async () => {
  await running?.close();
  await tg?.close();
  await wecom?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the command registry', () => {
  it('has an expected answer for every command here, so a new command comes with its test', () => {
    expect(Object.keys(answers(facts)).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it('drives the Telegram menus: /deadline is offered to administrators, WeCom-only commands are not offered', async () => {
    const menus = await tg.waitForCall('setMyCommands', (c) => c.params.scope?.type === 'all_chat_administrators');
    const names = (menus.params.commands as Array<{ command: string }>).map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(['deadline', 'bind', 'schedule', 'done', 'help']));
    expect(names).not.toContain('hook');
  });

  it('resolves aliases to one name: /ddl is /deadline, /remind is /schedule', () => {
    expect(commandSpec('ddl')?.name).toBe('deadline');
    expect(commandSpec('REMIND')?.name).toBe('schedule');
    expect(commandSpec('hook', 'telegram')).toBeUndefined();
  });
});

describe('an administrator in a department\'s Telegram group sends each command bare (without @bot)', () => {
  for (const c of COMMANDS.filter((x) => on(x, 'telegram'))) {
    it(`${c.example}`, async () => {
      const update = tg.pushUpdate(tg.groupText(example(c), { chatId: TG_GROUP, userId: TG_ADMIN, title: '督办群' })) as { message: { message_id: number } };
      const reply = await tg.waitForSent((m) => m.chat_id === String(TG_GROUP) && m.reply_to === update.message.message_id, 20_000);
      expect(reply.text).toMatch(expected(c));
    });
  }

  it('a bare command of another bot is left alone', async () => {
    const other = tg.pushUpdate(tg.groupText('/weather 北京', { chatId: TG_GROUP, userId: TG_ADMIN })) as { message: { message_id: number } };
    const after = tg.pushUpdate(tg.groupText('/help', { chatId: TG_GROUP, userId: TG_ADMIN })) as { message: { message_id: number } };
    await tg.waitForSent((m) => m.reply_to === after.message.message_id, 20_000);
    expect(tg.sent.filter((m) => m.reply_to === other.message.message_id)).toEqual([]);
  });
});

/**
 * The whole answer a WeCom user reads: the passive reply, whatever the outbox sent after it (a long answer's rest),
 * and the next pages while the answer offers 「更多」.
 */
async function wecomAnswer(content: string): Promise<string> {
  const before = wecom.messages.length;
  const res = await post(prepareAppPost(`${running.url}/wecom/app`, keys, appTextXml(wecom.corpId, { from: WECOM_ADMIN, content })));
  expect(res.status).toBe(200);
  const passive = openAppReply(keys, res.body).Content;
  expect(await running.reminders.idle()).toBe(true);
  const rest = wecom.messages.slice(before).filter((m) => m.body.touser === WECOM_ADMIN).map((m) => m.body.text.content as string);
  const text = [passive, ...rest].join('\n');
  return /发送“更多”查看下一页/.test(text) ? `${text}\n${await wecomAnswer('更多')}` : text;
}

describe('a WeCom administrator sends each command to the self-built app', () => {
  for (const c of COMMANDS.filter((x) => on(x, 'wecom-app'))) {
    it(`${c.example}`, async () => {
      expect(await wecomAnswer(example(c))).toMatch(expected(c));
    });
  }
});

describe('the coordinator sends each command on the local chat page', () => {
  for (const c of COMMANDS.filter((x) => on(x, 'web'))) {
    it(`${c.example}`, async () => {
      const as = ['done', 'progress'].includes(c.name) ? facts.department : 'coordinator';
      const res = await fetch(`${running.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: example(c), as }) });
      const json = (await res.json()) as { reply: string; intent: string };
      expect(json.intent).not.toMatch(/^(unknown|error)$/);
      expect(json.reply).toMatch(expected(c));
    });
  }
});
