import type { LoadedPlan } from '../plan/load.js';
import type { PlanSet } from '../plan/plan-set.js';
import type { PlanRouter } from './plans.js';
import type { StateStore } from '../state/store.js';
import type { ReminderService } from '../reminders/service.js';

/** What the handlers need; the bot passes one instance to every handler. */
export interface Services {
  /** The default plan (the first active one): its registry names the coordinator. */
  loaded: LoadedPlan;
  /** Every active plan: progress, deadlines and reminders are kept per plan + task. */
  plans: PlanSet;
  store: StateStore;
  /** Questions: the plan router (src/core/plans.ts), which answers from the active plan a question is about. */
  qa: PlanRouter;
  clock: () => Date;
  /** Optional: /schedule shows effective times and the progress queries use its time zone. */
  reminders?: ReminderService;
}
