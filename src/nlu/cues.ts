import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The words of asking that the engine's rules read (data/lexicon/question-cues.json: general Chinese, no plan's
 * words): who is asked for, a list, a part of the plan, the plan as a whole, help, a yes/no question, a greeting or
 * the asker's introduction before the question.
 */
export interface QuestionCues {
  WHO_CUE: RegExp;
  LIST_CUE: RegExp;
  /** Asking which item of the plan (在哪一条里, 管哪条): of a unit named, its list, whatever else the question says. */
  WHICH_ITEM: RegExp;
  /** Explicitly asking for several tasks ("哪些…任务", "几项"), as opposed to "要做什么". */
  TASKS_CUE: RegExp;
  /** Questions about the plan as a whole: how many tasks, parts, which department has most. */
  OVERVIEW_CUE: RegExp;
  /** How many tasks each unit has (各部门任务数): only the overview says it. */
  COUNTS_BY_UNIT: RegExp;
  HELP_ONLY: RegExp;
  /**
   * Nothing but thanks, an acknowledgement or 在吗 (收到，谢谢督办助手, 好的 辛苦了): a courteous word back, no search. Read
   * as "every word a courtesy word" by removing them, not by one pattern repeating overlapping words (好的好的…好的X
   * took twice as long with each 好的 more).
   */
  COURTESY: { test(text: string): boolean };
  /** Asking about the bot itself ("怎么使用这个机器人", "你会干嘛"). */
  HELP_CUE: RegExp;
  /** How to use the bot, the bot named (怎么使用这个机器人, 督办助手怎么用): the help, whatever the plan's words match. */
  USAGE: RegExp;
  /** A greeting in front of a question ("你好，请问…") is dropped before analysis. */
  GREETING_PREFIX: RegExp;
  /** Pointing at a subsection: 那一节, 这个小节. */
  POINTED_SUBSECTION: RegExp;
  /** Words naming a part of the plan ("经费保障那一节", "协商和解这一块"). */
  SECTION_CUE: RegExp;
  /** Saying a unit was renamed (卫健委，原来的卫生局; 现在叫). */
  RENAMED: RegExp;
  /** A yes/no question ("…吗", 是不是, 是否). */
  YES_NO: RegExp;
  /** Words of a list request that are not a topic: how the department takes part, and the request itself. */
  LIST_FILLER: RegExp;
  /** A clause pointing back at the work described before it (这个谁管, 这是哪个部门在管). */
  POINTS_BACK: RegExp;
  /** Asking which item says what was described (哪条任务说的是这个): that item, not a unit's list. */
  WHICH_TASK_SAYS: RegExp;
  /** A sentence asking only which unit handles the work (这块谁负责, 找谁, who's in charge). */
  ASKS_HANDLER: RegExp;
  /** 谁 typed as its sound-alike 水 where only a question word fits (这事水管, 找水？): replaced by 谁. */
  WHO_SOUND_ALIKE: RegExp;
  /** The words of asking for a unit (部门, 负责) and the two characters right after 哪个 / 谁 where they may be typed by sound (哪个不门, 谁千头). */
  ASKING_WORDS: string[];
  ASKING_WORD_PLACE: RegExp;
  /**
   * Who is asking, said first (我是中院研究室的，…; 财政局预算科的，…), and the question after it: the asker's unit is not
   * what is asked about — unless the question then says 我们 or is only a few characters (ownUnit: 我是总工会的，我们有哪些任务).
   */
  selfIntroduction(text: string): { introduction: string; rest: string; ownUnit: boolean } | undefined;
  /** An introduction that names where the asker works (…预算科的, 中院研究室的): only that is who is asking. */
  ASKER_OFFICE: RegExp;
  plainCues(text: string): string;
  /** The pieces of a question that ask for the plan as a whole (整体结构, 一共多少项任务): words of asking, no topic. */
  overviewWords(text: string): string[];
}

export function loadQuestionCues(dir: string): QuestionCues {
  const raw = JSON.parse(readFileSync(path.join(dir, 'question-cues.json'), 'utf8')) as Record<string, string>;
  // JSON reads "\b" as a backspace: a pattern meaning a word boundary would silently never match.
  for (const [key, value] of Object.entries(raw)) {
    if (/[\u0000-\u001f]/.test(value)) throw new Error(`question-cues.json: "${key}" holds a control character (a word boundary is written "\\\\b")`);
  }
  const re = (key: string) => new RegExp(raw[key]);
  // (the last characters of an office's name, one list for both patterns that read an introduction)
  const withOffice = (key: string) => new RegExp(raw[key].replaceAll('{office}', raw.officeWords), 'u');
  const selfIntro = withOffice('selfIntro');
  const askerAsSubject = re('askerAsSubject');
  const overviewAll = new RegExp(raw.overview, 'g');
  return {
    WHO_CUE: re('who'),
    LIST_CUE: re('list'),
    WHICH_ITEM: re('whichItem'),
    TASKS_CUE: re('tasks'),
    OVERVIEW_CUE: re('overview'),
    COUNTS_BY_UNIT: re('countsByUnit'),
    HELP_ONLY: re('helpOnly'),
    COURTESY: courtesy(new RegExp(raw.courtesy), new RegExp(raw.courtesyWords, 'g')),
    HELP_CUE: re('help'),
    USAGE: re('usage'),
    GREETING_PREFIX: re('greeting'),
    POINTED_SUBSECTION: re('pointedSubsection'),
    SECTION_CUE: re('section'),
    YES_NO: re('yesNo'),
    RENAMED: re('renamed'),
    LIST_FILLER: re('listFiller'),
    POINTS_BACK: re('pointsBack'),
    WHICH_TASK_SAYS: re('whichTaskSays'),
    ASKS_HANDLER: re('asksHandler'),
    WHO_SOUND_ALIKE: new RegExp(raw.whoSoundAlike, 'g'),
    ASKING_WORDS: raw.askingWords.split('|'),
    ASKER_OFFICE: withOffice('askerOffice'),
    ASKING_WORD_PLACE: new RegExp(`(?<=${raw.askingWordAfter})(?![个些几一家来在])\\p{Script=Han}{2}`, 'gu'),
    selfIntroduction(text) {
      const m = selfIntro.exec(text);
      if (!m) return undefined;
      const rest = text.slice(m[0].length);
      return { introduction: m[0], rest, ownUnit: askerAsSubject.test(rest) || [...rest].length < 6 };
    },
    plainCues,
    overviewWords: (text) => text.match(overviewAll) ?? [],
  };
}

/** Colloquial question words in their plain form, for the cue patterns only (啥 → 什么, 咋 → 怎么). */
function plainCues(text: string): string {
  return text.replace(/啥/g, '什么').replace(/咋/g, '怎么').replace(/哪块/g, '哪些');
}

/** A message of courtesy words only, one of them a core one (a thanks, 收到, 在吗). */
function courtesy(core: RegExp, words: RegExp): { test(text: string): boolean } {
  return { test: (text) => core.test(text) && text.replace(words, '') === '' };
}
