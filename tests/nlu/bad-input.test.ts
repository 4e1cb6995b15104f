import { describe, expect, it } from 'vitest';
import { engine } from './helpers.js';

describe('bad input never crashes and gets a short help-style reply', () => {
  it.each([
    ['empty text', ''],
    ['only spaces', '   \n\t '],
    ['emoji only', '😀🎉👍🏻'],
    ['control characters', '\u0000\u0007\u001b[31m'],
    ['a script tag', '<script>alert("x")</script>'],
    ['markdown emphasis', '*x*'],
  ])('%s', (_name, text) => {
    const a = engine().ask(text);
    expect(a.intent).toBe('help');
    expect(a.tasks).toEqual([]);
    expect(a.departments).toEqual([]);
    expect(a.text.length).toBeLessThan(400);
    expect(a.text).not.toMatch(/<script|\*x\*/);
  });

  it('10,000 characters are answered quickly', () => {
    const text = '谁负责调解员培训'.repeat(1250);
    const t = performance.now();
    const a = engine().ask(text);
    expect(performance.now() - t).toBeLessThan(200);
    expect(a.intent).toBe('responsibility');
    expect(a.question).toBe(text);
  });

  it('HTML around a real question still answers it, and the reply carries no markup', () => {
    const a = engine().ask('<b>支付令</b>归哪个部门管？');
    expect(a.tasks[0].id).toBe(46);
    expect(a.text).not.toContain('<');
  });

  it('markup around an unrelated question is not echoed back', () => {
    const a = engine().ask('<b>天气</b>怎么样<img src=x onerror=alert(1)>');
    expect(a.intent).toBe('unknown');
    expect(a.text).not.toMatch(/[<>]/);
  });

  it('negative, decimal and huge task numbers never pick a wrong task', () => {
    expect(engine().ask('第-1项').tasks).toEqual([]);
    expect(engine().ask('第1.5项').tasks).toEqual([]);
    const huge = engine().ask('第99999999项');
    expect(huge.tasks).toEqual([]);
    expect(huge.text).toContain('1–61');
  });

  it('random bytes and odd unicode do not throw', () => {
    for (let i = 0; i < 200; i++) {
      const s = String.fromCharCode(...Array.from({ length: 30 }, (_, k) => (i * 7919 + k * 104729) % 0xffff));
      expect(() => engine().ask(s)).not.toThrow();
    }
  });
});
