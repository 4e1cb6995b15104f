/**
 * Progress reports as department staff write them (tests/eval/reports, written blind from the plan text by a helper
 * who saw neither the code nor the parser's tests): each message alone, from a chat speaking as its department; a
 * report must set every task it names to the status it says, a question must change nothing. The floors are the
 * figures recorded in RECORD.md: a change may raise them, never lower them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/core/bot.js';
import { resolveActor } from '../../src/core/actor.js';
import type { Services } from '../../src/core/services.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { askHandler } from '../../handlers/ask.js';
import { plan, withStore } from '../state/helpers.js';

interface Written {
  message: string;
  kind: 'report' | 'question';
  tasks: number[];
  status: '已完成' | '进行中' | '未开始' | null;
}

const now = new Date('2026-12-07T10:00:00+08:00');
let env: Awaited<ReturnType<typeof withStore>>;
let bot: Bot;

beforeAll(async () => {
  env = await withStore({ clock: () => now });
  const loaded = plan();
  const services: Services = { loaded, plans: env.store.plans, store: env.store, qa: createPlanRouter([loaded], createQaEngine), clock: () => now };
  bot = createBot<Services>({ services, handlers: [...progressHandlers, askHandler], resolveActor: (m) => resolveActor(m, env.store), clock: () => now });
});
afterAll(async () => env.cleanup());

async function score(file: string, department: string) {
  const key = (task: number) => ({ plan: plan().plan.id, task });
  const own = plan().plan.tasks.filter((t) => t.departments.includes(department)).map((t) => t.id);
  const written = readFileSync(new URL(`../eval/reports/${file}`, import.meta.url), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Written);
  let reports = 0;
  let questions = 0;
  for (const [i, w] of written.entries()) {
    for (const id of own) if (env.store.statusOf(key(id), department) !== '未开始') await env.store.setStatus(key(id), department, '未开始', undefined, { channel: 'cli' });
    const reply = await bot.handle({ channel: 'web', chatId: `dept:${department}`, chatType: 'private', userId: `u${i}`, userName: department, text: w.message, trusted: { speakAs: { department } } });
    const changed = own.filter((id) => env.store.statusOf(key(id), department) !== '未开始');
    if (w.kind === 'report' && reply?.intent === 'progress_report' && w.tasks.every((id) => env.store.statusOf(key(id), department) === w.status)) reports++;
    if (w.kind === 'question' && reply?.intent !== 'progress_report' && changed.length === 0) questions++;
  }
  return { reports, questions, ofReports: written.filter((w) => w.kind === 'report').length, ofQuestions: written.filter((w) => w.kind === 'question').length };
}

describe('progress reports written blind by department staff', () => {
  it.each([
    ['renshe.jsonl', '人社', 38],
    ['zonggonghui.jsonl', '总工会', 39],
  ])('%s (%s): at least %i of 40 reports recorded as said, and no question taken for a report', async (file, department, floor) => {
    const s = await score(file, department);
    expect(s.ofReports).toBe(40);
    expect(s.reports).toBeGreaterThanOrEqual(floor);
    expect(s.questions).toBe(s.ofQuestions);
  });
});
