/**
 * Assemble the whole server from configuration: plan → QA engine → state → bot → channels → reminders → HTTP.
 * main.ts, the end-to-end tests and the benchmark all start the server through here.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import type { Router } from 'express';
import { readCoreConfig, type CoreConfig } from '../config.js';
import { createBot, type Bot } from '../core/bot.js';
import type { Env } from '../core/env.js';
import { log as rootLog, type Logger } from '../core/log.js';
import type { OutboundChannel } from '../core/types.js';
import { importedPlanFile, loadPlans, type LoadedPlan } from '../plan/load.js';
import { watchPlans } from '../plan/watch.js';
import { createPlanRouter, type PlanRouter } from '../core/plans.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { withAnswerCache } from '../nlu/answer-cache.js';
import { openStore, type StateStore } from '../state/store.js';
import { resolveActor } from '../core/actor.js';
import { conversationMiddleware } from '../core/conversation.js';
import type { Services } from '../core/services.js';
import { progressHandlers } from '../../handlers/index-progress.js';
import { askHandler } from '../../handlers/ask.js';
import { createConsoleChannel } from '../channels/console.js';
import { createWebInbox } from '../channels/web-inbox.js';
import { createReminderService, type ReminderService } from '../reminders/service.js';
import { readReminderConfig } from '../reminders/config.js';
import { readTelegramConfig } from '../channels/telegram/config.js';
import { readWecomConfig } from '../channels/wecom/config.js';
import { createDashboard, readDashboardConfig } from '../dashboard/index.js';
import { createApp } from './app.js';

export interface Running {
  url: string;
  /** The dashboard's password when none was configured (generated for this run), to show at start-up. */
  oneTimePassword?: string;
  config: CoreConfig;
  /** The default plan (state, reminders and the dashboard's ledger are kept for it). */
  loaded: LoadedPlan;
  /** Questions, answered from every active plan. */
  qa: PlanRouter;
  store: StateStore;
  bot: Bot;
  reminders: ReminderService;
  close(): Promise<void>;
}

interface Part {
  router?: { path: string; router: Router };
  outbound?: OutboundChannel[];
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
}

export interface StartOptions {
  env?: Env;
  log?: Logger;
  clock?: () => Date;
  /** Start the reminder scheduler (off in tests that drive ticks themselves). */
  scheduler?: boolean;
  /** Told the active plans' ids after plans imported or archived elsewhere were picked up. */
  onPlansReloaded?: (ids: string[]) => void;
}

export async function startServer(options: StartOptions = {}): Promise<Running> {
  const env = options.env ?? process.env;
  const log = options.log ?? rootLog;
  const clock = options.clock ?? (() => new Date());
  // Read every configuration first, so a bad value stops start-up before anything is opened.
  const config = readCoreConfig(env);
  const reminderConfig = readReminderConfig(env);
  const telegramConfig = readTelegramConfig(env);
  const wecomConfig = readWecomConfig(env);
  const dashboardConfig = readDashboardConfig(env);

  // A plan imported from the dashboard is saved in DATA_DIR and replaces the shipped one at the next start.
  const importedPlan = importedPlanFile(config.dataDir);
  // Every active plan answers questions (one engine each, built on its first question); the default plan
  // (the first) keeps the state, reminders and dashboard until those are per plan.
  const active = loadPlans(config.dataDir);
  if (!active.length) throw new Error('没有有效的方案（都已归档）：npm run plan -- activate <编号>');
  const loaded = active[0];
  const qa = createPlanRouter(active, (plan) => withAnswerCache(createQaEngine(plan), config.answerCacheSize));
  const store = await openStore({ dir: config.dataDir, loaded, clock, lock: { waitMs: config.lockWaitMs } });
  const parts: Part[] = [];
  let server: Server | undefined;
  let reminders: ReminderService | undefined;
  try {
    const services: Services = { loaded, store, qa, clock };
    const bot = createBot<Services>({
      services,
      handlers: [...progressHandlers, askHandler],
      middleware: [
        conversationMiddleware<Services>({
          ttlMs: config.contextTtlMinutes * 60_000,
          maxConversations: config.contextMaxConversations,
          pageLines: config.pageLines,
          splitDepartments: (text) => loaded.registry.splitMentions(text),
          leadOf: (id) => loaded.plan.tasks.find((t) => t.id === id)?.lead ?? [],
        }),
      ],
      resolveActor: (message) => resolveActor(message, store, loaded.registry),
      clock,
    });

    // Platform SDKs are loaded only when their channel is configured.
    if (wecomConfig) {
      const { createWecom, HOOKS_FILE } = await import('../channels/wecom/index.js');
      // Group-robot keys the coordinator adds from chat (/hook) are kept beside the state, readable by the owner only.
      const wecom = createWecom({
        config: wecomConfig, bot, store, log, hooksFile: path.join(config.dataDir, HOOKS_FILE),
        // Replies come in only once the server is up, when the reminder service (and its outbox sender) exists.
        deliverLater: (row) => reminders!.deliver(row),
      });
      parts.push({ router: wecom.mount, outbound: wecom.outbound, start: wecom.start, stop: wecom.stop });
    }
    if (telegramConfig) {
      const { createTelegram } = await import('../channels/telegram/index.js');
      const telegram = createTelegram({ config: telegramConfig, bot, store, log });
      parts.push({ router: telegram.mount, outbound: [telegram.outbound], start: telegram.start, stop: telegram.stop });
    }
    const inbox = createWebInbox();
    const outbound: OutboundChannel[] = [createConsoleChannel(), inbox, ...parts.flatMap((p) => p.outbound ?? [])];
    reminders = createReminderService({ store, loaded, channels: outbound, clock, config: reminderConfig });
    services.reminders = reminders;

    const dashboard = createDashboard({ config: dashboardConfig, loaded, store, qa, reminders, clock, log, planFile: importedPlan, reportsDir: reminders.reportsDir });
    parts.push({ router: { path: '/admin', router: dashboard.router } });

    const app = createApp({
      bot,
      log,
      adminToken: config.adminToken,
      trustLoopback: config.trustLoopback,
      trustProxy: config.trustProxy,
      departments: loaded.registry.names,
      examples: () => ({
        examples: qa.examples(),
        plans: qa.plans().map((p) => ({ id: p.plan.id, title: p.plan.title, tasks: p.plan.tasks.length })),
      }),
      exampleTask: (department) =>
        store.rows({ department }).find((r) => r.status !== '已完成')?.taskId ?? loaded.plan.tasks.find((t) => t.departments.includes(department))?.id,
      inbox: (chatId) => inbox.list(chatId),
      mounts: parts.flatMap((p) => (p.router ? [p.router] : [])),
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s)).once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

    // Plans imported or archived by `npm run plan` while running are answered from without a restart.
    const planWatcher = watchPlans(config.dataDir, {
      onChange: () => {
        try {
          const next = loadPlans(config.dataDir);
          if (!next.length) return log.warn('所有方案都已归档：继续使用已加载的方案');
          qa.replace(next);
          const ids = next.map((p) => p.plan.id);
          log.info({ plans: ids }, '方案已重新加载');
          options.onPlansReloaded?.(ids);
        } catch (err) {
          log.error({ err }, '方案重新加载失败：继续使用已加载的方案');
        }
      },
    });
    parts.push({ stop: async () => planWatcher.close() });

    for (const part of parts) await part.start?.();
    if (options.scheduler !== false) await reminders.start();
    log.info({ url, dataDir: config.dataDir, tasks: loaded.plan.tasks.length }, '督办助手 ready');

    const srv = server;
    const rem = reminders;
    return {
      url, config, loaded, qa, store, bot, reminders: rem,
      oneTimePassword: dashboardConfig.generated ? dashboardConfig.password : undefined,
      async close() {
        await rem.stop();
        for (const part of parts.reverse()) await part.stop?.().catch((err) => log.warn({ err }, 'stop failed'));
        await new Promise<void>((resolve) => srv.close(() => resolve()));
        srv.closeAllConnections?.();
        await store.close();
      },
    };
  } catch (err) {
    await reminders?.stop();
    server?.close();
    await store.close();
    throw err;
  }
}
