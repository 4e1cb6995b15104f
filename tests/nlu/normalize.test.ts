import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigrams, bracketVariants, normalize } from '../../src/nlu/normalize.js';
import { parseChineseNumber } from '../../src/core/chinese-numerals.js';
import { asksOnlyDetail, endTasks, listedTaskNumbers, numberMentions, parseSectionRef, parseTaskNumber } from '../../src/nlu/numbers.js';
import { loadLexicon } from '../../src/nlu/lexicon.js';
import { loadQuestionCues } from '../../src/nlu/cues.js';
import { QueryReader } from '../../src/nlu/query-terms.js';
import { DATA_ROOT } from '../../src/plan/load.js';

const { typos } = loadLexicon();

describe('normalising what staff type', () => {
  it('turns full-width letters, digits and punctuation into half-width', () => {
    expect(normalize('第４６项？（十七）ＡＢＣ')).toBe('第46项?(十七)abc');
  });

  it('turns traditional characters into simplified ones', () => {
    expect(normalize('誰負責調解員培訓？總工會有哪些任務')).toBe('谁负责调解员培训?总工会有哪些任务');
  });

  it('fixes common typos from the data table (调节 → 调解, 仲栽 → 仲裁)', () => {
    expect(normalize('谁负责调节员培训', typos)).toBe('谁负责调解员培训');
    expect(normalize('仲栽审查', typos)).toBe('仲裁审查');
    expect(normalize('总公会有哪些任务', typos)).toBe('总工会有哪些任务');
  });

  it('strips HTML, Markdown symbols, emoji and control characters', () => {
    expect(normalize('<script>alert(1)</script>支付令')).toBe('支付令');
    expect(normalize('**支付令**😀\u0007\u200b')).toBe('支付令');
  });

  it('drops spaces inside Chinese text', () => {
    expect(normalize('调 解 员  培训')).toBe('调解员培训');
    expect(normalize('task 48')).toBe('task 48');
  });

  it('cuts very long text for analysis', () => {
    expect([...normalize('调'.repeat(10_000))].length).toBeLessThanOrEqual(300);
  });

  it('makes character bigrams of Chinese runs only', () => {
    expect(bigrams('调解员, 培训')).toEqual(['调解', '解员', '培训']);
  });
});

describe('reading task numbers and section references', () => {
  it.each([
    ['第46项是什么?', 46],
    ['第四十八项', 48],
    ['任务48', 48],
    ['#48', 48],
    ['48', 48],
    ['57号任务', 57],
    ['第六十一项是啥', 61],
    ['序号 33', 33],
    ['第99项', 99],
    ['第叁拾伍项是谁负责', 35],
    ['叁拾伍号任务', 35],
    ['三十五号任务是什么', 35],
    ['No. 28', 28],
    ['序号貳拾', 20],
    ['三十三条具体内容？', 33],
    ['四十号写的什么', 40],
    ['28 是啥任务', 28],
    ['46是啥', 46],
    ['No.59 what\'s that', 59],
    ['no 46', 46],
    ['４６号', 46],
    ['19号内容发我下', 19],
    ['40是啥来着', 40],
    ['48号的内容', 48],
    ['六十那条 具体写了啥？', 60],
    ['12这项是什么', 12],
    ["What's the 43rd task about?", 43],
    ['the 2nd item pls', 2],
    ['主要任务里6是啥', 6],
    ['十七条啥意思', 17],
    ['第廿四条什么内容', 24],
    ['卅号任务', 30],
    ['弟九项讲的什么', 9],
    ['di 40 tiao shi sha', 40],
    ['Di9hao', 9],
  ])('%s → task %d', (text, n) => {
    expect(parseTaskNumber(text)).toBe(n);
  });

  it.each(['总工会有几项任务', '一号文件说了什么', '三个部门是谁', '三项制度是什么', '10月份是什么', 'piano 4', '2022年10月开始的任务', '谁负责调解员培训', '力争用5年左右时间', '帮我订下午三点的3号会议室', '5号楼怎么走', '人社这边要对接的任务一共几条', '第二部分第六个行动计划', '里面10个部门是啥', '园区里5年内是什么安排', '水利部在这30条里负责的有几条', '方案共61项，人社有几项', '我弟九岁了', '土地7亩', 'di di 40 ge ren', '各地3年内完成', '那30条都列一下'])('%s has no task number', (text) => {
    expect(parseTaskNumber(text)).toBeUndefined();
  });

  it.each([
    ['第十一个措施讲什么', 11],
    ['二十四号措施，领导问具体写了啥', 24],
    ['措施二', 2],
    ['measure 24 棚改那个', 24],
    ['the 12th measure 是啥', 12],
    ['一五条啥内容', 15],
    ['二九条啥意思', 29],
    ['帝五十二项是什么内容', 52],
    ['地二十八条讲啥', 28],
    ['第4十1条是啥', 41],
    ['第二是一条', 21],
    ['给我看看第十二个激励措施', 12],
    ['三号项目是啥', 3],
    ['第2O项是什么内容', 20],
    ['第l5项', 15],
    ['第S2条', 52],
    ['三+九条?', 39],
    ['第十把项', 18],
    ['the 55th 是啥', 55],
  ])('%s → task %d (item words and digits said one by one)', (text, n) => {
    expect(parseTaskNumber(text)).toBe(n);
  });

  it.each([
    ['帮我看下第七点', 7],
    ['8是干啥的', 8],
    ['第十六款是关于什么的', 16],
    ['第十八像是什么内容', 18],
    ['第十跳说的啥', 10],
    ['第二十一点讲讲哈', 21],
    ['二十二条 谢谢', 22],
    ['第十七像具体咋说的', 17],
    ['第十八箱', 18],
    ['第四十三象是做什么的', 43],
    ['再问下，五十五呢，是关于什么的', 55],
    ['第四十期项讲的什么', 47],
    ['第二十吴项是什么内容', 25],
    ['第 2 6 条是?', 26],
    ['第十八乡是什么内容', 18],
    ['方案里⑤那条啥内容', 5],
    ['36款是什么', 36],
    ['那三十条呢 也发我一下', 30],
    ['麻烦查下第十八款', 18],
    ['第三十四调是啥', 34],
    ['十四那条给我念一下哈', 14],
    ['刚才说的第五十一像是什么', 51],
  ])('%s: a number said loosely, nothing else asked → %d', (text, n) => {
    const [mention] = numberMentions(text);
    expect(mention.n).toBe(n);
    expect(asksOnlyDetail(mention.rest)).toBe(true);
  });

  it('reads Chinese numerals, and digits said one by one', () => {
    expect([parseChineseNumber('四十八'), parseChineseNumber('一百零三'), parseChineseNumber('一五'), parseChineseNumber('二〇二二')]).toEqual([48, 103, 15, 2022]);
  });

  it('reads an item number as the plan prints it, opening the message (5.强化企业市场主体地位 这条全文有吗)', () => {
    const printed = numberMentions('5.强化企业市场主体地位 这条全文有吗').find((m) => m.ordinal);
    expect(printed?.n).toBe(5);
    expect(numberMentions('3.5万元的补贴谁发')).toEqual([]);
    // a batch, a round, a term counted (第一批进驻的企业, 第二轮, 第三届) is no item — 廿条 期货交割 still is
    for (const text of ['第一批进驻的企业进口设备能免税吗', '第二轮试点谁牵头', '第三届博览会', '人手不够就买第三方服务']) expect(numberMentions(text), text).toEqual([]);
    // …nor a word that 第 and a numeral begin (第一书记, 第二课堂)
    for (const text of ['从机关选干部下村当第一书记，这个谁牵头', '学校的第二课堂谁来管']) expect(numberMentions(text), text).toEqual([]);
    // (…however the segmenter cuts it, a typo in it or a place's name: 第一书计, 市第二老人院 — up to 第三; an item said
    // loosely runs on into its topic too, 第十五再制造)
    for (const text of ['下村当“第一书计”，谁牵头', '市第二老人院建设谁牵头']) expect(numberMentions(text), text).toEqual([]);
    expect(numberMentions('第十五再制造').map((m) => m.n)).toEqual([15]);
    // nor a count said roughly (二十多年, 三十来岁, 七八个)
    for (const text of ['我在车间干了二十多年钳工，这个谁管', '三十来岁年轻人的扶持谁牵头']) expect(numberMentions(text), text).toEqual([]);
    expect(numberMentions('二十 期货交割').map((m) => m.n)).toEqual([20]);
  });

  it('keeps what else a loosely said number comes with, for the engine to check against that task', () => {
    expect(numberMentions('十二条说的是高新区扩区吗')).toEqual([{ n: 12, rest: ' 说的是高新区扩区吗', clause: ' 说的是高新区扩区吗', ordinal: false, end: 3 }]);
    expect(numberMentions('老工业基地那个是十七吧，原文发一下').map((m) => m.n)).toEqual([17]);
    expect(asksOnlyDetail(numberMentions('二十三 易地搬迁 说的啥')[0].rest)).toBe(false);
  });

  it.each(['下午三点开会', '这一条谁负责', '那一项是谁的', '十分重要', '三农工作谁负责', '5G基站建设', '第三节有哪些', '2015年的任务', '10个部门', '3号楼', '一条一条列出来', '第二部分'])(
    '%s says no item number',
    (text) => {
      expect(numberMentions(text)).toEqual([]);
    },
  );

  it('reads subsections and sections', () => {
    expect(parseSectionRef('(十七)有哪些任务')).toEqual({ kind: 'subsection', index: 17 });
    expect(parseSectionRef('（十七）包括什么')).toEqual({ kind: 'subsection', index: 17 });
    expect(parseSectionRef('第四小节')).toEqual({ kind: 'subsection', index: 4 });
    expect(parseSectionRef('刚才没看清，六那个部分的全部任务再发一下')).toEqual({ kind: 'section', index: 6 });
    expect(parseSectionRef('第三部分第（一）小节都是哪几条')).toEqual({ kind: 'subsection', index: 1, part: 3 });
    expect(parseSectionRef('第六部分')).toEqual({ kind: 'section', index: 6 });
    expect(parseSectionRef('第叁部分有哪些')).toEqual({ kind: 'section', index: 3 });
    expect(parseSectionRef('落实工作责任这一节有哪些任务')).toBeUndefined();
    expect(parseSectionRef('其中一部分任务')).toBeUndefined();
    // (地 for 第 by voice input — not the land of 批下来的地一块都没闲着: 一块都 counts none)
    expect(parseSectionRef('地三块有哪些任务')).toEqual({ kind: 'section', index: 3 });
    expect(parseSectionRef('县里批下来的地一块都没闲着，哪个部门管')).toBeUndefined();
    // a subsection named in its part: its number counts within the part
    expect(parseSectionRef('第二部分第一小节有哪些')).toEqual({ kind: 'subsection', index: 1, part: 2 });
    expect(parseSectionRef('第三部分的(二)')).toEqual({ kind: 'subsection', index: 2, part: 3 });
    expect(parseSectionRef('二之(三)')).toEqual({ kind: 'subsection', index: 3, part: 2 });
    expect(parseSectionRef('第三部分第二个小节')).toEqual({ kind: 'subsection', index: 2, part: 3 });
    expect(parseTaskNumber('第三部分第二个小节')).toBeUndefined();
    // as outlines, other languages and quick typing put them
    expect(parseSectionRef('3.3 人才服务保障体系 任务')).toEqual({ kind: 'subsection', index: 3, part: 3 });
    // …in English too: section 4.2 is subsection 2 of part 4, not part 4
    expect(parseSectionRef('section 4.2 的任务有哪些')).toEqual({ kind: 'subsection', index: 2, part: 4 });
    expect(parseSectionRef('section 4 的任务')).toEqual({ kind: 'section', index: 4 });
    expect(parseSectionRef('3.5万元的补贴')).toBeUndefined();
    expect(parseSectionRef('Part 4 的tasks有哪些')).toEqual({ kind: 'section', index: 4 });
    expect(parseSectionRef('第六块儿 几项')).toEqual({ kind: 'section', index: 6 });
    expect(parseSectionRef('第三部份任务清单')).toEqual({ kind: 'section', index: 3 });
    expect(parseSectionRef('2、那块 发下')).toEqual({ kind: 'section', index: 2 });
    expect(parseTaskNumber('第3块所有任务')).toBeUndefined();
    // (第2大块 in digits as in words, and a subsection counted after 任务 of the part's title: 主要任务第三个小标题)
    expect(parseTaskNumber('把第2大块的重点任务都拉出来')).toBeUndefined();
    expect(parseTaskNumber('主要任务第三个小标题下面的任务')).toBeUndefined();
    expect(parseTaskNumber('part 2 第6个小节的项目')).toBeUndefined();
    // counted from the end
    expect(parseSectionRef('最后一部分有哪些')).toEqual({ kind: 'section', index: -1 });
    expect(parseSectionRef('倒数第二节')).toEqual({ kind: 'subsection', index: -2 });
    expect(parseSectionRef('第五部分最后一个小节内容')).toEqual({ kind: 'subsection', index: -1, part: 5 });
    expect(parseSectionRef('三、下面头一个小节，有哪些任务')).toEqual({ kind: 'subsection', index: 1, part: 3 });
    expect(parseSectionRef('最末尾那个小节是啥')).toEqual({ kind: 'subsection', index: -1 });
    expect(parseSectionRef('第十九小姐的任务有哪些')).toEqual({ kind: 'subsection', index: 19 });
    expect(parseSectionRef('subsection 18 的任务')).toEqual({ kind: 'subsection', index: 18 });
    expect(parseTaskNumber('subsection 18 的任务')).toBeUndefined();
    expect(parseSectionRef('四、的任务')).toEqual({ kind: 'section', index: 4 });
    expect(parseSectionRef('四.四 有几项')).toEqual({ kind: 'subsection', index: 4, part: 4 });
    expect(parseSectionRef('开头那部分，全部几条')).toEqual({ kind: 'section', index: 1 });
    expect(parseSectionRef('第五篇的任务清单')).toEqual({ kind: 'section', index: 5 });
    expect(parseSectionRef('第二部分的第二个，科技创新那块')).toEqual({ kind: 'subsection', index: 2, part: 2 });
    expect(parseTaskNumber('第二部分的第二个，科技创新那块')).toBeUndefined();
    expect(parseTaskNumber('第六个是什么')).toBe(6);
    expect(parseSectionRef('14）那节')).toEqual({ kind: 'subsection', index: 14 });
    // a bare number opening the message, then pointed at as a subsection or a part
    expect(parseSectionRef('十四 那一节 有哪几项')).toEqual({ kind: 'subsection', index: 14 });
    expect(parseSectionRef('5那一部分有哪些')).toEqual({ kind: 'section', index: 5 });
    expect(parseSectionRef('那一节有十四条')).toBeUndefined();
    expect(parseSectionRef('part 2 section 4 有哪些tasks')).toEqual({ kind: 'subsection', index: 4, part: 2 });
    expect(parseTaskNumber('四、的任务')).toBeUndefined();
    expect(parseSectionRef('主要任务里排第4的那个小标题下面有哪些条')).toEqual({ kind: 'subsection', index: 4 });
    expect(parseTaskNumber('主要任务里排第4的那个小标题下面有哪些条')).toBeUndefined();
  });
});

describe('the other ways a task’s text is read for the search', () => {
  it('single characters listed with 、 are also read run together (老、孤、寡、残 → 老孤寡残), names listed so are not', () => {
    expect(bracketVariants('逐步解决农村老、孤、寡、残等人群的住房问题').split(' ')).toContain('老孤寡残');
    expect(bracketVariants('保障水、电、气供应').split(' ')).toContain('水电气');
    expect(bracketVariants('市人社局、财政局、总工会负责')).toBe('');
  });
});

describe('the words of a question the search reads', () => {
  it('a lexicon word is read though each of its characters alone is a stop word (说和, as an administrator adds it)', () => {
    const lexicon = loadLexicon();
    const stops = [...'说和'].every((ch) => lexicon.stopwords.has(ch));
    const withWord = { ...lexicon, synonyms: new Map([...lexicon.synonyms, ['说和', ['调解']]]) };
    const reader = new QueryReader(withWord, new Set(['调解']), () => true);
    expect(stops).toBe(true);
    expect(reader.terms('帮忙说和的人谁来培训').groups.find((g) => g.term === '说和')?.alternatives).toEqual(['调解']);
  });
});

describe('several task numbers said at once', () => {
  it.each([
    ['46、47是什么', [46, 47]],
    ['第四十六项和第四十七项分别是谁负责', [46, 47]],
    ['46到48项', [46, 47, 48]],
    ['三十五和三十六条讲的啥', [35, 36]],
    ['46、47两项谁牵头', [46, 47]],
    ['要写周报，把11到14条的内容发我一下', [11, 12, 13, 14]],
  ] as const)('%s → %j', (text, ids) => {
    expect(listedTaskNumbers(text)).toEqual(ids);
  });

  it.each(['46', '46是什么', '1到61项', '调解员培训和第46项', '2022年10月和11月', '第三部分和第四部分', '人社和财政'])('%s is no list of task numbers', (text) => {
    expect(listedTaskNumbers(text)).toBeUndefined();
  });

  it('numbers each said as an item are a list whatever is said around them (请把第3条跟第9条调出来对比, 第2条第5条, 任务4和任务8)', () => {
    expect(listedTaskNumbers('请把第3条跟第9条调出来对比')).toEqual([3, 9]);
    expect(listedTaskNumbers('第2条第5条都是啥')).toEqual([2, 5]);
    expect(listedTaskNumbers('帮我看下任务4和任务8')).toEqual([4, 8]);
    // (a comma and a word together join them too: 27号任务，以及34号任务)
    expect(listedTaskNumbers('查一下27号任务，以及34号任务')).toEqual([27, 34]);
    expect(listedTaskNumbers('下周开会要用，把第2到第4项列一下')).toEqual([2, 3, 4]);
    // (# marks an item in a list as it does alone: #48)
    expect(listedTaskNumbers('#30-#32 这几条说的什么')).toEqual([30, 31, 32]);
    expect(listedTaskNumbers('#30、#31是什么')).toEqual([30, 31]);
    // …but not dates or parts beside them
    for (const text of ['3号和5号开会', '第3条和第5条在2022年10月改过', '第三部分和第四部分']) expect(listedTaskNumbers(text), text).toBeUndefined();
  });

  it('numbers with a reason before them, pointed back at, or with their count said after them are a list (明天开会要讨论第40到42项; 17和19，这两条; 二十九两条)', () => {
    expect(listedTaskNumbers('明天开会要讨论第40到42项，先帮我调出来')).toEqual([40, 41, 42]);
    expect(listedTaskNumbers('明天开会要讲17和19，这两条分别啥意思')).toEqual([17, 19]);
    expect(listedTaskNumbers('第二十八、二十九两条帮我念一下')).toEqual([28, 29]);
    expect(listedTaskNumbers('3到5这几条任务是哪些单位负责')).toEqual([3, 4, 5]);
    expect(listedTaskNumbers('14、15、16三条帮我展开说说')).toEqual([14, 15, 16]);
    expect(listedTaskNumbers('序号10 跟 11 的责任单位分别是？')).toEqual([10, 11]);
    // (二十三条 is one number; a date beside the numbers is still another count)
    expect(listedTaskNumbers('第二十三条和第二十四条')).toEqual([23, 24]);
    expect(listedTaskNumbers('2号任务跟20号任务分别是谁牵头')).toEqual([2, 20]);
    // marked at both ends as one list after a reason, or each said as task N in English
    expect(listedTaskNumbers('明天开会要讨论，请列一下第14、15、16条')).toEqual([14, 15, 16]);
    expect(listedTaskNumbers('我在写周报，需要 task 13 和 task 17 的原文')).toEqual([13, 17]);
    // 地 for 第 by voice input
    expect(listedTaskNumbers('明天开会要讲，地20到23条分别是什么')).toEqual([20, 21, 22, 23]);
    expect(listedTaskNumbers('第3条和第5条在2022年10月改过')).toBeUndefined();
  });

  it('方案最后三项任务是哪些 → the last three', () => {
    expect(endTasks('方案最后三项任务是哪些', [1, 2, 3, 4, 5, 6])).toEqual([4, 5, 6]);
    expect(endTasks('最后两项任务是哪两个？列一下', [1, 2, 3, 4, 5, 6])).toEqual([5, 6]);
    // a clause before that asks nothing is the reason; one that asks something else is another question
    expect(endTasks('明天开会要用，麻烦把前三条任务列一下', [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3]);
    expect(endTasks('领导让我先看看前三项任务，帮我列一下', [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3]);
    expect(endTasks('前5个任务给我过一遍', [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5]);
    expect(endTasks('前三条里哪条是财政的', [1, 2, 3, 4, 5, 6])).toBeUndefined();
    expect(endTasks('财政是哪个口的，前三条列一下', [1, 2, 3, 4, 5, 6])).toBeUndefined();
  });

  it('最后一项任务 is the last item, not task 1 (一项任务)', () => {
    expect(parseTaskNumber('最后一项任务是什么来着')).toBeUndefined();
    expect(parseTaskNumber('三项任务')).toBe(3);
  });

  it('the first or last few (前三条, 最后两项) are the plan’s first or last tasks, whatever their numbers', () => {
    const ids = [3, 4, 7, 9, 12];
    expect(endTasks('前三条是什么', ids)).toEqual([3, 4, 7]);
    expect(endTasks('最后两项分别谁负责', ids)).toEqual([9, 12]);
    expect(endTasks('头两项', ids)).toEqual([3, 4]);
    expect(endTasks('把前四项列一下', ids)).toEqual([3, 4, 7, 9]);
    expect(endTasks('最后两个任务讲的什么呀', ids)).toEqual([9, 12]);
    // …not when something else is asked of them, nor a count the plan cannot give
    for (const text of ['前三条都是财政部的吗', '前两年的任务', '前十条', '前一条']) expect(endTasks(text, ids), text).toBeUndefined();
  });
});

describe('an administrator editing the question cues', () => {
  it('a word boundary written "\\b" in the JSON (a backspace, never matching) stops loading and names the pattern', () => {
    const shipped = path.join(DATA_ROOT, 'lexicon');
    const dir = mkdtempSync(path.join(tmpdir(), 'cues-'));
    try {
      const raw = JSON.parse(readFileSync(path.join(shipped, 'question-cues.json'), 'utf8')) as Record<string, string>;
      writeFileSync(path.join(dir, 'question-cues.json'), JSON.stringify(raw));
      expect(loadQuestionCues(dir).COURTESY.test('ok thanks')).toBe(true);
      writeFileSync(path.join(dir, 'question-cues.json'), JSON.stringify({ ...raw, courtesy: `${raw.courtesy}|\bthx\b` }));
      expect(() => loadQuestionCues(dir)).toThrow(/"courtesy" holds a control character/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
