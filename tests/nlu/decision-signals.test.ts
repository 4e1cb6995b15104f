import { describe, expect, it } from 'vitest';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { DECISION_FEATURES, loadRankModel } from '../../src/nlu/rank-model.js';
import { engine, loaded } from './helpers.js';

/** The answer-or-refuse decision's signal of a question (engine.ts, DECISION_FEATURES order). */
const signal = (question: string, name: (typeof DECISION_FEATURES)[number]) =>
  engine().analyze(question).decision!.signals[DECISION_FEATURES.indexOf(name)];

describe('what the decision counts as words the plan does not know', () => {
  it('a question in the plan’s words, said loosely, has none: not the segmenter’s guesses across words, not the pieces of a number', () => {
    // 合在一起 is cut for search into 合在 / 一起: 合在 is no word, and no subject the plan lacks
    expect(signal('调解员培训跟仲裁合在一起搞的那个谁牵头', 'foreign')).toBe(0);
    // 两万多个 is cut into 两万 / 万多 / 多个 …: a number, not a subject
    expect(signal('培训两万多个调解员那条谁牵头', 'foreign')).toBe(signal('培训调解员那条谁牵头', 'foreign'));
  });

  it('a real word the plan never uses still counts (食品, 退税)', () => {
    expect(signal('食品安全投诉归哪个部门管', 'foreign')).toBeGreaterThan(0);
    expect(signal('个税退税找谁办', 'foreign')).toBeGreaterThan(0);
  });
});

describe('what the decision counts as a kind of fact a plan does not state', () => {
  it('the counter or place to go to, and whether something may be done directly', () => {
    for (const q of ['调解员证书去哪个窗口领', '欠薪的事去哪家法院办', '仲裁裁决了能不能直接去法院执行']) {
      expect(signal(q, 'asks'), q).toBeGreaterThanOrEqual(1);
    }
  });

  it('which channel to take for one’s own case, whether something counts as …', () => {
    for (const q of ['欠了工资是该找仲裁还是直接去法院', '跑腿送件的算不算劳动关系']) {
      expect(signal(q, 'asks'), q).toBeGreaterThanOrEqual(1);
    }
    // …but whether something counts as a unit's task is a question about the plan
    expect(signal('调解员培训算不算人社负责的', 'asks')).toBe(0);
  });

  it('which places or companies exactly, and by what standard', () => {
    for (const q of ['那几个示范街道具体是哪些街道', '哪些企业已经入选了，有名单吗', '调解员等级按什么标准评定']) {
      expect(signal(q, 'asks'), q).toBeGreaterThanOrEqual(1);
    }
  });

  it('a fact told or asked in sentences before a last one that asks who (…拖到deadline还不给钱。谁来督促…？) is the story, not asked', () => {
    expect(signal('调解协议签了对方拖到deadline还不给钱。谁来督促履行，或者引导我去申请调解？', 'asks')).toBe(0);
    // (…but a fact asked in a last sentence of its own is asked)
    expect(signal('调解员补贴谁来发？到底发多少钱？', 'asks')).toBeGreaterThanOrEqual(1);
  });

  it('a price, and which things exactly (具体有哪些材料, 到底是哪些费用) — not which items, units or fields of the plan', () => {
    for (const q of ['调解员培训费现在什么价位', '调解中心具体有哪些窗口', '仲裁到底是哪些费用要交']) {
      expect(signal(q, 'asks'), q).toBeGreaterThanOrEqual(1);
    }
    for (const q of ['支付令具体是哪些单位负责', '调解这块到底是哪些部门负责']) expect(signal(q, 'asks'), q).toBe(0);
  });

  it('how many of something there are now (现在一共有几家), not how many one means to send (今年想送几个)', () => {
    for (const q of ['现在一共有几家调解组织', '目前哪些企业已经建了调解委员会']) expect(signal(q, 'asks'), q).toBeGreaterThanOrEqual(1);
    expect(signal('今年想送几个调解员去培训', 'asks')).toBe(0);
  });

  it('whether a target has been reached (达到了没有, 建完没有): a result, which a plan of who does what does not state', () => {
    for (const q of ['调解员培训两万人的目标现在达到了没有', '那些调解组织到底建完没有']) expect(signal(q, 'asks'), q).toBeGreaterThanOrEqual(1);
    expect(signal('调解组织建设谁负责', 'asks')).toBe(0);
  });

  it('the year something was decided or took effect, and a joke asked for', () => {
    for (const q of ['仲裁院是哪一年成立的', '这个意见哪年开始正式生效', '讲个关于仲裁员的笑话呗']) {
      expect(signal(q, 'asks'), q).toBeGreaterThanOrEqual(1);
    }
  });

  it('which hospital or shop to go to is no unit asked for (哪家医院), which unit is (哪家单位)', () => {
    expect(signal('免费体检去哪家医院做', 'who')).toBe(0);
    expect(signal('免费体检去哪家医院做', 'unit')).toBe(0);
    expect(signal('调解员培训是哪家单位负责', 'who')).toBe(1);
    // …nor which communities or companies exactly (具体是哪些社区)
    expect(signal('那几个示范街道具体是哪些社区', 'unit')).toBe(0);
    expect(signal('调解员培训是哪个部门的', 'unit')).toBe(1);
  });

  it('but not a polite way of asking who is responsible', () => {
    for (const q of ['能不能告诉我调解员培训归哪个局管', '调解员培训是哪一个委牵头的']) expect(signal(q, 'asks'), q).toBe(0);
  });

  it('nor the story before a last sentence that asks only who handles it, though the story wonders how long or whether', () => {
    expect(signal('调解员培训说了好几年，到底要等多久才能搞起来，谁牵头', 'asks')).toBe(0);
    expect(signal('我们的调解员能不能也去参加培训？ who is in charge', 'asks')).toBe(0);
    // who sets, issues or answers for it is who handles it (这些是谁定的, 谁来保证)
    expect(signal('调解员培训每年要培训多少人，这些是谁定的', 'asks')).toBe(0);
    expect(signal('调解组织建设要几年完成，谁来保证', 'asks')).toBe(0);
    expect(signal('调解员培训到底哪天开始，是年初还是年中？谁说了算', 'asks')).toBe(0);
    // …but asking whom to collect something from is a service asked for, and so is the fact in the asking sentence
    expect(signal('调解员培训的补贴能拿多少，找谁领', 'asks')).toBeGreaterThanOrEqual(1);
    expect(signal('调解员培训要等多久，谁负责多久能搞完', 'asks')).toBeGreaterThanOrEqual(1);
  });
});

describe('what the decision counts as a topic of another field', () => {
  it('a topic the plan never names is elsewhere, unless the plan speaks of its field (安全生产 in a plan on 隐患排查)', () => {
    expect(signal('个税退税归哪个部门管', 'elsewhere')).toBe(1);
    // 安全生产 is not in the shipped plan, but its field's words are (隐患排查, 风险防控: out-of-scope.json topicFields)
    expect(signal('安全生产归哪个部门管', 'elsewhere')).toBe(0);
  });
});

describe('what the decision is fitted on', () => {
  it('only the questions the rules leave to it: one about the bot or a unit’s list carries no decision, a who-question does', () => {
    expect(engine().analyze('你是谁开发的').decision).toBeUndefined();
    expect(engine().analyze('人社有哪些任务').decision).toBeUndefined();
    expect(engine().analyze('调解员培训谁负责').decision?.p).toBeGreaterThan(0.5);
  });
});

describe('what the decision counts as asking who', () => {
  it('where to go and ask (去哪问, 找哪里问) asks who handles it, as 找谁 does', () => {
    for (const q of ['听说能领免费的调解员培训，去哪问', '调解员培训的事找哪里问']) expect(signal(q, 'who'), q).toBe(1);
    expect(signal('调解员培训的事该问谁', 'who')).toBe(1);
  });
});

describe('a question asking only which item of the plan says something', () => {
  // every question given the same middling probability of being answerable (0.3: below answering, above a near miss)
  const middling = (() => {
    const model = loadRankModel();
    const decision = DECISION_FEATURES.map((f) => (f === 'bias' ? Math.log(0.3 / 0.7) : 0));
    return createQaEngine(loaded(), { model: { ...model, decision } });
  })();
  const task = loaded().plan.tasks[loaded().plan.tasks.length >> 1];
  const matter = task.text.replace(/[，。；、,.;].*$/su, '').slice(0, 16);

  it('is answered with the nearest task and the next two offered, where a who-question that came as near is refused', () => {
    const a = middling.ask(`${matter}，哪条任务说的是这个`);
    expect(a.intent).toBe('responsibility');
    expect(a.tasks[0].id).toBe(task.id);
    expect(a.text).toContain('也可能是');
    expect(middling.ask(`${matter}，这个谁管`).intent).toBe('unknown');
  });

  it('is still refused when it also asks a fact plans do not state (a phone number)', () => {
    expect(middling.ask(`${matter}那条，电话多少`).intent).toBe('unknown');
  });
});
