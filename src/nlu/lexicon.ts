import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from '../plan/load.js';
import { loadQuestionCues, type QuestionCues } from './cues.js';
import { EnglishWords, loadListRequestWords, type ListRequestWords } from './list-requests.js';

/** Data-driven word lists from data/lexicon/ (see data/README.md). */
export interface Lexicon {
  /** Colloquial word → plan words. */
  synonyms: Map<string, string[]>;
  /** Misspelling → correct spelling, longest first. */
  typos: Array<[string, string]>;
  stopwords: Set<string>;
  /** Colloquial department names → canonical names. */
  departmentAliases: Map<string, string[]>;
  /** Intent-classifier training examples by label. */
  intents: Record<string, string[]>;
  /** Cues of personal-affairs / fact questions the plan cannot answer (流程, 多少钱, 电话 …). */
  outOfScopeCues: string[];
  /** Patterns of a personal situation asked about ("单位不签劳动合同怎么办"). */
  outOfScopePatterns: RegExp[];
  /** Cues of a question about the bot itself (谁开发的, 什么模型). */
  aboutBot: string[];
  /** Text work asked of the bot (翻译, 改写, 起草): nothing a plan answers. */
  officeWork: string[];
  /** A document named (《…》, …法, …条例, …若干意见) before what is in it (里, 第N条, 规定): out-of-scope.json documents, the name captured. */
  documents?: RegExp;
  /** Kinds of fact a question may ask for that a plan does not state (an amount, a date, a place, a condition …); global, for matchAll. */
  asks: RegExp[];
  /** Facts a unit's task list never answers (a place, a date, which office to go to): out-of-scope.json notAList. */
  notAList: RegExp[];
  /** Topics of other fields of government (食品安全, 子女入学, 公积金): a question about one its plan never mentions is elsewhere. */
  topics: string[];
  /** Provinces and major cities (general geography): a local plan's own place, or elsewhere. */
  places: string[];
  /** How a place does the work asked (怎么搞的, 有啥经验可以借鉴): another place's practice, in any plan. */
  practice?: RegExp;
  /** Each topic's field as policy texts name it (地震 → 防震减灾, 避难场所): a plan that speaks of the field covers the topic. */
  topicFields: Map<string, string[]>;
  /** How a question asks (question-forms.json): for a unit, for an item of the plan, or for something else. */
  forms: { unit: RegExp[]; unitChecked: RegExp[]; item: RegExp[]; other: RegExp[]; cut: RegExp[]; unitAsked: RegExp[] };
  /** How a unit's task list is asked for (list-requests.json): the request, plan names, only lead / only support. */
  listRequests: ListRequestWords;
  /** The words of asking the rules read (question-cues.json): who, a list, a part, help, yes/no, a greeting. */
  cues: QuestionCues;
  /**
   * English read as Chinese: unit words (unit-words-en.json; `unitPhrases` its entries of several words, which name
   * one unit whatever surrounds them) and topic words (topic-words-en.json).
   */
  english: { units: EnglishWords; unitPhrases: EnglishWords; topics: EnglishWords };
}

function readJson(dir: string, file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
}

function entries<T>(obj: Record<string, unknown>): Array<[string, T]> {
  return Object.entries(obj).filter(([k]) => !k.startsWith('_')) as Array<[string, T]>;
}

export function loadLexicon(dir = path.join(DATA_ROOT, 'lexicon')): Lexicon {
  const synonyms = new Map(entries<string[]>(readJson(dir, 'synonyms.json')).map(([k, v]) => [k.toLowerCase(), v]));
  const typos = entries<string>(readJson(dir, 'typos.json')).sort((a, b) => b[0].length - a[0].length);
  const stopwords = new Set((readJson(dir, 'stopwords.json').words as string[]) ?? []);
  const departmentAliases = new Map(entries<string[]>(readJson(dir, 'department-aliases.json')));
  const intents = Object.fromEntries(entries<string[]>(readJson(dir, 'intents.json')));
  const outOfScope = readJson(dir, 'out-of-scope.json');
  const outOfScopeCues = (outOfScope.cues as string[]) ?? [];
  const outOfScopePatterns = ((outOfScope.patterns as string[]) ?? []).map((p) => new RegExp(p, 'u'));
  const aboutBot = ((outOfScope.aboutBot as string[]) ?? []).map((c) => c.toLowerCase());
  const officeWork = ((outOfScope.officeWork as string[]) ?? []).map((c) => c.toLowerCase());
  const documents = typeof outOfScope.documents === 'string' ? new RegExp(outOfScope.documents, 'gu') : undefined;
  const asks = ((outOfScope.asks as string[]) ?? []).map((p) => new RegExp(p, 'gu'));
  const notAList = ((outOfScope.notAList as string[]) ?? []).map((p) => new RegExp(p, 'gu'));
  const topics = ((outOfScope.topics as string[]) ?? []).map((w) => w.toLowerCase());
  const places = (outOfScope.places as string[]) ?? [];
  const practice = typeof outOfScope.practice === 'string' ? new RegExp(outOfScope.practice, 'u') : undefined;
  const topicFields = new Map(Object.entries((outOfScope.topicFields as Record<string, string[]>) ?? {}).map(([k, v]) => [k.toLowerCase(), v.map((w) => w.toLowerCase())]));
  const formsRaw = readJson(dir, 'question-forms.json');
  const patterns = (key: string) => ((formsRaw[key] as string[]) ?? []).map((p) => new RegExp(p, 'u'));
  const forms = {
    unit: patterns('unit'),
    unitChecked: patterns('unitChecked'),
    item: patterns('item'),
    other: patterns('other'),
    cut: ((formsRaw.cut as string[]) ?? []).map((p) => new RegExp(p, 'gu')),
    unitAsked: ((formsRaw.unitAsked as string[]) ?? []).map((p) => new RegExp(p, 'gu')),
  };
  const listRequests = loadListRequestWords(dir);
  const cues = loadQuestionCues(dir);
  const unitWords = readJson(dir, 'unit-words-en.json').words as Record<string, string>;
  const english = {
    units: new EnglishWords(unitWords),
    unitPhrases: new EnglishWords(Object.fromEntries(Object.entries(unitWords).filter(([en]) => en.includes(' ')))),
    topics: new EnglishWords(readJson(dir, 'topic-words-en.json').words as Record<string, string>),
  };
  return { synonyms, typos, stopwords, departmentAliases, intents, outOfScopeCues, outOfScopePatterns, aboutBot, officeWork, documents, asks, notAList, topics, places, practice, topicFields, forms, listRequests, cues, english };
}
