import express from 'express';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { createDashboard } from '../../src/dashboard/index.js';
import { readDashboardConfig } from '../../src/dashboard/config.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import type { QaEngine } from '../../src/nlu/engine.js';
import { createPlanRouter } from '../../src/core/plans.js';
import { loadPlan, type LoadedPlan } from '../../src/plan/load.js';
import { PlanSet } from '../../src/plan/plan-set.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService } from '../../src/reminders/service.js';
import { openStore, type StateStore } from '../../src/state/store.js';

export const PASSWORD = 'test-password-123';
export const CHROMIUM = '/usr/bin/chromium';

let loadedCache: LoadedPlan | undefined;
let qaCache: QaEngine | undefined;
export const plan = () => (loadedCache ??= loadPlan());
export const qaEngine = () => (qaCache ??= createQaEngine(plan()));

/** A clock anchored at `iso` that moves with real time. */
export function clockAt(iso: string): () => Date {
  const offset = new Date(iso).getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

export interface TestServer {
  url: string;
  store: StateStore;
  dir: string;
  close(): Promise<void>;
}

/** express() + the dashboard at /admin + a real store in a temp dir + the real QA engine and reminder service. */
export async function startDashboard(opts: { now?: string; env?: Record<string, string>; databaseUrl?: string; plans?: LoadedPlan[] } = {}): Promise<TestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'duban-dash-'));
  const plans = new PlanSet(opts.plans ?? [plan()]);
  const clock = clockAt(opts.now ?? '2026-05-20T02:00:00Z');
  const store = await openStore({ dir, plans, clock, fsync: false, databaseUrl: opts.databaseUrl });
  const reminders = createReminderService({ store, clock, config: defaultReminderConfig(), holidays: { days: {} } });
  const dash = createDashboard({
    config: readDashboardConfig({ DASHBOARD_PASSWORD: PASSWORD, ...opts.env }),
    store,
    // As the server has it: each plan's tasks searched by its own engine (the shipped plan's built once per run).
    qa: createPlanRouter([...plans.all()], (l) => (l === plan() ? qaEngine() : createQaEngine(l))),
    reminders,
    clock,
    dataDir: dir,
    reportsDir: reminders.reportsDir,
  });
  const app = express();
  // As the server does with PostgreSQL: every request first reads in what other instances committed.
  if (opts.databaseUrl) app.use((_req, _res, next) => void store.refresh().then(() => next(), next));
  app.use('/admin', dash.router);
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/admin`,
    store,
    dir,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await reminders.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Launch the system Chromium; fails loudly when it is missing (CI installs it). */
export async function launchBrowser(): Promise<{ context: BrowserContext; cleanup: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`找不到 ${CHROMIUM}：仪表盘浏览器测试需要 Debian 的 chromium 包（apt-get install -y chromium）`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), 'duban-chromium-'));
  // A fresh profile directory per launch (Playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async cleanup() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
