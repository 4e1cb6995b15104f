import type { Lexicon } from './lexicon.js';
import type { QuestionForm } from './intent-classifier.js';
import type { QueryTerms, ScoredTask, TaskIndex } from './search.js';
import { answerProbability, FEATURES, type RankModel } from './rank-model.js';
import { WordFinder } from './word-finder.js';
import { clausesOf, sentencesOf } from './normalize.js';

/** What the answer-or-refuse decision reads of one question (engine.ts has understood it). */
export interface DecisionInput {
  normalized: string;
  residual: string;
  terms: QueryTerms;
  ranked: ScoredTask[];
  coverage: number;
  forms: Array<{ label: QuestionForm; value: number }>;
  who: boolean;
  departments: string[];
  /** The sentences that ask for a unit's list (the whole question when none does). */
  listAsked: string;
}

/**
 * The answer-or-refuse decision (DECISION_FEATURES in rank-model.ts): its signals and the fitted probability of
 * answering with a task. Its own module and small methods: one large function of all of it was recompiled at
 * length by V8 on a fresh server.
 */
export class AnswerDecision {
  /** Topics of other fields of government this plan never mentions (out-of-scope.json topics). */
  private readonly otherFields: WordFinder;
  /** Personal-affairs cues (out-of-scope.json cues). */
  private readonly personalCues: WordFinder;

  constructor(
    private readonly lexicon: Lexicon,
    private readonly index: TaskIndex,
    private readonly model: RankModel,
    /** The plan's task texts, lower case. */
    private readonly planText: string,
    otherFields: string[],
  ) {
    this.otherFields = new WordFinder(otherFields);
    this.personalCues = new WordFinder(lexicon.outOfScopeCues);
  }

  decide(q: DecisionInput): { decision: { signals: number[]; p: number }; personal: boolean; asks: number; notAList: boolean } {
    const withoutPlanWords = this.withoutPlanWords(q.normalized, q.terms);
    const personal = !q.who && this.personal(q.normalized, q.terms, withoutPlanWords);
    // the facts asked, read in the plain forms of the spoken question words (啥时候 → 什么时候, 咋申请 → 怎么申请)
    const plain = this.lexicon.cues.plainCues(withoutPlanWords);
    const asks = this.asks(this.askingClause(plain, q.who));
    const signals = this.signals(q, personal, asks);
    // (a fact a list cannot answer, asked in the sentences that ask for the list: 市留交办的办公地址和电话发我下)
    const inList = q.listAsked === q.normalized ? plain : this.lexicon.cues.plainCues(this.withoutPlanWords(q.listAsked, q.terms));
    const notAList = this.lexicon.notAList.some((p) => this.askedOutsidePlan(p, inList));
    return { decision: { signals, p: q.ranked.length ? answerProbability(this.model, signals) : 0 }, personal, asks, notAList };
  }

  /**
   * The question with its known plan words of 3+ characters blotted out: a cue inside a longer plan word the
   * question uses (电话 in 热线电话), or overlapping a longer plan word or synonym (要多少 in 要多少年 → 5年左右时间),
   * does not count: that word, not the cue, is meant.
   */
  private withoutPlanWords(normalized: string, terms: QueryTerms): string {
    let out = normalized;
    for (const g of terms.groups) if ([...g.term].length >= 3 && this.index.known(g)) out = out.split(g.term).join('#');
    return out;
  }

  /** A personal-affairs cue (out-of-scope.json) outside the plan's own words. */
  private personal(normalized: string, terms: QueryTerms, withoutPlanWords: string): boolean {
    const cueInPlanWord = (c: string) =>
      terms.groups.some((g) => g.term.length > c.length && g.term.includes(c) && this.index.vocabulary.has(g.term)) || !withoutPlanWords.includes(c);
    return (
      this.lexicon.outOfScopePatterns.some((p) => p.test(normalized)) || this.personalCues.allIn(normalized).some((c) => !cueInPlanWord(c))
    );
  }

  /**
   * Kinds of fact asked for (an amount, a date, a place …), outside the plan's own words — and not in words the
   * plan itself uses (考试, 名单 in a plan that assigns them are plan wording).
   */
  private asks(withoutPlanWords: string): number {
    let asks = 0;
    for (const p of this.lexicon.asks) if (this.askedOutsidePlan(p, withoutPlanWords)) asks++;
    return asks;
  }

  /**
   * A who-question put after the work it points back to (国外进来的疫苗能不能直接在保税区里验，不用在口岸验，这个谁管): the
   * clauses before it describe the work — a fact they seem to ask (能不能直接) is part of that work, not asked.
   */
  private askingClause(text: string, who: boolean): string {
    const clauses = clausesOf(text).filter(Boolean);
    const last = clauses[clauses.length - 1] ?? '';
    if (who && clauses.length > 1 && this.lexicon.cues.POINTS_BACK.test(last)) return last;
    // …or a last sentence that asks only who handles it (…还能有啥支持，谁牵头; …? who's in charge; …从哪天起算，该问哪个部门)
    // or which item of the plan says it (…啥时候能在区里建个三甲医院？哪条任务说的是这个)
    const sentences = text.split(/[，,。；;！!？?]+/).map((s) => s.trim()).filter(Boolean);
    const tail = sentences[sentences.length - 1] ?? '';
    const { ASKS_HANDLER, WHICH_ITEM } = this.lexicon.cues;
    // (from the words asking who on: what comes before them in the sentence is what is handled, 最低到底能给多少钱是谁定的)
    const handler = who ? ASKS_HANDLER.exec(tail) : null;
    if (handler) return tail.slice(handler.index);
    // (…or a last sentence, after a full stop or a question, that asks who anywhere in it: the sentences before tell the
    // story or ask beside it — …过了deadline还是不给钱。谁来帮着督促履行，或者引导我去申请调解？; …什么时候我们区也能有家三甲？
    // 医院布局是谁规划的)
    const lastSentence = who ? (sentencesOf(text).map((x) => x.trim()).filter(Boolean).at(-1) ?? '') : '';
    const inLast = lastSentence !== text.trim() ? this.lexicon.cues.WHO_CUE.exec(lastSentence) : null;
    if (inLast) return lastSentence.slice(inLast.index);
    return sentences.length > 1 && WHICH_ITEM.test(tail) ? tail : text;
  }

  /** A match of the (global) pattern that is not plan wording — as a matchAll loop, without its iterator and copy of the pattern. */
  private askedOutsidePlan(p: RegExp, text: string): boolean {
    p.lastIndex = 0;
    for (let m = p.exec(text); m; m = p.exec(text)) {
      if (!this.planText.includes(m[0])) return true;
      // an empty match moves on by one character, as matchAll does
      if (!m[0]) p.lastIndex += (text.codePointAt(p.lastIndex) ?? 0) > 0xffff ? 2 : 1;
    }
    return false;
  }

  private signals(q: DecisionInput, personal: boolean, asks: number): number[] {
    const { normalized, terms, ranked, who } = q;
    const forms = this.lexicon.forms;
    const confidence = ranked[0]?.score ?? 0;
    const mass = this.index.termMass(terms);
    const top = ranked[0]?.features;
    const at = (f: (typeof FEATURES)[number]) => top?.[FEATURES.indexOf(f)] ?? 0;
    // how the question asks: for a unit, for an item of the plan, or only for something else (question-forms.json)
    // (or whether it is a unit named: 找民政吗, 是水利部一家吗, 是农业农村部还是财政部 — read with the units taken out)
    const asksUnit = who || forms.unit.some((p) => p.test(normalized)) || (q.departments.length > 0 && forms.unitChecked.some((p) => p.test(q.residual)));
    const pointsAtItem = forms.item.some((p) => p.test(normalized));
    const asksOther = !asksUnit && !pointsAtItem && forms.other.some((p) => p.test(normalized));
    return [
      1,
      confidence,
      confidence - (ranked[1]?.score ?? 0),
      q.coverage,
      Math.log1p(at('coverage') * mass),
      at('char2'),
      at('char3'),
      personal ? 1 : 0,
      q.forms.find((f) => f.label === 'out')?.value ?? 0,
      who ? 1 : 0,
      q.departments.length ? 1 : 0,
      Math.log1p([...normalized].length),
      Math.min(asks, 2),
      Math.log1p((1 - at('coverage')) * mass),
      asksUnit ? 1 : 0,
      pointsAtItem ? 1 : 0,
      asksOther ? 1 : 0,
      this.index.foreignShare(terms),
      this.otherFields.someIn(q.residual) ? 1 : 0,
    ];
  }
}
