/** Which messages are follow-ups: only short ones without a topic of their own; every fresh question stays fresh. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load.js';
import { parseFollowUp } from '../../src/core/follow-up.js';
import { paginate, pageOf } from '../../src/core/paging.js';
import { ConversationMemory } from '../../src/core/conversation.js';

const loaded = loadPlan();
const parse = (text: string) => parseFollowUp(text, (t) => loaded.registry.splitMentions(t));

describe('follow-ups', () => {
  it.each([
    ['更多', { kind: 'more' }],
    ['上一页', { kind: 'previous' }],
    ['下一页', { kind: 'more' }],
    ['那法院呢?', { kind: 'department', departments: ['法院'] }],
    ['总工会的呢', { kind: 'department', departments: ['总工会'] }],
    ['第二个', { kind: 'reference', aspect: 'detail', ordinal: 2, plural: false }],
    ['第3个什么时候到期？', { kind: 'reference', aspect: 'deadline', ordinal: 3, plural: false }],
    ['那它什么时候到期?', { kind: 'reference', aspect: 'deadline', ordinal: undefined, plural: false }],
    ['进展如何', { kind: 'reference', aspect: 'progress', ordinal: undefined, plural: false }],
    ['这几项进展怎么样', { kind: 'reference', aspect: 'progress', ordinal: undefined, plural: true }],
    ['这几个部门里谁牵头', { kind: 'reference', aspect: 'lead', ordinal: undefined, plural: true }],
    ['谁牵头？', { kind: 'reference', aspect: 'lead', ordinal: undefined, plural: false }],
    // as people go on in chat: 还有别的吗, 牵头的是哪个, 第二个是谁负责, 配合单位呢, 具体点
    ['还有别的吗', { kind: 'more' }],
    ['还有类似的吗', { kind: 'more' }],
    ['相关的还有吗？', { kind: 'more' }],
    ['再来几个', { kind: 'more' }],
    ['牵头的是哪个', { kind: 'reference', aspect: 'lead', ordinal: undefined, plural: false }],
    ['第二个是谁负责', { kind: 'reference', aspect: 'who', ordinal: 2, plural: false }],
    ['配合单位呢', { kind: 'reference', aspect: 'who', ordinal: undefined, plural: false }],
    ['这个是哪个部门的', { kind: 'reference', aspect: 'who', ordinal: undefined, plural: false }],
    ['具体点', { kind: 'reference', aspect: 'detail', ordinal: undefined, plural: false }],
    ['原文发我', { kind: 'reference', aspect: 'detail', ordinal: undefined, plural: false }],
    ['这个全文给我看看', { kind: 'reference', aspect: 'detail', ordinal: undefined, plural: false }],
    // pointing back as people do: 刚才那个, 上一个, 这几项都…
    ['刚才那个谁牵头', { kind: 'reference', aspect: 'lead', ordinal: undefined, plural: false }],
    ['上一个是什么', { kind: 'reference', aspect: 'detail', ordinal: undefined, plural: false }],
    ['这几项都是谁负责', { kind: 'reference', aspect: 'who', ordinal: undefined, plural: true }],
    // the last list narrowed to a topic
    ['其中跟协商有关的呢', { kind: 'narrow', topic: '协商' }],
    ['里面关于培训的有哪些', { kind: 'narrow', topic: '培训' }],
    ['跟经费有关的呢？', { kind: 'narrow', topic: '经费' }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each(['法院有哪些任务', '跟培训有关的任务有哪些', '其中第二个', '第二项是什么', '第48条', '谁负责调解员培训?', '那', '呢？', '法院负责支付令吗', '发我', '它'.repeat(20)])(
    '%s is not a follow-up',
    (text) => {
      const f = parse(text);
      // 「它」 repeated is too long to be a follow-up; everything else has its own topic or refers to nothing.
      expect(f).toBeUndefined();
    },
  );

  it('no question of the evaluation set is bent into a follow-up (a department named alone may be one)', () => {
    const questions = readFileSync(new URL('../eval/questions.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { question: string }).question);
    expect(questions.length).toBeGreaterThan(100);
    const bent = questions.filter((q) => {
      const f = parse(q);
      return f && !(f.kind === 'department' && loaded.registry.splitMentions(q).rest.trim() === '');
    });
    expect(bent).toEqual([]);
  });
});

describe('pages', () => {
  const list = (n: number) => ['某部门共负责若干项任务：', ...Array.from({ length: n }, (_, i) => `第${i + 1}项 内容`)].join('\n');

  it('a short answer is one page', () => {
    expect(paginate(list(10), 20)).toHaveLength(1);
  });

  it('a long one is cut into pages that together hold every line, each but the last saying how to go on', () => {
    const pages = paginate(list(50), 20);
    expect(pages.length).toBe(3);
    expect(pages.join('\n')).toBe(list(50));
    expect(pageOf(pages, 0)).toMatch(/发送“更多”查看下一页（2\/3）$/);
    expect(pageOf(pages, 1)).toMatch(/^某部门共负责若干项任务（续，第2\/3页）/);
    expect(pageOf(pages, 2)).not.toContain('更多');
  });

  it('a last page of a few lines stays on the page before it', () => {
    const pages = paginate(list(42), 20);
    expect(pages.length).toBe(2);
    expect(pages.join('\n')).toBe(list(42));
  });
});

describe('conversation memory', () => {
  const context = (pages: string[] = []) => ({ intent: 'department_tasks', tasks: [], departments: [], at: 0, ...(pages.length ? { pages, next: 1 } : {}) });

  it('forgets the least recently used conversation beyond its size, and an expired one', () => {
    const m = new ConversationMemory(60_000, 2);
    m.set('a', context());
    m.set('b', context());
    m.set('a', context()); // a speaks again: now the most recent
    m.set('c', context());
    expect(m.get('b', 1)).toBeUndefined();
    expect(m.size).toBe(2);
    expect(m.get('a', 1)).toBeDefined();
    expect(m.get('a', 60_001)).toBeUndefined();
  });

  it('holds at most its budget of page characters, dropping the oldest long answers first', () => {
    const m = new ConversationMemory(60_000, 100, 1000);
    m.set('a', context(['x'.repeat(400), 'y'.repeat(400)]));
    m.set('b', context(['z'.repeat(300), 'w'.repeat(300)]));
    expect(m.get('a', 1)).toBeUndefined();
    expect(m.pageCharacters).toBe(600);
    m.set('b', context());
    expect(m.pageCharacters).toBe(0);
  });
});
