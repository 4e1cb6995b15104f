import { describe, expect, it } from 'vitest';
import { taskTerms } from '../../src/plan/examples.js';
import type { Task } from '../../src/plan/types.js';

const task = (text: string): Task => ({ id: 1, section: 1, text, departments: ['人社'], lead: [], support: [], actors: [] });

describe('the short terms help examples ask about (谁负责X？)', () => {
  it('takes a whole clause without its opening verbs, whatever space follows a comma', () => {
    expect(taskTerms(task('加大督促力度, 加强对当事人履约能力评估, 达成协议后发放告知书。'))).toContain('当事人履约能力评估');
  });

  it('never cuts a clause inside a word when a whole one fits', () => {
    const terms = taskTerms(task('推动建立覆盖城乡全体劳动者的公共法律服务网络体系，加强调解员培训。'));
    expect(terms).toEqual(['调解员培训']);
  });

  it('cuts a long clause only when no clause fits whole', () => {
    const [term, ...rest] = taskTerms(task('推动建立覆盖城乡全体劳动者的公共法律服务网络体系。'));
    expect(rest).toEqual([]);
    expect(term.length).toBeLessThan('覆盖城乡全体劳动者的公共法律服务网络体系'.length);
    expect('覆盖城乡全体劳动者的公共法律服务网络体系'.startsWith(term)).toBe(true);
  });

  it('does not ask about a clause that only says how well a place does (a measure for places that qualify)', () => {
    const terms = taskTerms(task('对大力培育发展战略性新兴产业、产业特色优势明显、技术创新能力较强的市，优先支持产业集群建设。'));
    expect(terms).toContain('发展战略性新兴产业');
    expect(terms.some((t) => /明显|较强/.test(t))).toBe(false);
    expect(taskTerms(task('对工业稳增长和转型升级、技术改造成效明显的市，给予奖励。'))).toEqual(['工业稳增长和转型升级']);
  });
});
