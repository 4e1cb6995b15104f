/**
 * Assemble the whole server from configuration: plan → QA engine → state → bot → channels → reminders → HTTP.
 * main.ts, the end-to-end tests and the benchmark all start the server through here.
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import express, { type Router } from 'express';
import { readCoreConfig, type CoreConfig } from '../config.js';
import { createBot, type Bot } from '../core/bot.js';
import type { Env } from '../core/env.js';
import { log as rootLog, type Logger } from '../core/log.js';
import type { OutboundChannel } from '../core/types.js';
import { loadPlans, type LoadedPlan } from '../plan/load.js';
import { PlanSet } from '../plan/plan-set.js';
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
import { departmentExampleTask } from '../../handlers/progress-common.js';
import { createConsoleChannel } from '../channels/console.js';
import { createWebInbox } from '../channels/web-inbox.js';
import { createReminderService, type ReminderService } from '../reminders/service.js';
import { readReminderConfig } from '../reminders/config.js';
import { readTelegramConfig } from '../channels/telegram/config.js';
import { readWecomConfig } from '../channels/wecom/config.js';
import { createDashboard, readDashboardConfig } from '../dashboard/index.js';
import { createApp } from './app.js';
import type { Leadership } from '../state/pg/leader.js';

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
  /** This instance runs the reminders and long connections (always, without DATABASE_URL). */
  readonly isLeader: boolean;
  close(): Promise<void>;
}

interface Part {
  router?: { path: string; router: Router };
  outbound?: OutboundChannel[];
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
  /** What must run on one instance only (long polling, long connections): started on the leader. */
  lead?: () => Promise<void>;
}

export interface StartOptions {
  env?: Env;
  log?: Logger;
  clock?: () => Date;
  /** Start the reminder scheduler (off in tests that drive ticks themselves). */
  scheduler?: boolean;
  /** Told the active plans' ids after plans imported or archived elsewhere were picked up. */
  onPlansReloaded?: (ids: string[]) => void;
  /** How often a follower tries to become leader (DATABASE_URL; default 3 s). */
  leaderPollMs?: number;
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

  // Every active plan answers questions (one engine each, built on its first question) and has its tasks'
  // progress, deadlines and reminders (keyed by plan + task); the default plan (the first) names the coordinator.
  const active = loadPlans(config.dataDir);
  if (!active.length) throw new Error('没有有效的方案（都已归档）：npm run plan -- activate <编号>');
  const loaded = active[0];
  const plans = new PlanSet(active);
  const qa = createPlanRouter(active, (plan) => withAnswerCache(createQaEngine(plan), config.answerCacheSize));
  const store = await openStore({ dir: config.dataDir, plans, clock, lock: { waitMs: config.lockWaitMs }, databaseUrl: config.databaseUrl });
  const parts: Part[] = [];
  let server: Server | undefined;
  let reminders: ReminderService | undefined;
  try {
    const services: Services = { loaded, plans, store, qa, clock };
    const coreBot = createBot<Services>({
      services,
      handlers: [...progressHandlers, askHandler],
      middleware: [
        conversationMiddleware<Services>({
          ttlMs: config.contextTtlMinutes * 60_000,
          maxConversations: config.contextMaxConversations,
          pageLines: config.pageLines,
          // Follow-ups name units of any active plan; a task is looked up in the plan its answer came from.
          splitDepartments: (text) => {
            const found = qa.plans().map((p) => p.registry.splitMentions(text));
            return found.find((f) => f.departments.length) ?? found[0];
          },
          leadOf: (id, plan) => qa.plans().find((p) => p.plan.id === (plan ?? loaded.plan.id))?.plan.tasks.find((t) => t.id === id)?.lead ?? [],
        }),
      ],
      resolveActor: (message) => resolveActor(message, store),
      clock,
    });
    // Several instances on one database: every message is answered from the latest committed state,
    // so an update acknowledged by one instance is what the next question to another one sees.
    const shared = store.backend === 'postgres';
    const bot: Bot = shared ? { handle: async (message) => (await store.refresh(), coreBot.handle(message)) } : coreBot;

    // Platform SDKs are loaded only when their channel is configured.
    if (wecomConfig) {
      const { createWecom, HOOKS_FILE, StateHookKeys } = await import('../channels/wecom/index.js');
      // Group-robot keys the coordinator adds from chat (/hook) are kept beside the state, readable by the owner only;
      // with several instances in the shared state, so the leader sends with a robot added on any instance.
      const wecom = createWecom({
        config: wecomConfig, bot, store, log, hooksFile: path.join(config.dataDir, HOOKS_FILE), hookKeys: shared ? new StateHookKeys(store) : undefined,
        // Replies come in only once the server is up, when the reminder service (and its outbox sender) exists.
        deliverLater: (row) => reminders!.deliver(row),
        longConnectionAtStart: !shared,
      });
      const ws = wecom.botWs;
      parts.push({ router: wecom.mount, outbound: wecom.outbound, start: wecom.start, stop: wecom.stop, lead: shared && ws ? () => ws.start() : undefined });
    }
    if (telegramConfig) {
      const { createTelegram } = await import('../channels/telegram/index.js');
      const telegram = createTelegram({ config: telegramConfig, bot, store, log });
      // Telegram allows one getUpdates consumer: with several instances only the leader polls.
      const polling = shared && telegram.mode === 'polling';
      parts.push({ router: telegram.mount, outbound: [telegram.outbound], start: polling ? undefined : telegram.start, stop: telegram.stop, lead: polling ? telegram.start : undefined });
    }
    // With several instances the page's inbox is read from the shared outbox, whichever instance sent.
    const inbox = createWebInbox(shared ? { shared: store.outboxStore } : {});
    const outbound: OutboundChannel[] = [createConsoleChannel(), inbox, ...parts.flatMap((p) => p.outbound ?? [])];
    // Issued reports in DATA_DIR/reports (with DATABASE_URL too: the state has no directory then).
    reminders = createReminderService({ store, channels: outbound, clock, config: reminderConfig, reportsDir: path.join(config.dataDir, 'reports') });
    services.reminders = reminders;

    // Plans imported or archived by `npm run plan` or the dashboard while running are answered from without a restart.
    const planWatcher = watchPlans(config.dataDir, {
      onChange: () => {
        void (async () => {
          try {
            const next = loadPlans(config.dataDir);
            if (!next.length) return log.warn('所有方案都已归档：继续使用已加载的方案');
            qa.replace(next);
            qa.examples(); // a new plan's engine is built now, not on its first user's question
            plans.replace(next);
            // A revised plan: progress and deadlines follow its tasks (matched by text) to their new numbers.
            for (const f of await store.followPlans()) {
              log.info({ plan: f.plan, moved: f.revision.renumbered.length + f.revision.reworded.length, removed: f.revision.removed.length }, '方案已更新：进展和期限已随任务改到新序号');
            }
            const ids = next.map((p) => p.plan.id);
            log.info({ plans: ids }, '方案已重新加载');
            options.onPlansReloaded?.(ids);
          } catch (err) {
            log.error({ err }, '方案重新加载失败：继续使用已加载的方案');
          }
        })();
      },
    });
    parts.push({ stop: async () => planWatcher.close() });

    const dashboard = createDashboard({ config: dashboardConfig, store, qa, reminders, clock, log, dataDir: config.dataDir, onPlansChanged: () => planWatcher.check(), reportsDir: reminders.reportsDir });
    const fresh = express.Router();
    if (shared) fresh.use((_req, _res, next) => void store.refresh().then(() => next(), next));
    fresh.use(dashboard.router);
    parts.push({ router: { path: '/admin', router: fresh } });

    const app = createApp({
      bot,
      log,
      adminToken: config.adminToken,
      trustLoopback: config.trustLoopback,
      trustProxy: config.trustProxy,
      departments: () => plans.departmentNames(),
      examples: () => ({
        examples: qa.examples(),
        plans: qa.plans().map((p) => ({ id: p.plan.id, title: p.plan.title, tasks: p.plan.tasks.length })),
      }),
      exampleTask: (department) => departmentExampleTask({ store, plans }, department),
      inbox: async (chatId) => (shared && (await store.refresh()), inbox.list(chatId)),
      mounts: parts.flatMap((p) => (p.router ? [p.router] : [])),
    });
    // Every active plan's engine is built (and its examples checked) before the server listens: "ready" means
    // the first question is answered at once, not after a second of building.
    qa.examples();
    server = await new Promise<Server>((resolve, reject) => {
      const s = createServer(app).listen(config.port, config.host, () => resolve(s)).once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;


    for (const part of parts) await part.start?.();
    const rem0 = reminders;
    const leadWork = async () => {
      for (const part of parts) await part.lead?.();
      if (options.scheduler !== false) await rem0.start();
    };
    let leadership: Leadership | undefined;
    if (shared) {
      // One instance plans reminders and holds the long connections; every instance sends what is due
      // (claims are exclusive, see OutboxSender), woken by the change feed for rows queued elsewhere.
      store.onChange(() => rem0.kick());
      if (options.scheduler !== false) rem0.startSending();
      const { startLeadership } = await import('../state/pg/leader.js');
      leadership = await startLeadership({ url: config.databaseUrl!, onElected: leadWork, log, pollMs: options.leaderPollMs });
    } else await leadWork();
    log.info({ url, dataDir: config.dataDir, tasks: loaded.plan.tasks.length }, '督办助手 ready');

    const srv = server;
    const rem = reminders;
    return {
      url, config, loaded, qa, store, bot, reminders: rem,
      oneTimePassword: dashboardConfig.generated ? dashboardConfig.password : undefined,
      get isLeader() {
        return leadership?.isLeader ?? true;
      },
      async close() {
        await rem.stop();
        await leadership?.stop();
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
