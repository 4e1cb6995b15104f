import type { LoadedPlan } from '../plan/load.js';
import type { PlanRouter } from './plans.js';
import type { StateStore } from '../state/store.js';
import type { ReminderService } from '../reminders/service.js';

/** What the handlers need; the bot passes one instance to every handler. */
export interface Services {
  /** The default plan (progress, deadlines and reminders are still kept for it alone). */
  loaded: LoadedPlan;
  store: StateStore;
  /** Questions: the plan router (src/core/plans.ts), which answers from the active plan a question is about. */
  qa: PlanRouter;
  clock: () => Date;
  /** Optional: /schedule shows effective times and the progress queries use its time zone. */
  reminders?: ReminderService;
}
