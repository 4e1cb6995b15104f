/**
 * The weekly 督办通报: generated on Friday afternoon from the state, numbered durably, stored in DATA_DIR/reports,
 * and sent once to the coordinator's groups as a file — WeCom robot upload_media + file message, Telegram
 * sendDocument — through the outbox. Read back from the .docx the fakes received.
 */
import { defaultTask } from '../helpers/task.js';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRemindCli } from '../../src/cli/remind.js';
import type { AuditActor } from '../../src/state/types.js';
import { readDocx } from '../helpers/docx.js';
import { coordinatorActor, plan } from '../state/helpers.js';
import { KEY_COORD, TG_COORD, startPlatforms, type Platforms } from './platforms.js';

let env: Platforms;
afterEach(async () => env?.cleanup());

const courtGroup: AuditActor = { channel: 'telegram', chatId: '-4001', userId: '2001', name: '李四' };
const tasksOf = (dept: string) => plan().plan.tasks.filter((t) => t.departments.includes(dept)).map((t) => t.id);

/** A week of work: one task done the week before, progress and a finished task this week, one task overdue. */
async function aWeekOfWork(p: Platforms) {
  const [c1, c2, c3] = tasksOf('法院');
  const [f1] = tasksOf('财政');
  p.clock.set('2026-12-02T10:00:00+08:00');
  await p.store.setStatus(defaultTask(c1), '法院', '已完成', '上周已办结', courtGroup);
  p.clock.set('2026-12-07T08:30:00+08:00');
  await p.store.setDeadline(defaultTask(c3), '2026-12-01', '法院', coordinatorActor);
  await p.store.setLiaisons('法院', [{ platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' }], coordinatorActor);
  p.clock.set('2026-12-08T11:00:00+08:00');
  await p.store.setStatus(defaultTask(c2), '法院', '进行中', '已印发培训方案', courtGroup);
  p.clock.set('2026-12-09T16:00:00+08:00');
  await p.store.setStatus(defaultTask(f1), '财政', '已完成', undefined, { channel: 'wecom-webhook', name: '财政联络员' });
  return { c1, c2, c3, f1 };
}

/** What the department table must say, computed from the state independently of the report code. */
function expectedRows(p: Platforms, reportDay: string): string[][] {
  const rows = p.store.rows();
  const pct = (d: number, t: number) => (t ? `${Math.round((d / t) * 1000) / 10}%` : '—');
  const line = (name: string, list: typeof rows) => {
    const done = list.filter((r) => r.status === '已完成').length;
    const doing = list.filter((r) => r.status === '进行中').length;
    const overdue = list.filter((r) => r.status !== '已完成' && r.deadline && r.deadline < reportDay).length;
    return [name, String(list.length), String(done), String(doing), String(list.length - done - doing), String(overdue), pct(done, list.length)];
  };
  const depts = plan().registry.names.filter((d) => rows.some((r) => r.department === d));
  return [...depts.map((d) => line(d, rows.filter((r) => r.department === d))), line('合计', rows)];
}

describe('the weekly 督办通报', () => {
  it('is generated on Friday afternoon, read back equal to the state, and uploaded once to WeCom and Telegram across a restart', async () => {
    env = await startPlatforms({ start: '2026-12-07T08:00:00', config: { graceMs: 3600_000 } });
    const { c2, c3, f1 } = await aWeekOfWork(env);
    await env.tickAt('2026-12-11T12:00:00');
    expect(env.wecomFake.uploads).toHaveLength(0);

    await env.tickAt('2026-12-11T15:50:00');
    const name = '督办通报-第1期-2026-W50.docx';
    expect(env.store.reports()).toMatchObject([{ number: 1, week: '2026-W50', periodStart: '2026-12-07', periodEnd: '2026-12-11', file: name }]);
    const stored = await readFile(path.join(env.dir, 'reports', name));

    // WeCom: multipart upload with the file, then a file message naming the media_id, after the caption.
    expect(env.wecomFake.uploads).toHaveLength(1);
    const upload = env.wecomFake.uploads[0];
    expect(upload).toMatchObject({ key: KEY_COORD, filename: name, filelength: stored.length });
    expect(upload.bytes.equals(stored)).toBe(true);
    // (The coordinator's group also got the escalation of the overdue task that morning.)
    const coord = env.wecomFake.webhook.get(KEY_COORD)!.map((r) => r.body).filter((b) => b.msgtype === 'file' || JSON.stringify(b).includes('督办通报'));
    expect(coord.map((b) => b.msgtype)).toEqual(['markdown', 'file']);
    expect(coord[0].markdown.content).toMatch(/^\*\*【督办通报】\*\*2026年第1期（12月7日—12月11日）/);
    expect(coord[1].file.media_id).toBe(upload.mediaId);

    // Telegram: the caption as a message, then the document.
    expect(env.tg.documents).toHaveLength(1);
    expect(env.tg.documents[0]).toMatchObject({ chat_id: TG_COORD, filename: name, caption: '督办通报第1期' });
    expect(env.tg.documents[0].bytes.equals(stored)).toBe(true);
    expect(env.tg.sent.filter((m) => m.chat_id === TG_COORD && m.text.includes('督办通报')).map((m) => m.text.split('\n')[0])).toEqual([
      '【督办通报】2026年第1期（12月7日—12月11日）',
    ]);

    // The document: A4 with GB/T 9704 margins, 第1期, figures and tables equal to the state.
    const doc = await readDocx(env.tg.documents[0].bytes);
    expect(doc.page).toEqual({ width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1587, right: 1474 });
    expect([...doc.fonts]).toEqual(expect.arrayContaining(['方正小标宋简体', '黑体', '仿宋_GB2312']));
    expect(doc.paragraphs.slice(0, 3)).toEqual(['督办通报', '第1期', `${plan().registry.get('人社')!.fullName}\t2026年12月11日`]);
    expect(doc.paragraphs).toContain('（2026年12月7日—12月11日）');
    const [overview, departments, overdue, changes] = doc.tables;
    const total = expectedRows(env, '2026-12-11').at(-1)!;
    expect(overview[1]).toEqual(total.slice(1));
    expect(departments.slice(1)).toEqual(expectedRows(env, '2026-12-11'));
    expect(overdue.slice(1)).toEqual([['1', '法院', expect.stringMatching(new RegExp(`^第${c3}项 `)), '12月1日', '10天', '张三（企业微信 zhangsan）']]);
    // Only this week's changes (the 2 December one is last week's).
    expect(changes.slice(1)).toEqual([
      ['12月8日', '法院', `第${c2}项`, '未开始→进行中', '已印发培训方案'],
      ['12月9日', '财政', `第${f1}项`, '未开始→已完成', ''],
    ]);

    // A restart, more ticks the same afternoon and evening: nothing is issued or sent again.
    await env.restart();
    await env.tickAt('2026-12-11T16:30:00');
    await env.tickAt('2026-12-11T17:40:00');
    expect(env.wecomFake.uploads).toHaveLength(1);
    expect(env.tg.documents).toHaveLength(1);
    expect(env.store.reports()).toHaveLength(1);
    expect(await readdir(path.join(env.dir, 'reports'))).toEqual([name]);

    // The next Friday's issue is 第2期.
    await env.tickAt('2026-12-18T15:50:00');
    expect(env.store.reports().map((r) => r.number)).toEqual([1, 2]);
    expect(env.tg.documents.map((d) => d.filename)).toEqual([name, '督办通报-第2期-2026-W51.docx']);
  });

  it('a media_id that expired is uploaded again; a restart between the caption and the file sends only the file', async () => {
    env = await startPlatforms({ start: '2026-12-11T08:00:00', config: { graceMs: 3600_000 } });
    // Telegram's sendDocument fails once: the caption went out, the file did not.
    let failures = 0;
    env.tg.hook = (c) => (c.method === 'sendDocument' && failures++ === 0 ? { error_code: 502, description: 'Bad Gateway' } : undefined);
    env.clock.set('2026-12-11T15:50:00+08:00');
    await env.svc.tick(env.clock.now());
    await env.tg.waitForCall('sendDocument');
    await env.svc.idle(5000);
    const row = env.store.outbox({ kind: 'weekly-report', channel: 'telegram' })[0];
    expect(row).toMatchObject({ status: 'pending', partsSent: 1 });
    await env.restart();
    env.clock.set('2026-12-11T16:30:00+08:00');
    await env.tickAt('2026-12-11T16:30:00');
    expect(env.tg.sent.filter((m) => m.chat_id === TG_COORD && m.text.includes('【督办通报】'))).toHaveLength(1);
    expect(env.tg.documents).toHaveLength(1);

    // WeCom: a media_id is reused while valid; an expired one answers 40007 (retryable) and the next try uploads again.
    expect(env.wecomFake.webhook.get(KEY_COORD)!.filter((r) => r.body.msgtype === 'file')).toHaveLength(1);
    expect(env.wecomFake.uploads).toHaveLength(1);
    const file = { path: path.join(env.dir, 'reports', env.store.reports()[0].file), name: 'again.docx' };
    const sendFile = () => env.wecom.webhook.sendFile!(env.coordHook, file);
    expect(await sendFile()).toMatchObject({ ok: true });
    expect(await sendFile()).toMatchObject({ ok: true });
    expect(env.wecomFake.uploads).toHaveLength(2); // the restarted process uploaded once, then reused it
    env.wecomFake.expireMedia();
    expect(await sendFile()).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('40007') });
    expect(await sendFile()).toMatchObject({ ok: true });
    expect(env.wecomFake.uploads).toHaveLength(3);
  });

  it('moves to Thursday when Friday is a holiday, and the preview shows it with its destination', async () => {
    env = await startPlatforms({ start: '2026-12-10T08:00:00', holidays: { days: { '2026-12-11': 'off' } }, config: { graceMs: 3600_000 } });
    const preview = env.svc.preview(new Date('2026-12-10T15:00:00+08:00'), undefined, 60);
    const report = preview.filter((i) => i.kind === 'weekly-report');
    expect(report.map((i) => [i.chat, i.file])).toEqual(
      expect.arrayContaining([
        ['人社督办群（telegram）', '督办通报-第1期-2026-W50.docx'],
        [expect.stringContaining('督办群机器人'), '督办通报-第1期-2026-W50.docx'],
      ]),
    );
    expect(env.svc.preview(new Date('2026-12-11T15:00:00+08:00'), undefined, 60).filter((i) => i.kind === 'weekly-report')).toEqual([]);

    await env.tickAt('2026-12-10T15:50:00');
    expect(env.tg.documents).toHaveLength(1);
    const doc = await readDocx(env.tg.documents[0].bytes);
    expect(doc.paragraphs).toContain('（2026年12月7日—12月10日）');
    await env.tickAt('2026-12-11T15:50:00');
    expect(env.tg.documents).toHaveLength(1);
  });

  it('down on Friday afternoon: issued (补发) when the server is back that evening; not on the weekend, not in the next week', async () => {
    env = await startPlatforms({ start: '2026-12-11T08:00:00' });
    await env.restart(); // stands for the outage: nothing ticks between the morning and the evening
    await env.tickAt('2026-12-11T21:00:00');
    expect(env.tg.documents.map((d) => d.filename)).toEqual(['督办通报-第1期-2026-W50.docx']);
    expect(env.tg.sent.find((m) => m.text.includes('督办通报'))!.text).toMatch(/^（补发）【督办通报】2026年第1期/);

    await env.cleanup();
    env = await startPlatforms({ start: '2026-12-11T08:00:00' });
    await env.tickAt('2026-12-12T10:00:00'); // Saturday, not a workday
    await env.tickAt('2026-12-14T10:00:00'); // Monday: last week's issue is not sent late
    expect(env.tg.documents).toEqual([]);
    expect(env.store.reports()).toEqual([]);
  });

  it('npm run remind -- report writes one on demand while the bot runs; preview --json lists mentions, escalations and the report', async () => {
    env = await startPlatforms({ start: '2026-12-07T08:00:00' });
    const { c3 } = await aWeekOfWork(env);
    const out = await mkdtemp(path.join(tmpdir(), 'report-cli-'));
    try {
      let text = '';
      const run = (args: string[]) => runRemindCli(args, { env: { DATA_DIR: env.dir }, out: (s) => (text += s), now: () => new Date('2026-12-14T09:00:00+08:00') });
      expect(await run(['report', '--week', '2026-12-09', '--out', path.join(out, 'w50.docx')])).toBe(0);
      expect(text).toContain('督办通报第1期（2026-12-07—2026-12-11），尚未正式印发');
      const doc = await readDocx(await readFile(path.join(out, 'w50.docx')));
      expect(doc.tables[1].slice(1)).toEqual(expectedRows(env, '2026-12-11'));
      expect(env.store.reports()).toEqual([]); // on demand: nothing recorded

      text = '';
      await run(['preview', '--at', '2026-12-11T00:00+08:00', '--window', '1440', '--json']);
      const items = JSON.parse(text) as Array<{ department: string; chat: string; kind: string; text: string; mentions?: unknown[]; file?: string }>;
      expect(items.find((i) => i.kind === 'overdue' && i.department === '法院' && i.chat.includes('群机器人'))?.mentions).toEqual([
        { platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' },
      ]);
      const escalation = items.filter((i) => i.kind === 'escalation');
      expect(escalation.map((i) => i.chat)).toEqual(expect.arrayContaining(['人社督办群（telegram）']));
      expect(escalation[0].text).toContain(`法院 第${c3}项`);
      expect(items.filter((i) => i.kind === 'weekly-report').map((i) => i.file)).toContain('督办通报-第1期-2026-W50.docx');
      await expect(run(['report', '--week', '12/07'])).rejects.toThrow(/--week/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
