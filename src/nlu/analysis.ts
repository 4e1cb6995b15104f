/**
 * What the question-answering engine returns: the structured understanding of a question (Analysis) and the
 * services built on it. Types only; the engine is engine.ts, the reply handlers/qa-reply.ts.
 */
import type { Reply, SizeLimit } from '../core/types.js';
import type { SectionRef } from './numbers.js';
import type { QueryTerms, ScoredTask } from './search.js';
import type { QuestionForm } from './intent-classifier.js';
import type { Role } from './list-requests.js';

export type Intent = 'responsibility' | 'department_tasks' | 'task_detail' | 'section_tasks' | 'help' | 'unknown';

export type QaAnswer = Reply & {
  question: string;
  chunks: string[];
  /** A help answer that is the plan's overview (asked about the plan as a whole), not the usage help. */
  overview?: boolean;
  /** A refusal because the unit asked about is not one of the plan's (Analysis.unknownUnit). */
  unknownUnit?: string;
  /** Thanks or an acknowledgement answered with a courteous word (Analysis.courtesy): no plan's refusal. */
  courtesy?: boolean;
  /**
   * A refusal that says something of this plan's own (handlers/help.ts answerUnknown): a unit it lacks, another
   * document or place asked about, or the tasks that came near. A router keeps it rather than say what every plan answers.
   */
  saysWhy?: boolean;
};

export interface Analysis {
  intent: Intent;
  normalized: string;
  taskNumber?: number;
  /** Every task the question names by number, in order (one, or several at once: 46、47是什么); taskNumber is the first. */
  taskNumbers?: number[];
  section?: SectionRef;
  /** Other subsections printed with the same number in other parts (numbering that restarts in each part). */
  sectionAlternatives?: SectionRef[];
  departments: string[];
  ranked: ScoredTask[];
  form: QuestionForm;
  /** Best ranking score (0 when nothing was ranked). */
  confidence: number;
  /** Share of the question's content words the plan knows (idf-weighted). */
  coverage?: number;
  /** Question-form probabilities and the masked sentence the classifier saw. */
  forms?: Array<{ label: QuestionForm; value: number }>;
  masked?: string;
  /** A question about the plan as a whole (answered with the overview, intent help). */
  overview?: boolean;
  /** Every task of the plan asked for (intent section_tasks, no section): 激励支持那份方案，从头到尾的任务都有哪些. */
  wholePlan?: boolean;
  /** A list narrowed to a topic: a unit's (总工会关于协商的任务, department_tasks) or the plan's (跟培训有关的任务有哪些, section_tasks). */
  topic?: { words: string; ids: number[]; /** The plan's task nearest the topic, when the unit holds none about it. */ nearest?: number };
  /**
   * The answer-or-refuse decision: its signals (DECISION_FEATURES order) and the probability of answering — when the
   * rules reached it (a part, a unit's list, a question about the bot are decided before it, whatever it would say).
   */
  decision?: { signals: number[]; p: number };
  /** The question's content terms as understood (after typo, sound-alike and department handling). */
  understood?: string[];
  /** Several matters asked about each (调解员培训和支付令分别谁负责): each one's task, in the order asked (ranked first). */
  each?: number[];
  /** The name of the rule that decided the intent (RULES in intent-rules.ts). */
  rule: string;
  /** The question asks who leads (谁牵头, 哪家牵头, 牵头单位是谁). */
  asksLead?: boolean;
  /** Who holds the items asked after a request for a unit's items (…的任务有哪些，谁负责): each item with its units. */
  unitsAsked?: boolean;
  /** A unit's list asked only for what it leads or only for what it supports (the plan prints them apart). */
  role?: Role;
  /** Several units named but not asked about together (人社和财政各有哪些任务): each one's list. */
  separately?: boolean;
  /** Each unit in the role the question gives it (教育局牵头、人社局配合的): the tasks where each holds its role. */
  roles?: Array<{ department: string; role: Role }>;
  /** Nothing but thanks or an acknowledgement (intent unknown): answered with a courteous word, not a refusal. */
  courtesy?: boolean;
  /** A unit this plan does not have, whose list was asked for (公安局有哪些任务 in a plan without 公安局). */
  unknownUnit?: string;
  /** What was asked of elsewhere (elsewhere.ts): another document named (劳动合同法), or another place (深圳). */
  elsewhere?: { document?: string; place?: string };
}

/** Understanding a question: the structured result, no reply text (that is handlers/qa-reply.ts). */
export interface QaUnderstanding {
  /** Ranked task ids for a free-text search box ("调解员培训" → 48 first). */
  search(text: string, k?: number): ScoredTask[];
  /** Canonical department names mentioned (aliases, colloquial names, near misses). */
  resolveDepartments(text: string): string[];
  parseTaskNumber(text: string): number | undefined;
  /** The intent decision and ranking behind an answer (for tests, eval and debugging). */
  analyze(text: string): Analysis;
  /** What the ranking sees of a question: its terms and the departments it names (for fitting, `npm run fit`). */
  query(text: string): { terms: QueryTerms; departments: string[] };
}

/** The question-answering service the bot uses: understanding plus the reply (handlers/qa-engine.ts builds it). */
export interface QaEngine extends QaUnderstanding {
  ask(text: string, opts?: { limit?: SizeLimit }): QaAnswer;
}

/** What is known of a question before the rules decide: cleaned, departments found, ranked, its form and cues. */
export interface Understood {
  normalized: string;
  departments: string[];
  /** The names of each mention (a group name is one mention of several departments). */
  mentions: string[][];
  masked: string;
  residual: string;
  terms: QueryTerms;
  ranked: ScoredTask[];
  confidence: number;
  coverage: number;
  form: QuestionForm;
  forms: Array<{ label: QuestionForm; value: number }>;
  /** The question with 啥 → 什么, 咋 → 怎么, for the cue patterns. */
  cueText: string;
  /** It has the words of a request for a unit's list (list-requests.json), read once for every rule. */
  requestsList: boolean;
  who: boolean;
  list: boolean;
  /** The question's terms that are not list-request words or parts of department names. */
  topicTerms: QueryTerms['groups'];
  topicCoverage: number;
  /** The topic is said as such (跟X有关, 涉及X, X这块 after the unit): read once for every rule (a unit named only). */
  topicSaid: boolean;
  /** The named units' tasks that say a phrase the question quotes (提到“劳动法律监督”的), unless all of them do. */
  quotedTasks: number[];
  /** Several departments as the subject of one task's description (人社会同司法行政、工会推动…). */
  describesTask: boolean;
  decision: { signals: number[]; p: number };
  /** A personal-affairs cue (out-of-scope.json) outside the plan's own words. */
  personal: boolean;
  /** How many kinds of fact the question asks for that a plan does not state (out-of-scope.json asks). */
  asks: number;
  /** It asks a fact that no unit's task list answers (a place, a date, which office to go to). */
  notAList: boolean;
  result: Omit<Analysis, 'intent' | 'rule'>;
}
