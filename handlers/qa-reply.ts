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
import { answerSectionTasks, answerTopicTasks, answerWholePlan } from './section-tasks.js';
import { answerCourtesy, answerHelp, answerOverview, answerUnknown } from './help.js';

/** Below this probability of being answerable, the best task is offered with the next two as alternatives. */
export const VAGUE_BELOW = 0.8;
/**
 * A question refused at this probability of being answerable or more came near: its two closest tasks are named as
 * what it may have been about (development: 57 of 77 refused who-questions reach it, the asked task among those two in
 * 42; 61 of 1,862 out-of-scope messages).
 */
export const NEARBY_FROM = 0.2;

export function formatReply(loaded: LoadedPlan, a: Analysis, question: string): Reply {
  switch (a.intent) {
    case 'task_detail':
      return answerTaskDetails(loaded, a.taskNumbers ?? [a.taskNumber!], { asksLead: a.asksLead });
    case 'section_tasks':
      if (a.wholePlan) return answerWholePlan(loaded);
      return a.topic ? answerTopicTasks(loaded, a.topic.words, a.topic.ids) : answerSectionTasks(loaded, a.section!, a.sectionAlternatives);
    case 'department_tasks':
      return a.topic
        ? answerDepartmentTopicTasks(loaded, a.departments, a.topic.words, a.topic.ids, { role: a.role, nearest: a.topic.nearest, withUnits: a.unitsAsked })
        : answerDepartmentTasks(loaded, a.departments, {
            role: a.role,
            roles: a.roles,
            separately: a.separately,
            leadAskedWithoutRoles: a.asksLead && !a.role && !loaded.plan.tasks.some((t) => t.lead.length),
            withUnits: a.unitsAsked,
          });
    case 'responsibility':
      if (a.each) return { ...answerTaskDetails(loaded, a.each, { asksLead: a.asksLead }), intent: 'responsibility' };
      return answerResponsibility(loaded, a.ranked, a.departments, { vague: (a.decision?.p ?? 1) < VAGUE_BELOW, asksLead: a.asksLead });
    case 'help':
      return a.overview ? answerOverview(loaded) : answerHelp(loaded);
    default:
      if (a.courtesy) return answerCourtesy(a.normalized);
      // quote the cleaned text (no markup) back to the user
      return answerUnknown(loaded, a.normalized || question, { unknownUnit: a.unknownUnit, elsewhere: a.elsewhere, nearby: nearbyTasks(a) });
  }
}

/** The two closest tasks of a question the decision refused narrowly (never one a rule refused outright). */
export function nearbyTasks(a: Analysis): number[] {
  if (!a.decision || a.decision.p < NEARBY_FROM) return [];
  return a.ranked.slice(0, 2).filter((r) => r.score > 0).map((r) => r.id);
}
