import type { LoadedPlan } from '../plan/load.js';
import type { QaEngine } from '../nlu/engine.js';
import type { StateStore } from '../state/store.js';
import type { ReminderService } from '../reminders/service.js';

/** What the handlers need; the bot passes one instance to every handler. */
export interface Services {
  loaded: LoadedPlan;
  store: StateStore;
  qa: QaEngine;
  clock: () => Date;
  /** Optional: /schedule shows effective times and the progress queries use its time zone. */
  reminders?: ReminderService;
}
