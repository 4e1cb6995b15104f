import { describe, expect, it } from 'vitest';
import { stripBotMention } from '../../src/core/mentions.js';

describe('a message that mentions the bot by name', () => {
  it('loses the mention wherever it stands, and nothing else', () => {
    expect(stripBotMention('@督办助手 谁负责调解员培训?')).toBe('谁负责调解员培训?');
    expect(stripBotMention('谁负责调解员培训? @督办助手')).toBe('谁负责调解员培训?');
    expect(stripBotMention('领导问 ＠督办助手 这条归谁')).toBe('领导问 这条归谁');
    expect(stripBotMention('48 已完成\n已印发方案')).toBe('48 已完成\n已印发方案');
    expect(stripBotMention('@张三 48 已完成')).toBe('@张三 48 已完成');
  });

  it('loses the name said first without @, as one addresses a person, but keeps a name that is the whole message', () => {
    expect(stripBotMention('督办助手，这个审批归哪个部门？')).toBe('这个审批归哪个部门？');
    expect(stripBotMention('督办小助手: 第46项是什么')).toBe('第46项是什么');
    // …and a greeting said with the name is part of addressing it
    expect(stripBotMention('Hi 督办助手，保税区企业的 OEM 加工谁管')).toBe('保税区企业的 OEM 加工谁管');
    expect(stripBotMention('督办助手你好，我们省那笔钱哪些部门管？')).toBe('我们省那笔钱哪些部门管？');
    expect(stripBotMention('督办助手')).toBe('督办助手');
    expect(stripBotMention('督办助手在吗')).toBe('督办助手在吗');
    expect(stripBotMention('督办助手怎么用')).toBe('督办助手怎么用');
    // (…after a polite word, which addresses it too; but the bot as the subject stays: 请问督办助手是谁开发的)
    expect(stripBotMention('请问督办助手 第三部分包含哪几个任务')).toBe('第三部分包含哪几个任务');
    expect(stripBotMention('麻烦督办助手，第5项谁负责')).toBe('第5项谁负责');
    expect(stripBotMention('请问督办助手是谁开发的')).toBe('请问督办助手是谁开发的');
  });

  it('loses the name said last, set apart from the question, but keeps it where it is part of the sentence', () => {
    expect(stripBotMention('第二部分的条目列一下 督办助手')).toBe('第二部分的条目列一下');
    expect(stripBotMention('这个谁负责，督办助手？')).toBe('这个谁负责');
    expect(stripBotMention('谢谢督办助手')).toBe('谢谢督办助手');
    expect(stripBotMention('怎么使用督办助手')).toBe('怎么使用督办助手');
  });

  it('loses the name said between two clauses, set apart on both sides, but keeps it inside a clause', () => {
    expect(stripBotMention('有家企业想进综保区做进出口业务，督办助手 这块哪个部门牵头')).toBe('有家企业想进综保区做进出口业务，这块哪个部门牵头');
    expect(stripBotMention('第46项是什么？督办助手，再问下谁牵头')).toBe('第46项是什么？再问下谁牵头');
    expect(stripBotMention('烦请督办助手告知第三十三项的责任单位')).toBe('烦请督办助手告知第三十三项的责任单位');
    // (…or after a clause mark or a space, before the words that turn to it)
    expect(stripBotMention('动植物产品进区实行先入区后检测，督办助手这块谁牵头')).toBe('动植物产品进区实行先入区后检测，这块谁牵头');
    expect(stripBotMention('外来工那块 督办助手帮忙列下')).toBe('外来工那块 帮忙列下');
    expect(stripBotMention('船舶异地监管 督办助手这个找谁')).toBe('船舶异地监管 这个找谁');
    expect(stripBotMention('好累 督办助手讲个笑话听听')).toBe('好累 督办助手讲个笑话听听');
    expect(stripBotMention('你好，督办助手怎么用')).toBe('你好，督办助手怎么用');
  });
});
