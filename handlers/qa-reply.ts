/**
 * Reply formatting for the question-answering engine: the engine (src/nlu) returns a structured Analysis —
 * intent, ranked tasks with scores, departments, what it understood — and this module alone turns it into
 * the text a user reads.
 */
import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import type { Analysis } from '../src/nlu/engine.js';
import { answerResponsibility } from './responsibility.js';
import { answerDepartmentTasks, answerDepartmentTopicTasks } from './department-tasks.js';
import { answerTaskDetails } from './task-detail.js';
import { answerSectionTasks } from './section-tasks.js';
import { answerHelp, answerOverview, answerUnknown } from './help.js';

/** Below this probability of being answerable, the best task is offered with the next two as alternatives. */
export const VAGUE_BELOW = 0.8;

export function formatReply(loaded: LoadedPlan, a: Analysis, question: string): Reply {
  switch (a.intent) {
    case 'task_detail':
      return answerTaskDetails(loaded, a.taskNumbers ?? [a.taskNumber!], { asksLead: a.asksLead });
    case 'section_tasks':
      return answerSectionTasks(loaded, a.section!, a.sectionAlternatives);
    case 'department_tasks':
      return a.topic
        ? answerDepartmentTopicTasks(loaded, a.departments, a.topic.words, a.topic.ids, a.role)
        : answerDepartmentTasks(loaded, a.departments, { role: a.role, roles: a.roles, separately: a.separately, leadAskedWithoutRoles: a.asksLead && !a.role && !loaded.plan.tasks.some((t) => t.lead.length) });
    case 'responsibility':
      return answerResponsibility(loaded, a.ranked, a.departments, { vague: (a.decision?.p ?? 1) < VAGUE_BELOW, asksLead: a.asksLead });
    case 'help':
      return a.overview ? answerOverview(loaded) : answerHelp(loaded);
    default:
      // quote the cleaned text (no markup) back to the user
      return answerUnknown(loaded, a.normalized || question, a.unknownUnit);
  }
}
