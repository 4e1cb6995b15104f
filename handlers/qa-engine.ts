import { splitText } from '../src/core/split.js';
import { log } from '../src/core/log.js';
import type { Reply } from '../src/core/types.js';
import type { LoadedPlan } from '../src/plan/load.js';
import { createQaUnderstanding, type QaAnswer, type QaEngine } from '../src/nlu/engine.js';
import type { Lexicon } from '../src/nlu/lexicon.js';
import type { RankModel } from '../src/nlu/rank-model.js';
import { answerHelp } from './help.js';
import { formatReply, nearbyTasks } from './qa-reply.js';

/**
 * The question-answering service: the engine's understanding (src/nlu) plus the reply text (qa-reply.ts),
 * split for the channel's size limit. A failure is logged and answered with the help text.
 */
export function createQaEngine(loaded: LoadedPlan, options: { lexicon?: Lexicon; model?: RankModel } = {}): QaEngine {
  const understanding = createQaUnderstanding(loaded, options);
  return {
    ...understanding,
    ask(text, opts = {}) {
      const question = String(text ?? '');
      let r: Reply;
      let overview = false;
      let unknownUnit: string | undefined;
      let courtesy = false;
      let saysWhy = false;
      try {
        const analysis = understanding.analyze(question);
        overview = analysis.overview === true;
        unknownUnit = analysis.unknownUnit;
        courtesy = analysis.courtesy === true;
        saysWhy = analysis.intent === 'unknown' && (!!analysis.unknownUnit || !!analysis.elsewhere || nearbyTasks(analysis).length > 0);
        r = formatReply(loaded, analysis, question);
      } catch (err) {
        log.error({ err, question: question.slice(0, 200) }, 'question answering failed');
        r = answerHelp(loaded);
      }
      // (field by field: the replies of the several formatters have as many shapes, which makes a spread slow)
      const { text: replyText, intent, tasks, departments } = r;
      const answer: QaAnswer = { text: replyText, intent, tasks, departments, question, chunks: opts.limit ? splitText(replyText, opts.limit) : [replyText] };
      if (r.topic) answer.topic = r.topic;
      // the router tells the overview from the usage help, and a unit the plan lacks or thanks from a plain refusal, by these
      // without analysing the question again
      if (overview) answer.overview = true;
      if (unknownUnit) answer.unknownUnit = unknownUnit;
      if (courtesy) answer.courtesy = true;
      if (saysWhy) answer.saysWhy = true;
      return answer;
    },
  };
}
