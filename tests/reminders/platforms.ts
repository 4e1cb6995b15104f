/**
 * The reminder service wired to the fake WeCom (group robot webhooks) and the fake Telegram Bot API on
 * 127.0.0.1, with a hand-moved clock and a state directory that survives restart().
 */
import type { Bot } from '../../src/core/bot.js';
import type { OutboundChannel } from '../../src/core/types.js';
import { createTelegram } from '../../src/channels/telegram/index.js';
import { readTelegramConfig } from '../../src/channels/telegram/config.js';
import { createWecom, readWecomConfig, webhookChatId, type Wecom } from '../../src/channels/wecom/index.js';
import { defaultReminderConfig, type ReminderConfig } from '../../src/reminders/config.js';
import { createReminderService, type ReminderService } from '../../src/reminders/service.js';
import type { HolidayFile } from '../../src/reminders/calendar.js';
import type { StateStore } from '../../src/state/store.js';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-api.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.js';
import { coordinatorActor, manualClock, withStore } from '../state/helpers.js';

export const KEY_COURT = '0a1b2c3d-1111-4bc4-97a0-000000000001';
export const KEY_FINANCE = '0a1b2c3d-2222-4bc4-97a0-000000000002';
export const KEY_COORD = '0a1b2c3d-3333-4bc4-97a0-000000000003';
export const TG_COURT = '-4001';
export const TG_COORD = '-4000';
export const TG_LEADERS = '-4009';

const silentBot: Bot = { handle: async () => ({ text: '', intent: 'none', tasks: [], departments: [] }) };

export interface Platforms {
  wecomFake: FakeWecom;
  tg: FakeBotApi;
  store: StateStore;
  svc: ReminderService;
  wecom: Wecom;
  dir: string;
  clock: ReturnType<typeof manualClock>;
  /** Tick at a Shanghai wall-clock time and wait until everything due is sent. */
  tickAt(t: string): Promise<void>;
  /** Stop the service and the channels, close the store, and start them all again from disk. */
  restart(): Promise<void>;
  courtHook: string;
  financeHook: string;
  coordHook: string;
  cleanup(): Promise<void>;
}

export async function startPlatforms(o: { start: string; holidays?: HolidayFile; config?: Partial<ReminderConfig> }): Promise<Platforms> {
  const wecomFake = await startFakeWecom({ webhookKeys: [KEY_COURT, KEY_FINANCE, KEY_COORD] });
  const tg = await startFakeBotApi();
  const clock = manualClock(`${o.start}+08:00`);
  const s = await withStore({ clock: clock.now });
  const config = defaultReminderConfig({ retryBaseMs: 20, retryMaxMs: 100, ...o.config });
  const wecomConfig = readWecomConfig({
    WECOM_WEBHOOK_BASE: wecomFake.url,
    WECOM_WEBHOOK_BINDINGS: `法院:${KEY_COURT},财政:${KEY_FINANCE},督办:${KEY_COORD}`,
  })!;
  const telegramConfig = readTelegramConfig({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot })!;

  let store = s.store;
  let parts: { wecom: Wecom; svc: ReminderService };
  async function up(): Promise<typeof parts> {
    const wecom = createWecom({ config: wecomConfig, bot: silentBot, store });
    await wecom.start();
    const telegram = createTelegram({ config: telegramConfig, bot: silentBot, store });
    const channels: OutboundChannel[] = [...wecom.outbound, telegram.outbound];
    const svc = createReminderService({ store, channels, clock: clock.now, config, holidays: o.holidays ?? { days: {} }, random: () => 0.5 });
    await svc.start();
    return { wecom, svc };
  }
  parts = await up();
  await store.bind({ channel: 'telegram', chatId: TG_COURT, role: 'department', department: '法院', title: '法院工作群' }, coordinatorActor);
  await store.bind({ channel: 'telegram', chatId: TG_COORD, role: 'coordinator', title: '人社督办群' }, coordinatorActor);

  const p: Platforms = {
    wecomFake,
    tg,
    dir: s.dir,
    clock,
    courtHook: webhookChatId('法院', KEY_COURT),
    financeHook: webhookChatId('财政', KEY_FINANCE),
    coordHook: webhookChatId('督办', KEY_COORD),
    get store() {
      return store;
    },
    get svc() {
      return parts.svc;
    },
    get wecom() {
      return parts.wecom;
    },
    async tickAt(t) {
      clock.set(`${t}+08:00`);
      await parts.svc.tick(clock.now());
      if (!(await parts.svc.idle(20_000))) throw new Error(`reminders still sending after ${t}`);
    },
    async restart() {
      await parts.svc.stop();
      await parts.wecom.stop();
      store = await s.reopen();
      parts = await up();
    },
    async cleanup() {
      await parts.svc.stop().catch(() => undefined);
      await parts.wecom.stop().catch(() => undefined);
      await s.cleanup();
      await wecomFake.close();
      await tg.close();
    },
  } as Platforms;
  return p;
}
