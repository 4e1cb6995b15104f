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
});
