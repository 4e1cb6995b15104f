/**
 * An office follows two plans at once: the first plan (fixture plan1, as the default) and a second one of
 * another domain imported from its Word document with `npm run plan -- import … --yes` (fixture plan2).
 * Each question is answered over HTTP from the plan it is about; a plan imported while the server runs is
 * answered without a restart; a server that knows only the second plan says nothing of the first.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlanCli } from '../../src/cli/plan.js';
import { planShortName } from '../../src/plan/names.js';
import { setPlanStatus, storePlan } from '../../src/plan/store.js';
import type { DepartmentFile } from '../../src/plan/departments.js';
import { startServer, type Running } from '../../src/server/start.js';
import { PLAN1, PLAN2, plan1 } from '../plan/helpers.js';

interface Answer {
  intent: string;
  reply: string;
  tasks: Array<{ plan: string; id: number; departments: string[] }>;
  departments: string[];
}

const first = plan1();
const dirs: string[] = [];
const servers: Running[] = [];

/** A DATA_DIR whose default plan is the plan1 fixture (not whatever data/plan.txt holds today). */
function dataDirWithPlan1(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'duban-plans-'));
  dirs.push(dir);
  const departments = JSON.parse(readFileSync(path.join(PLAN1, 'departments.json'), 'utf8')) as DepartmentFile;
  storePlan(dir, { plan: { ...first.plan, id: 'default' }, departments, shipped: true });
  return dir;
}

async function importPlan2(dataDir: string): Promise<void> {
  let out = '';
  const code = await runPlanCli(['import', path.join(PLAN2, 'plan2.docx'), '--yes'], { env: { DATA_DIR: dataDir }, out: (s) => (out += s) });
  expect(code, out).toBe(0);
  expect(out).toContain('已导入为方案 p2');
}

async function start(dataDir: string, onPlansReloaded?: (ids: string[]) => void): Promise<Running> {
  const running = await startServer({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }, scheduler: false, onPlansReloaded });
  servers.push(running);
  return running;
}

async function ask(running: Running, text: string, session = 'reader'): Promise<Answer> {
  const res = await fetch(`${running.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, session }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('two plans answer side by side', () => {
  let running: Running;
  let second: { title: string; short: string; lead3: string; unit: string; unitTasks: number[] };

  beforeAll(async () => {
    const dir = dataDirWithPlan1();
    await importPlan2(dir);
    running = await start(dir);
    const p2 = running.qa.plans().find((p) => p.plan.id === 'p2')!;
    // A unit of plan 2 that plan 1 does not have, with its tasks; the lead unit of a task with a heading of its own.
    const unit = p2.registry.names.find((n) => !first.registry.mentionedIn(n).length && !/^各|、/.test(n) && p2.plan.tasks.filter((t) => t.departments.includes(n)).length >= 2)!;
    second = {
      title: p2.plan.title,
      short: planShortName(p2.plan.title),
      lead3: p2.plan.tasks[2].lead[0],
      unit,
      unitTasks: p2.plan.tasks.filter((t) => t.departments.includes(unit)).map((t) => t.id),
    };
  });

  it('still answers 谁负责调解员培训 with 第48项 of the first plan', async () => {
    const a = await ask(running, '谁负责调解员培训?');
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0]).toMatchObject({ plan: 'default', id: 48 });
  });

  it('answers 「第5项是什么」 from the second plan when its short name is mentioned, and says which plan', async () => {
    const a = await ask(running, `${second.short}第5项是什么`);
    expect(a.intent).toBe('task_detail');
    expect(a.tasks).toEqual([expect.objectContaining({ plan: 'p2', id: 5 })]);
    expect(a.reply).toContain(`【${second.short}】`);
    const p2 = running.qa.plans().find((p) => p.plan.id === 'p2')!;
    expect(a.reply).toContain(p2.plan.tasks[4].text.slice(0, 10));
  });

  it('answers from the second plan when its full title is mentioned', async () => {
    const a = await ask(running, `《${second.title}》第5项是什么`);
    expect(a.tasks).toEqual([expect.objectContaining({ plan: 'p2', id: 5 })]);
  });

  it('goes on with the plan of the conversation: a bare 「第6项」 after a question about plan 2 stays in plan 2', async () => {
    await ask(running, `${second.short}第5项是什么`, 'conversation');
    const a = await ask(running, '第6项是什么', 'conversation');
    expect(a.tasks).toEqual([expect.objectContaining({ plan: 'p2', id: 6 })]);
    // Another reader, with no conversation yet, gets the default plan and is told which plan it is.
    const b = await ask(running, '第6项是什么', 'newcomer');
    expect(b.tasks).toEqual([expect.objectContaining({ plan: 'default', id: 6 })]);
    expect(b.reply).toContain(`【${planShortName(first.plan.title)}】`);
  });

  it("lists a unit of the second plan from the second plan", async () => {
    const a = await ask(running, `${second.unit}有哪些任务`);
    expect(a.intent).toBe('department_tasks');
    expect(new Set(a.tasks.map((t) => t.plan))).toEqual(new Set(['p2']));
    expect(a.tasks.map((t) => t.id).sort((x, y) => x - y)).toEqual(second.unitTasks);
  });

  it('answers who leads a task of the second plan with its lead unit', async () => {
    const p2 = running.qa.plans().find((p) => p.plan.id === 'p2')!;
    const heading = /^([^。]{4,14})。/.exec(p2.plan.tasks[2].text)![1];
    const a = await ask(running, `谁牵头${heading}`);
    expect(a.tasks[0]).toMatchObject({ plan: 'p2', id: 3 });
    expect(a.reply).toContain(second.lead3);
  });

  it('answers the follow-up 「谁牵头」 with the lead unit of the task in the plan the answer came from', async () => {
    await ask(running, `${second.short}第3项是什么`, 'follow-up');
    const a = await ask(running, '谁牵头', 'follow-up');
    expect(a.tasks[0]).toMatchObject({ plan: 'p2', id: 3 });
    expect(a.reply).toContain(`牵头单位为${second.lead3}`);
  });

  it('gives the chat page a unit’s example task with its plan named, and following it updates that plan’s task', async () => {
    const whoami = (await (await fetch(`${running.url}/api/whoami`)).json()) as { examples: Record<string, string> };
    const example = whoami.examples[second.unit];
    expect(example).toMatch(new RegExp(`^${second.short} \\d+$`));
    const id = Number(example.split(' ')[1]);
    expect(second.unitTasks).toContain(id);
    // The page's button 「<方案简称> N 进行中」, sent as that unit.
    const res = await fetch(`${running.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `${example} 进行中`, as: second.unit }) });
    const a = (await res.json()) as Answer;
    expect(a.reply).toContain('已记录');
    expect(running.store.statusOf({ plan: 'p2', task: id }, second.unit)).toBe('进行中');
  });

  it('answers 帮助 with both plans, their counts and examples of each', async () => {
    const a = await ask(running, '帮助');
    expect(a.intent).toBe('help');
    expect(a.reply).toContain(`${first.plan.tasks.length}项任务`);
    const p2 = running.qa.plans().find((p) => p.plan.id === 'p2')!;
    expect(a.reply).toContain(`${p2.plan.tasks.length}项任务`);
    const res = await fetch(`${running.url}/api/examples`);
    const body = (await res.json()) as { examples: string[]; plans: Array<{ id: string; tasks: number }> };
    expect(body.plans.map((p) => p.id)).toEqual(['default', 'p2']);
    expect(body.examples.length).toBeGreaterThanOrEqual(4);
    // Every example is answered, and not with a refusal.
    for (const e of body.examples) expect((await ask(running, e, 'examples')).intent).not.toMatch(/unknown|help/);
  });
});

describe('a plan imported while the server runs', () => {
  let running: Running;
  let reloaded: Promise<string[]>;

  beforeAll(async () => {
    const dir = dataDirWithPlan1();
    let told!: (ids: string[]) => void;
    reloaded = new Promise((resolve) => (told = resolve));
    running = await start(dir, (ids) => told(ids));
    expect(running.qa.plans().map((p) => p.plan.id)).toEqual(['default']);
    await importPlan2(dir);
  });

  it('is answered without a restart', async () => {
    expect(await reloaded).toEqual(['default', 'p2']);
    const p2 = running.qa.plans().find((p) => p.plan.id === 'p2')!;
    const a = await ask(running, `${planShortName(p2.plan.title)}第5项是什么`);
    expect(a.tasks).toEqual([expect.objectContaining({ plan: 'p2', id: 5 })]);
    expect((await ask(running, '谁负责调解员培训?')).tasks[0]).toMatchObject({ plan: 'default', id: 48 });
  });
});

describe('a server that knows only the second plan', () => {
  let running: Running;
  /** Words of the first plan that the second does not use: its units and its short name. */
  let firstOnly: string[];

  beforeAll(async () => {
    const dir = dataDirWithPlan1();
    await importPlan2(dir);
    setPlanStatus(dir, 'default', 'archived');
    running = await start(dir);
    const p2 = running.qa.plans()[0];
    const text2 = p2.plan.tasks.map((t) => t.text).join('') + p2.registry.names.join('');
    firstOnly = [...first.registry.names, planShortName(first.plan.title), '调解'].filter((w) => !text2.includes(w));
    expect(firstOnly.length).toBeGreaterThan(2);
  });

  const mentionsNoneOf = (text: string) => {
    for (const w of firstOnly) expect(text, `「${w}」`).not.toContain(w);
  };

  it('greets, helps, refuses and hints with the second plan only', async () => {
    expect(running.qa.plans().map((p) => p.plan.id)).toEqual(['p2']);
    const p2 = running.qa.plans()[0];
    const help = await ask(running, '帮助');
    expect(help.reply).toContain(`${p2.plan.tasks.length}项任务`);
    mentionsNoneOf(help.reply);
    mentionsNoneOf((await ask(running, '今天天气怎么样')).reply);
    mentionsNoneOf((await ask(running, `第${p2.plan.tasks.length + 40}项是什么`)).reply);
    mentionsNoneOf((await ask(running, '一共多少项任务')).reply);
    const examples = await (await fetch(`${running.url}/api/examples`)).text();
    mentionsNoneOf(examples);
    mentionsNoneOf(await (await fetch(`${running.url}/`)).text());
    const bad = await fetch(`${running.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
    mentionsNoneOf(await bad.text());
  });
});
