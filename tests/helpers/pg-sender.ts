/**
 * One instance's outbox sender on a shared PostgreSQL state, sending to WeCom group robots (the fake
 * WeCom on 127.0.0.1): the store, the reminder service in its sending-only mode (what a follower runs),
 * woken by other instances' changes like the server wires it.
 */
import { pino } from 'pino';
import { createWecom, readWecomConfig } from '../../src/channels/wecom/index.js';
import type { OutboundChannel } from '../../src/core/types.js';
import { loadPlan } from '../../src/plan/load.js';
import { defaultReminderConfig } from '../../src/reminders/config.js';
import { createReminderService } from '../../src/reminders/service.js';
import { openStore, type StateStore } from '../../src/state/store.js';
import { echoBot } from '../wecom/helpers.js';

export interface SenderInstance {
  store: StateStore;
  /** webhook/send calls this instance made. */
  readonly sends: number;
  stop(): Promise<void>;
}

export async function startPgSender(o: { databaseUrl: string; dir: string; wecomUrl: string; bindings: string; leaseMs: number }): Promise<SenderInstance> {
  const loaded = loadPlan();
  const store = await openStore({ dir: o.dir, loaded, databaseUrl: o.databaseUrl });
  const config = readWecomConfig({ WECOM_WEBHOOK_BASE: o.wecomUrl, WECOM_WEBHOOK_BINDINGS: o.bindings })!;
  const wecom = createWecom({ config, bot: echoBot(), store, log: pino({ level: 'silent' }) });
  let sends = 0;
  const counted: OutboundChannel[] = wecom.outbound.map((ch) => ({ ...ch, send: (...a) => (sends++, ch.send(...a)) }));
  const service = createReminderService({
    store,
    config: defaultReminderConfig({ claimLeaseMs: o.leaseMs, retryBaseMs: 50, retryMaxMs: 500 }),
    channels: counted,
    holidays: { days: {} },
  });
  const unsubscribe = store.onChange(() => service.kick());
  service.startSending();
  return {
    store,
    get sends() {
      return sends;
    },
    async stop() {
      unsubscribe();
      await service.stop();
      await wecom.stop();
      await store.close();
    },
  };
}
