import { describe, expect, it } from 'vitest';
import { HomophoneFixer } from '../../src/nlu/homophones.js';
import { jieba } from '../../src/nlu/tokenize.js';

describe('sound-alike typo correction', () => {
  const vocabulary = ['调解', '支付令', '专家库', '仲裁', '事实', '道德'];
  const planText = '调解组织 支付令 专家库 仲裁 事实 道德';
  const fixer = new HomophoneFixer(vocabulary, planText);
  const fix = (s: string) => fixer.fix(s, jieba(vocabulary).cut(s, false));

  it('replaces a piece that sounds exactly like a distinctive plan word', () => {
    expect(fix('调介组织谁建')).toBe('调解组织谁建');
    expect(fix('之付令谁管')).toBe('支付令谁管');
    expect(fix('专价库谁建')).toBe('专家库谁建');
    expect(fix('支付领归谁管')).toBe('支付令归谁管'); // a word and a stray character: 支付/领
  });

  it('leaves real words, pieces across words and everyday targets alone', () => {
    expect(fix('第46项是什么')).toBe('第46项是什么'); // 是什么 ≠ 事实么
    expect(fix('我想去趟银行办卡')).toBe('我想去趟银行办卡');
    expect(fix('调解员培训')).toBe('调解员培训');
    expect(fix('企联分到的任务')).toBe('企联分到的任务'); // 到的 sounds like 道德, but 的 is the sentence's particle
    // nor the copula 是, the interrogative 哪 or the 点 of "a little" (去哪 is not 区内, 上点课 not 商店课)
    const words = ['适时', '城市', '区内', '商店'];
    const withCopula = new HomophoneFixer(words, words.join(' '));
    for (const q of ['这事是谁管', '第3项是啥', '我是城里来的', '外卖吃出头发了去哪投诉', '退休了想在社区上点课']) {
      expect(withCopula.fix(q, jieba(words).cut(q, false)), q).toBe(q);
    }
  });

  it('leaves a word the lexicon knows as it is said (五险 is no misheard 无线)', () => {
    const plan = ['无线', '社会保险'];
    const cutOf = (q: string) => jieba(plan).cut(q, false);
    expect(new HomophoneFixer(plan, '无线 社会保险').fix('五险那块', cutOf('五险那块'))).toBe('无线那块');
    expect(new HomophoneFixer(plan, '无线 社会保险', undefined, new Set(['五险'])).fix('五险那块', cutOf('五险那块'))).toBe('五险那块');
  });

  it("reads the question's characters as they are usually said", () => {
    // 厂 is chǎng, rarely ān: 搬厂 is no misheard 办案, 班案 is
    const plan = ['办案'];
    const fixer = new HomophoneFixer(plan, '办案');
    const fixOf = (q: string) => fixer.fix(q, jieba(plan).cut(q, false));
    expect(fixOf('公司要搬厂还要裁人')).toBe('公司要搬厂还要裁人');
    expect(fixOf('班案谁管')).toBe('办案谁管');
  });
});
