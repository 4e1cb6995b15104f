/**
 * The chat page in a real Chromium, at desktop and phone width: a conversation of several turns, each answer
 * shown from its start (not scrolled to its end), and 「更多」 offered as a button while a list continues.
 */
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../../src/server/start.js';
import { launchBrowser } from '../dashboard/harness.js';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? path.resolve('docs/screenshots') : mkdtempSync(path.join(tmpdir(), 'duban-shots-'));

let running: Running;
let dir: string;
let context: BrowserContext;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chat-page-'));
  running = await startServer({ env: { PORT: '0', DATA_DIR: dir, DASHBOARD_PASSWORD: 'chat-page-test-pw' }, scheduler: false });
  ({ context, cleanup } = await launchBrowser());
}, 60_000);

afterAll(async () => {
  await cleanup?.();
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Type a message, wait for its answer, return the answer's text. */
async function say(page: Page, text: string): Promise<string> {
  const answers = page.locator('#log .msg.bot');
  const before = await answers.count();
  await page.locator('#text').fill(text);
  await page.locator('#text').press('Enter');
  await expect.poll(() => answers.count(), { timeout: 15_000 }).toBe(before + 1);
  return answers.last().innerText();
}

/** Where the newest answer sits in the visible part of the conversation. */
function newestAnswer(page: Page): Promise<{ top: number; height: number; visible: number }> {
  return page.evaluate(() => {
    const log = document.getElementById('log')!;
    const last = [...log.querySelectorAll('.msg.bot')].pop() as HTMLElement;
    return { top: last.getBoundingClientRect().top - log.getBoundingClientRect().top, height: last.offsetHeight, visible: log.clientHeight };
  });
}

describe.each([
  { name: 'desktop', width: 1280, height: 860 },
  { name: 'phone', width: 390, height: 780 },
])('the chat page at $name width ($width px)', ({ name, width, height }) => {
  it('holds a conversation: follow-ups, answers shown from their start, 「更多」 as a button', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    await page.goto(running.url);
    const first = await say(page, '谁负责调解员培训?');
    const taskId = Number(/第(\d+)项/.exec(first)![1]);
    expect(await say(page, '那它什么时候到期?')).toContain(`第${taskId}项`);
    const court = await say(page, '法院呢?');
    expect(court).toMatch(/法院(?:是|不在)第\d+项的责任部门/);
    // The answer is shown from its first line; one taller than the view starts at the top, its end below the fold.
    const answer = await newestAnswer(page);
    expect(answer.top).toBeGreaterThanOrEqual(-2);
    expect(answer.top).toBeLessThan(answer.visible - 40);
    if (answer.height > answer.visible) expect(answer.top).toBeLessThan(40);
    await expect.poll(() => page.locator('#more').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, `chat-${name}.png`) });

    await page.locator('#more').click();
    await expect.poll(() => page.locator('#log .msg.bot').last().innerText()).toMatch(/第2\/\d+页/);
    await page.close();
  });
});

describe('example buttons that fit the reader', () => {
  it('a department identity gets examples with one of its own tasks', async () => {
    const page = await context.newPage();
    await page.goto(running.url);
    const dept = running.loaded.registry.names.find((d) => d !== running.loaded.registry.coordinator)!;
    await expect.poll(() => page.locator('#as option').count()).toBeGreaterThan(2);
    await page.locator('#as').selectOption(dept);
    const example = page.locator('.hints button', { hasText: /^第\d+项进展如何$/ });
    await expect.poll(() => example.count()).toBe(1);
    const id = Number(/第(\d+)项/.exec((await example.textContent())!)![1]);
    expect(running.loaded.plan.tasks.find((t) => t.id === id)!.departments).toContain(dept);
    await example.click();
    await expect.poll(() => page.locator('#log .msg.bot').last().innerText()).toContain(`第${id}项`);
    await page.close();
  });
});
