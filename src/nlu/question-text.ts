/**
 * A question's text as the engine reads it: as typed (numbers are read from this), cleaned (sound-alikes corrected, a
 * greeting and who is asking set aside), the units it names and the terms the ranking sees, and its sentence pattern
 * with the plan's topics masked (what the form classifier reads).
 */
import { stripBotMention } from '../core/mentions.js';
import type { DepartmentRegistry } from '../plan/departments.js';
import type { DepartmentMatcher, DepartmentMention } from './departments.js';
import type { HomophoneFixer } from './homophones.js';
import type { Lexicon } from './lexicon.js';
import type { EnglishWords } from './list-requests.js';
import { normalize } from './normalize.js';
import type { QueryTerms, TaskIndex } from './search.js';
import { cut, segment } from './tokenize.js';

/** The units a question names (each mention, and the text with them masked), the rest, and the terms the ranking sees. */
export interface SearchTerms {
  departments: string[];
  mentions: string[][];
  masked: string;
  residual: string;
  terms: QueryTerms;
}

/** A run of English words (and the marks inside them: r&d, cross-border, no.). */
const ENGLISH_RUN = /[a-z][a-z&'.\-]*(?:\s+[a-z][a-z&'.\-]*)*/g;
/**
 * Units said as the place where something is set up (在仲裁院、法院设工作站, 到法院里设, 仲裁院内设调解中心): the
 * stretch between 在 / 到 (or a clause's start) and the setting-up verb.
 */
const SET_UP_AT = /(?:^|[在到，,。？?！!\s])([^，,。？?！!\s在到]{2,14}?)(?:里面|里头|里|内)?(?:设立|设置|设|建立|派驻|入驻|驻)/gu;
/** An English unit's organ word: the run names a unit. */
const UNIT_NOUN = /\b(?:bureau|office|commission|committee|department|ministry|administration|federation|league|court|procuratorate|government|union|centre|center|association|agency|authority)s?\b/;

/**
 * The text with its English read as Chinese by the tables, in order (culture and tourism → 文化和旅游, payment order →
 * 支付令) — but a run of English naming a unit by its organ word (agriculture and rural affairs bureau, ministry of
 * education) is left whole to the unit table.
 */
export function englishAsChinese(text: string, tables: EnglishWords[]): string {
  return text.replace(ENGLISH_RUN, (run) => (UNIT_NOUN.test(run) ? run : tables.reduce((t, words) => words.translate(t), run)));
}

export class QuestionText {
  /** Plan wording that is also a unit's name or alias (仲裁院): it names a topic too, and stays searched. */
  private readonly topicAliases: string[];
  /**
   * English read as Chinese where it stands: units' names of several words first (culture and tourism — whose
   * words alone are topics), then topic words (employment 那个 part, barrier-free 的设施). Single unit words (finance,
   * HR) and runs with an organ word are read only when no unit is found otherwise (engine.ts).
   */
  private readonly english: EnglishWords[];

  constructor(
    private readonly lexicon: Lexicon,
    private readonly matcher: DepartmentMatcher,
    private readonly index: TaskIndex,
    private readonly homophones: HomophoneFixer,
    /** Words the form classifier reads as they are (never masked as a topic). */
    private readonly literalWords: ReadonlySet<string>,
    registry: DepartmentRegistry,
    planText: string,
  ) {
    this.english = [lexicon.english.unitPhrases, lexicon.english.topics];
    const officialNames = new Set(registry.departments.flatMap((d) => [d.name, d.fullName]));
    this.topicAliases = registry
      .surfaceForms()
      .map((f) => f.form.toLowerCase())
      // not names of the organisation itself (…部门, …组织, …会, or containing a short name: 财政部)
      .filter((f) => [...f].length >= 3 && !officialNames.has(f) && planText.includes(f) && !/(?:部门|组织|会)$/.test(f))
      .filter((f) => !registry.departments.some((d) => f.includes(d.name)));
  }

  /** The question as typed, normalised: typos of the table corrected, no sound-alikes (numbers are read from this). */
  typed(text: string): string {
    // (whole Chinese numerals apart by spaces are a list, 二十八 二十九 三十: normalising would run them together —
    // but not a number said in pieces, 第十 九 项)
    const listed = stripBotMention(String(text ?? '')).replace(/([零〇一二两三四五六七八九十百]{2,})[ \t\u3000]+(?=[零〇一二两三四五六七八九十百]{2,})/gu, '$1、');
    const typed = normalize(listed, this.lexicon.typos);
    return englishAsChinese(typed, this.english);
  }

  /** The cleaned question: typos and sound-alikes corrected, a greeting in front dropped. */
  clean(typed: string): string {
    const { WHO_SOUND_ALIKE, ASKING_WORD_PLACE, ASKING_WORDS } = this.lexicon.cues;
    const fixed = this.homophones.fixAt(this.homophones.fix(typed, cut(typed)).replace(WHO_SOUND_ALIKE, '谁'), ASKING_WORD_PLACE, ASKING_WORDS);
    return fixed.replace(this.lexicon.cues.GREETING_PREFIX, '').trim() || fixed;
  }

  /**
   * The question without who is asking, said first (我是中院研究室的，…) — but a unit's name alone before 的，
   * with no unit named after it (教育局的，跟学前教育有关的有哪些), is the unit asked about.
   */
  withoutAsker(cleaned: string): string {
    const said = this.lexicon.cues.selfIntroduction(cleaned);
    if (!said) return cleaned;
    const { introduction, rest } = said;
    const intro = this.matcher.find(introduction);
    // (the asker's own unit asked about: named, without the office's words, 劳动关系科 of 我们是市人社局劳动关系科的, as a topic)
    if (said.ownUnit) return intro.names.length && [...rest].length >= 6 ? `${intro.names.join('、')}的，${rest}` : cleaned;
    // (who the asker is by their office; a person's own situation, 我是外地来广州打工的党员, is what they ask about)
    if (!intro.names.length && !this.lexicon.cues.ASKER_OFFICE.test(introduction)) return cleaned;
    const unitAlone = intro.names.length > 0 && /^(?:\{部门\})+的[，,\s]*$/.test(intro.masked);
    // (…or the asker's unit is the one whose list the rest asks for, naming none: 我们是财政这边的，要配合的事项列一下)
    const { LIST_CUE, TASKS_CUE, SECTION_CUE, plainCues } = this.lexicon.cues;
    const asked = plainCues(rest);
    const ownList = intro.names.length > 0 && (LIST_CUE.test(asked) || TASKS_CUE.test(asked)) && !SECTION_CUE.test(asked);
    return (unitAlone || ownList) && this.matcher.find(rest).names.length === 0 ? cleaned : rest;
  }

  /** What the ranking sees: the departments named, and the question's terms without them. */
  searchTerms(normalized: string, mention: DepartmentMention = this.matcher.find(normalized)): SearchTerms {
    const { names: departments, mentions } = this.withoutPlaces(normalized, mention);
    const { masked } = mention;
    // Department aliases that are also plan wording (仲裁院) name a topic too: they stay in the search.
    let residual = masked.replace(/\{部门\}/g, ' ');
    // the words of asking for a unit (谁负责, 哪个部门牵头) are cut off before segmenting, so that they do not fuse
    // with the topic after them (谁负责人才引进: 谁负责 | 人才引进, not 负责人 | 才); they stay searched (a task may say 牵头)
    for (const p of this.lexicon.forms.cut) residual = residual.replace(p, ' $& ');
    for (const f of this.topicAliases) if (normalized.includes(f)) residual += ` ${f}`;
    return { departments, mentions, masked, residual, terms: this.index.terms(residual) };
  }

  /**
   * The units named only as the place where something is set up (总工会在仲裁院、法院设工作站那条是哪条: 工会's item, not
   * 法院's) are left out — when another unit is named: with none, the place is all there is to go by.
   */
  private withoutPlaces(normalized: string, mention: DepartmentMention): Pick<DepartmentMention, 'names' | 'mentions'> {
    if (mention.mentions.length < 2) return mention;
    let outside = '';
    let from = 0;
    const places = new Set<string>();
    for (const m of normalized.matchAll(SET_UP_AT)) {
      const said = this.matcher.find(m[1]);
      // (the stretch only names units: 法院、仲裁院, not 工会到法院 or 在街道设)
      if (!said.names.length || said.masked.replace(/\{部门\}|[、和及与跟]/gu, '') !== '') continue;
      said.names.forEach((n) => places.add(n));
      const at = m.index! + m[0].indexOf(m[1]);
      outside += `${normalized.slice(from, at)} `;
      from = at + m[1].length;
    }
    outside += normalized.slice(from);
    if (!places.size) return mention;
    const actors = new Set(this.matcher.find(outside).names);
    if (!actors.size) return mention;
    const kept = mention.mentions.filter((m) => m.some((n) => actors.has(n) || !places.has(n)));
    return { names: mention.names.filter((n) => actors.has(n) || !places.has(n)), mentions: kept };
  }

  /** The sentence pattern: the content words the plan knows replaced with {主题}, units already {部门}. */
  maskTopics(masked: string): string {
    const { stopwords, synonyms } = this.lexicon;
    return masked
      .split(/(\{部门\})/)
      .map((p) => {
        if (p === '{部门}') return p;
        let out = p;
        for (const w of [...segment(p)].sort((a, b) => b.length - a.length)) {
          if (w.length < 2 || stopwords.has(w) || this.literalWords.has(w)) continue;
          if (this.index.vocabulary.has(w) || synonyms.has(w)) out = out.replaceAll(w, '{主题}');
        }
        return out.replace(/(\{主题\})+/g, '{主题}');
      })
      .join('');
  }
}
