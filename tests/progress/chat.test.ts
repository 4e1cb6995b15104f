import { defaultTask } from '../helpers/task.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/core/bot.js';
import { resolveActor } from '../../src/core/actor.js';
import type { Services } from '../../src/core/services.js';
import type { Message } from '../../src/core/types.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService } from '../../src/reminders/service.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { askHandler } from '../../handlers/ask.js';
import { plan, withStore } from '../state/helpers.js';

let env: Awaited<ReturnType<typeof withStore>>;
let bot: Bot;
const now = new Date('2026-12-07T10:00:00+08:00');
const t48 = () => plan().plan.tasks.find((t) => t.id === 48)!;

beforeAll(async () => {
  env = await withStore({ clock: () => now });
  const loaded = plan();
  const services: Services = { loaded, plans: env.store.plans, store: env.store, qa: createPlanRouter([loaded], createQaEngine), clock: () => now };
  services.reminders = createReminderService({ store: env.store, clock: () => now, config: defaultReminderConfig(), holidays: { days: {} } });
  bot = createBot<Services>({
    services,
    handlers: [...progressHandlers, askHandler],
    resolveActor: (m) => resolveActor(m, env.store),
    clock: () => now,
  });
});
afterAll(async () => env.cleanup());

function say(text: string, from: Partial<Message> = {}) {
  return bot.handle({ channel: 'telegram', chatId: 'unbound', chatType: 'group', userId: 'u1', userName: '李四', text, ...from });
}
const admin = { chatId: 'duban', trusted: { admin: true } } as const;
const duban = { chatId: 'duban' } as const;

describe('binding groups', () => {
  it('an ordinary member cannot bind a group; an administrator binds the 督办 group and the coordinator binds departments', async () => {
    expect((await say('/bind 总工会')).text).toMatch(/^只有协调员（人社督办群）或管理员可以绑定群/);
    expect((await say('/bind 督办', admin)).text).toMatch(/已将本群设为协调员（人社）督办群/);
    // Now the 督办 chat is the coordinator; the admin flag is no longer needed there.
    const dept = t48().departments[0];
    const r = await say(`/bind ${dept}`, { ...duban, chatId: 'g-dept', trusted: { admin: true } });
    expect(r.text).toMatch(new RegExp(`已将本群绑定为${dept}`));
    // The example is one of the department's own tasks.
    const example = Number(/如「(\d+) 已完成」/.exec(r.text)![1]);
    expect(plan().plan.tasks.find((t) => t.id === example)!.departments).toContain(dept);
    expect(env.store.bindingFor('telegram', 'g-dept')?.department).toBe(dept);
    expect((await say('/bind', { chatId: 'g-dept' })).text).toBe(`本群已绑定：${dept}。`);
    expect((await say('/bind 不存在的部门', duban)).text).toMatch(/不认识的部门「不存在的部门」/);
    expect((await say('/bind 企业代表组织', duban)).text).toMatch(/包含多个部门（工商联、企联）/);
  });
});

describe('reporting progress from a department group', () => {
  it('"48 已完成" from the bound group records 已完成 for that department with who and where', async () => {
    const dept = t48().departments[0];
    const r = await say('48 已完成', { chatId: 'g-dept' });
    expect(r.intent).toBe('progress_report');
    expect(r.text).toContain(`${dept}：未开始 → 已完成`);
    expect(env.store.status(defaultTask(48), dept)).toMatchObject({ status: '已完成', updatedBy: { channel: 'telegram', chatId: 'g-dept', userId: 'u1', name: '李四' } });
  });

  it('as people write it: 46号任务已经办结, 我们45条做完了, 第47项完成了 (了 is no note); 完成一半了 is in progress', async () => {
    const dept = t48().departments[0];
    const [a, b, c, d, e] = plan().plan.tasks.filter((t) => t.departments.includes(dept) && t.id !== 48).map((t) => t.id);
    const group = { chatId: 'g-dept' };
    expect((await say(`${a}号任务已经办结`, group)).intent).toBe('progress_report');
    expect(env.store.status(defaultTask(a), dept)?.status).toBe('已完成');
    expect((await say(`我们${b}条做完了`, group)).intent).toBe('progress_report');
    expect(env.store.status(defaultTask(b), dept)?.status).toBe('已完成');
    await say(`第${c}项完成了`, group);
    expect(env.store.status(defaultTask(c), dept)).toMatchObject({ status: '已完成' });
    expect(env.store.status(defaultTask(c), dept)?.note ?? '').toBe('');
    await say(`${d}完成一半了`, group);
    expect(env.store.status(defaultTask(d), dept)).toMatchObject({ status: '进行中', note: '完成一半' });
    // …and in English, as staff type it
    expect((await say(`${e} done`, group)).intent).toBe('progress_report');
    expect(env.store.status(defaultTask(e), dept)?.status).toBe('已完成');
    expect((await say(`task ${e} status?`, group)).intent).toBe('progress_status');
  });

  it('with a greeting first, the task’s name between, or the status said otherwise (各位好，第十项办结了; 20号协商室那个 目前在推进)', async () => {
    const dept = t48().departments[0];
    const group = { chatId: 'g-dept' };
    const fresh = () => plan().plan.tasks.filter((t) => t.departments.includes(dept) && !env.store.status(defaultTask(t.id), dept)).map((t) => t.id);
    const [a, b, c, d] = fresh();
    await say(`各位好，第${a}项办结了，工作指引已经下发`, group);
    expect(env.store.status(defaultTask(a), dept)).toMatchObject({ status: '已完成', note: '工作指引已经下发' });
    await say(`报一下：${b}号那个任务 目前在推进，已经建成14个`, group);
    expect(env.store.status(defaultTask(b), dept)?.status).toBe('进行中');
    await say(`领导好，第${c}项和第${d}项在推进中`, group);
    for (const id of [c, d]) expect(env.store.status(defaultTask(id), dept)?.status).toBe('进行中');
    await say(`第${c}项改回未开始，方案要重新起草`, group);
    expect(env.store.status(defaultTask(c), dept)?.status).toBe('未开始');
    // …while a question about its completion stays a question, and a greeting said over and over is read at once
    const [e] = fresh();
    expect((await say(`第${e}项的完成时限是什么时候啊`, group)).intent).not.toBe('progress_report');
    expect(env.store.status(defaultTask(e), dept)).toBeUndefined();
    expect((await say(`${'领导'.repeat(200)}X`, group)).intent).not.toBe('progress_report');
  });

  it('several tasks at once (47、48 已完成, 第5和第6项都进行中): each recorded as alone; one not the group’s is refused, the others kept', async () => {
    const dept = t48().departments[0];
    const own = plan().plan.tasks.filter((t) => t.departments.includes(dept)).map((t) => t.id);
    const other = plan().plan.tasks.find((t) => !t.departments.includes(dept))!.id;
    const [e, f, g] = own.slice(-3);
    const both = await say(`${e}、${f} 已完成`, { chatId: 'g-dept' });
    expect(both.intent).toBe('progress_report');
    expect(both.text).toContain(`已记录第${e}项进展`);
    expect(both.text).toContain(`已记录第${f}项进展`);
    for (const id of [e, f]) expect(env.store.status(defaultTask(id), dept)?.status).toBe('已完成');
    const mixed = await say(`第${g}和第${other}项都进行中`, { chatId: 'g-dept' });
    expect(env.store.status(defaultTask(g), dept)?.status).toBe('进行中');
    expect(mixed.text).toContain(`第${other}项由`);
    // (a question about several is still a question)
    expect((await say(`${e}、${f}是什么`, { chatId: 'g-dept' })).intent).not.toMatch(/^progress/);
  });

  it('「撤销」 takes back the group’s last report, then the one before; another group’s, or a row changed since, stays', async () => {
    const dept = t48().departments[0];
    // (two tasks no story before has touched)
    const [a, b] = plan().plan.tasks.filter((t) => t.departments.includes(dept) && !env.store.status(defaultTask(t.id), dept)).map((t) => t.id);
    const group = { chatId: 'g-dept' };
    await say(`${a} 进行中 已起草`, group);
    await say(`${b} 已完成`, group);
    expect((await say('撤销', group)).text).toBe(`已撤销第${b}项${dept}的进展：已完成 → 未开始。`);
    expect(env.store.statusOf(defaultTask(b), dept)).toBe('未开始');
    expect((await say('刚才报错了，撤回', group)).intent).toBe('progress_undo');
    expect(env.store.statusOf(defaultTask(a), dept)).toBe('未开始');
    // a chat that reported nothing takes nothing back of the group's
    await say(`${a} 进行中`, group);
    expect((await say('撤销', { chatId: 'g-nobody' })).intent).toBe('progress_undo_none');
    expect(env.store.statusOf(defaultTask(a), dept)).toBe('进行中');
    // a row someone changed since is left as it is
    await say(`${a} 已完成 ${dept}`, duban);
    expect((await say('撤销', group)).intent).toBe('progress_undo_refused');
    expect(env.store.statusOf(defaultTask(a), dept)).toBe('已完成');
  });

  it('"第48项 进行中 已印发培训方案", /progress and /done with synonyms', async () => {
    const dept = t48().departments[0];
    await say('第48项 推进中 已印发培训方案', { chatId: 'g-dept' });
    expect(env.store.status(defaultTask(48), dept)).toMatchObject({ status: '进行中', note: '已印发培训方案' });
    await say('/progress 48 在办 正在征求意见', { chatId: 'g-dept' });
    expect(env.store.status(defaultTask(48), dept)).toMatchObject({ status: '进行中', note: '正在征求意见' });
    await say('/done 48 已办结并归档', { chatId: 'g-dept' });
    expect(env.store.status(defaultTask(48), dept)).toMatchObject({ status: '已完成', note: '已办结并归档' });
    await say('四十八项 已办结', { chatId: 'g-dept' });
    expect(env.store.status(defaultTask(48), dept)?.status).toBe('已完成');
    const usage = await say('/progress 48 差不多了', { chatId: 'g-dept' });
    expect(usage.intent).toBe('progress_usage');
    // Its example: the group's first unfinished task, not 48 (done by now).
    const open = env.store.rows({ department: dept }).find((row) => row.status !== '已完成')!.taskId;
    expect(usage.text).toContain(`/done ${open} 备注`);
    expect(usage.text).toContain(`「${open} 已完成」`);
  });

  it('refuses a task the department is not responsible for, naming its departments', async () => {
    const dept = t48().departments[0];
    const other = plan().plan.tasks.find((t) => !t.departments.includes(dept))!;
    const r = await say(`${other.id} 已完成`, { chatId: 'g-dept' });
    expect(r.intent).toBe('progress_refused');
    expect(r.text).toBe(`第${other.id}项由${other.departments.join('、')}负责，不包括${dept}，本群不能更新它的进展。`);
  });

  it('an unbound chat is told to ask the coordinator to /bind', async () => {
    const r = await say('48 已完成');
    expect(r.intent).toBe('progress_unbound');
    expect(r.text).toMatch(/本群还没有绑定部门.*请协调员（人社）在本群发送「\/bind 部门名称」/);
  });

  it('a guest on the chat page is shown how to choose an identity (the 身份 menu), with a department of that task', async () => {
    const r = await say('48 已完成', { channel: 'web', chatId: 'guest', chatType: 'private' });
    expect(r.intent).toBe('progress_unbound');
    expect(r.text).toContain('「身份」菜单');
    expect(r.text).toContain(`第48项的责任部门${t48().departments[0]}`);
    expect(r.text).not.toContain('/bind');
  });

  it('a question is not a report: "48项完成了吗" is answered with the status, "48是什么" goes to the QA engine', async () => {
    expect((await say('48项完成了吗', { chatId: 'g-dept' })).intent).toBe('progress_status');
    expect((await say('48是什么', { chatId: 'g-dept' })).intent).not.toMatch(/^progress/);
    // …a bare number too (48 什么时候到期), and the unit said first (人社48项完成了吗) changes nothing
    expect((await say('48 什么时候到期', { chatId: 'g-dept' })).intent).toBe('progress_status');
    const dept = t48().departments[1];
    const before = env.store.status(defaultTask(48), dept);
    expect((await say(`${dept}48项完成了吗`, duban)).intent).toBe('progress_status');
    expect(env.store.status(defaultTask(48), dept)).toEqual(before);
  });

  it('the coordinator reports for a named department; with several departments it asks which', async () => {
    const t = plan().plan.tasks.find((x) => x.departments.length >= 2)!;
    expect((await say(`${t.id} 已完成`, duban)).intent).toBe('progress_ask_department');
    const r = await say(`${t.id} 进行中 ${t.departments[1]} 已开会部署`, duban);
    expect(r.intent).toBe('progress_report');
    expect(env.store.status(defaultTask(t.id), t.departments[1])).toMatchObject({ status: '进行中', note: '已开会部署' });
    // …or the department said first, as people write it
    const first = await say(`${t.departments[0]} ${t.id} 已完成 已验收`, duban);
    expect(first.intent).toBe('progress_report');
    expect(env.store.status(defaultTask(t.id), t.departments[0])).toMatchObject({ status: '已完成', note: '已验收' });
  });
});

describe('deadlines and questions about progress', () => {
  it('only the coordinator sets deadlines; a per-department deadline and a range in one command', async () => {
    const dept = t48().departments[0];
    expect((await say('/deadline 48 2026-12-31', { chatId: 'g-dept' })).text).toMatch(/^只有协调员.*设定期限/);
    expect((await say('/deadline 48 2026-12-31', duban)).text).toMatch(/已将第48项期限设为 2026-12-31/);
    expect((await say(`/deadline 48 2026年12月20日 ${dept}`, duban)).text).toContain(`已将第48项${dept}的期限设为 2026-12-20`);
    expect(env.store.deadline(defaultTask(48), dept)).toBe('2026-12-20');
    expect((await say('/deadline 1-5 2026/12/1', duban)).text).toContain('第1–5项（5项）期限设为 2026-12-01');
    expect((await say('/deadline 6 1月15日', duban)).text).toContain('期限设为 2027-01-15'); // the next such date
    expect((await say('/deadline 48 2026-02-30', duban)).intent).toBe('deadline_usage');
    expect((await say('/deadline 999 2026-12-01', duban)).text).toMatch(/没有第999项/);
  });

  it('a deadline said in words (第7项期限定到1月20日, 把8的期限改成2027-02-28) is set as /deadline sets it, by the coordinator only; 7的期限是哪天 shows it', async () => {
    expect((await say('把8的期限改成2027-02-28', { chatId: 'g-dept' })).text).toMatch(/^只有协调员.*设定期限/);
    expect(env.store.deadlineEntry(defaultTask(8)).date).toBeUndefined();
    expect((await say('第7项期限定到1月20日', duban)).text).toContain('已将第7项期限设为 2027-01-20');
    expect((await say('把8的期限改成2027-02-28', duban)).intent).toBe('deadline_set');
    expect(env.store.deadlineEntry(defaultTask(8)).date).toBe('2027-02-28');
    const shown = await say('7的期限是哪天', { chatId: 'g-dept' });
    expect(shown.intent).toBe('progress_status');
    expect(shown.text).toContain('截止2027年1月20日');
  });

  it('"第48项进展如何" in the department\'s group and the 督办 group lists every department with status, deadline, last update and who', async () => {
    const dept = t48().departments[0];
    for (const chat of [{ chatId: 'g-dept' }, duban]) {
      const r = await say('第48项进展如何', chat);
      expect(r.intent).toBe('progress_status');
      expect(r.text).toMatch(new RegExp(`· ${dept}：已完成（截止12月20日，还有13天，12/7 10:00 李四更新）`));
    }
  });

  it('a guest asking "第48项进展如何" sees statuses and deadlines, but not the notes or who wrote them', async () => {
    const [dept, other] = t48().departments;
    await say(`/progress 48 进行中 已与${dept}对接培训师资`, { chatId: 'g-other', trusted: { speakAs: { department: other } } });
    const guest = await say('第48项进展如何', { chatId: 'stranger-chat', userId: 'stranger', userName: '王五' });
    expect(guest.text).toMatch(new RegExp(`· ${dept}：已完成（截止12月20日，还有13天，12/7 10:00更新）`));
    expect(guest.text).toMatch(new RegExp(`· ${other}：进行中（[^）]*12/7 10:00更新）\n`));
    expect(guest.text).not.toContain('李四');
    expect(guest.text).not.toContain('对接培训师资');
    expect(guest.text).toContain('进展备注和填报人只对该责任部门、督办和管理员显示。');
    // The department itself reads its own note and author, not another department's.
    const own = await say('第48项进展如何', { chatId: 'g-other', trusted: { speakAs: { department: other } } });
    expect(own.text).toContain(`备注：已与${dept}对接培训师资`);
    expect(own.text).toContain('李四更新） 备注');
    expect(own.text).toMatch(new RegExp(`· ${dept}：已完成（截止12月20日，还有13天，12/7 10:00更新）`));
  });

  it('"哪些任务逾期了?" puts overdue tasks of the chat\'s department; the coordinator sees all departments', async () => {
    const other = t48().departments.find((d) => d !== t48().departments[0]);
    const r = await say('哪些任务逾期了?', duban);
    expect(r.intent).toBe('progress_overdue');
    expect(r.text).toMatch(/^全部部门逾期的任务 \d+ 项：/);
    expect(r.text).toContain('第1项');
    if (other) expect(r.text).not.toMatch(new RegExp(`第48项.*— ${t48().departments[0]}`));
  });

  it('"我们还有哪些没完成?" from a department group; the coordinator gets counts per department', async () => {
    const dept = t48().departments[0];
    const r = await say('我们还有哪些没完成?', { chatId: 'g-dept' });
    expect(r.intent).toBe('progress_pending');
    expect(r.text).toMatch(new RegExp(`^${dept}未完成的任务 \\d+ 项`));
    expect(r.text).not.toContain('第48项');
    const c = await say('还有哪些没完成', duban);
    expect(c.text).toMatch(/^未完成情况（2026-12-07）：\n· 人社：未完成 \d+ 项/);
  });

  it('"下周到期的任务" and /due', async () => {
    await say('/deadline 49 2026-12-16', duban);
    const r = await say('下周到期的任务');
    expect(r.intent).toBe('progress_due');
    expect(r.text).toMatch(/下周（2026-12-14 至 2026-12-20）到期的任务/);
    expect(r.text).toContain('第49项');
    expect((await say('/due 30')).text).toMatch(/今后30天内/);
    // …however it is said: 最近要完成哪些 (the next 14 days), 这周要完成的任务 (this week)
    expect((await say('法院最近要完成哪些')).text).toMatch(/^法院今后14天内（.*）到期的任务/);
    expect((await say('这周要完成的任务')).intent).toBe('progress_due');
  });
});

describe('reminder schedules from the 督办 group', () => {
  it('shows and changes a department schedule; others are refused', async () => {
    expect((await say('/schedule', { chatId: 'g-dept' })).text).toMatch(/^只有协调员/);
    const all = await say('/schedule', duban);
    expect(all.text).toMatch(/总工会：周报 周一 09:1\d，到期提醒 09:2\d（提前 7、3、1 天），逾期提醒 09:2\d/);
    const r = await say('/schedule 总工会 周报 周二 16:00', duban);
    expect(r.text).toMatch(/总工会：周报 周二 16:0[1-6]/);
    expect(env.store.scheduleOverride('总工会')).toEqual({ weeklyDigest: { weekday: 2, time: '16:00', enabled: true } });
    await say('/schedule 总工会 到期 5,2', duban);
    expect((await say('/schedule 总工会', duban)).text).toMatch(/提前 5、2 天/);
    await say('/schedule 总工会 逾期 关', duban);
    expect((await say('/schedule 总工会', duban)).text).toContain('逾期提醒 关');
    expect((await say('/schedule 督办 汇总 周五 17:20', duban)).text).toMatch(/督办群逾期汇总：周五 17:2\d/);
    await say('/schedule 总工会 默认', duban);
    expect(env.store.scheduleOverride('总工会')).toBeUndefined();
    expect(env.store.history({ action: 'schedule' }).length).toBeGreaterThanOrEqual(5);
  });
});

describe('the web page speaking as a department', () => {
  it('speakAs is honoured without a binding', async () => {
    const dept = t48().departments[0];
    const r = await say('48 进行中 网页报送', { channel: 'web', chatId: 'session-1', trusted: { speakAs: { department: dept } } });
    expect(r.intent).toBe('progress_report');
    expect(env.store.status(defaultTask(48), dept)).toMatchObject({ note: '网页报送', updatedBy: { channel: 'web' } });
  });
});

describe('questions that only look like progress questions go to the QA engine', () => {
  it.each(['劳动争议逾期申请仲裁怎么办', '未完成调解的案件怎么处理', '仲裁时效什么时候到期'])('「%s」', async (q) => {
    expect((await say(q, { chatId: 'g-dept' })).intent).not.toMatch(/^progress/);
  });
  it.each([
    ['总工会有几项逾期', 'progress_overdue'],
    ['本周有哪些任务到期', 'progress_due'],
    ['最近哪些要到期', 'progress_due'],
    ['未完成的任务有哪些', 'progress_pending'],
    ['/overdue', 'progress_overdue'],
    ['/pending', 'progress_pending'],
  ])('「%s」 → %s', async (q, intent) => {
    expect((await say(q, { chatId: 'g-dept' })).intent).toBe(intent);
  });
});

describe('counting is not reporting', () => {
  it('"三项已完成，两项在办" is not a report on task 3; "第三项 已完成" is', async () => {
    expect((await say('三项已完成，两项在办', { chatId: 'g-dept' })).intent).not.toBe('progress_report');
    const r = await say('第三项 已完成', { chatId: 'g-dept' });
    expect(['progress_report', 'progress_refused']).toContain(r.intent);
  });
});

describe('/schedule with several kinds in one command', () => {
  it('/schedule 财政 weekly-digest 周三 10:10 due-soon 14:20 5,1', async () => {
    const r = await say('/schedule 财政 weekly-digest 周三 10:10 due-soon 14:20 5,1', duban);
    expect(r.intent).toBe('schedule_set');
    expect(env.store.scheduleOverride('财政')).toEqual({
      weeklyDigest: { weekday: 3, time: '10:10', enabled: true },
      dueSoon: { time: '14:20', enabled: true, days: [5, 1] },
    });
    expect((await say('/schedule 财政 周三', duban)).intent).toBe('schedule_usage');
    expect((await say('/schedule 财政 汇总 周一', duban)).intent).toBe('schedule_usage');
  });

  it('/schedule help gives its examples with a unit of the loaded plan', async () => {
    const r = await say('/schedule help', duban);
    expect(r.intent).toBe('schedule_usage');
    expect(r.text).toContain(`/schedule ${plan().registry.names[0]} 周报`);
  });
});
