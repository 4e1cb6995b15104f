/** English in a question, read as Chinese where it stands (data/lexicon/topic-words-en.json, unit-words-en.json). */
import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../../src/nlu/lexicon.js';
import { englishAsChinese } from '../../src/nlu/question-text.js';

const { english } = loadLexicon();
const read = (text: string) => englishAsChinese(text, [english.unitPhrases, english.topics]);

describe('English words in a question', () => {
  it('are read as Chinese topic words where they stand', () => {
    expect(read('payment order 归谁管')).toBe('支付令 归谁管');
    expect(read('employment 那个 part 的 tasks')).toContain('就业');
    expect(read('barrier-free的设施')).toBe('无障碍的设施');
    expect(read('那些 social worker 的培训')).toBe('那些 社会工作 的培训');
  });

  it('read a unit named in several words as that unit first, whose words alone would be topics', () => {
    expect(read('culture and tourism 那边的任务')).toBe('文化和旅游 那边的任务');
    expect(read('human resources 的 training')).toBe('人社 的 培训');
  });

  it('leave a run of English naming a unit by its organ word whole, for the unit table', () => {
    expect(read('agriculture and rural affairs bureau 有哪些任务')).toBe('agriculture and rural affairs bureau 有哪些任务');
    expect(read('ministry of education 的任务')).toBe('ministry of education 的任务');
    expect(read('deadline 快到了')).toBe('deadline 快到了');
  });
});
