import { describe, expect, it } from 'vitest';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { loadSuitePlan } from '../eval/eval-lib.js';

/** The second plan (tests/eval/plan2, a talent plan of another city), loaded with no lexicon entry of its own. */
const loaded = loadSuitePlan('plan2');
const qa = createQaEngine(loaded);
const tasksOf = (name: string) => loaded.plan.tasks.filter((t) => t.departments.includes(name)).map((t) => t.id);

describe('a plan the engine was never tuned on', () => {
  it('lists a department’s tasks however the request is put', () => {
    for (const q of ['教育局 task list 发我一下', '教育局牵头或者配合的有哪几条', '涉及教育局的条目', '教育局要做哪些']) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('department_tasks');
      expect(a.tasks.map((t) => t.id), q).toEqual(tasksOf('教育局'));
    }
  });

  it('knows a department by a shortened or sound-alike name it was never told (住保办, 财证局)', () => {
    expect(qa.resolveDepartments('住保办 要做哪些')).toEqual(['住房保障办']);
    expect(qa.ask('住保办 要做哪些').tasks.map((t) => t.id)).toEqual(tasksOf('住房保障办'));
    expect(qa.resolveDepartments('财证局负责哪几条')).toEqual(['财政局']);
  });

  it('answers a task quoted from the plan with that task, whatever mentions the bot', () => {
    for (const task of loaded.plan.tasks.filter((t) => t.text.length > 30).slice(0, 10)) {
      const quote = task.text.replace(/^[^，。]*?[：:]/, '').slice(0, 24);
      const a = qa.ask(`@督办助手 ${quote} 这条谁负责`);
      expect(a.intent, quote).toBe('responsibility');
      expect(a.tasks[0].id, quote).toBe(task.id);
    }
  });

  it('lists a part named by its subject alone, with or without subsections', () => {
    const part = (title: string) => {
      const s = loaded.plan.sections.find((x) => x.title.includes(title))!;
      const subs = new Set(loaded.plan.subsections.filter((x) => x.section === s.index).map((x) => x.index));
      return loaded.plan.tasks.filter((t) => t.subsection !== undefined && subs.has(t.subsection)).map((t) => t.id);
    };
    for (const [q, title] of [
      ['六大行动计划有哪些任务', '六大人才行动计划'],
      ['三大支撑体系包括哪些', '三大人才开发支撑体系'],
      ['关于组织实施的条目', '强化组织实施'],
    ]) {
      const a = qa.ask(q);
      expect(a.intent, q).toBe('section_tasks');
      expect(a.tasks.map((t) => t.id).sort((x, y) => x - y), q).toEqual(part(title));
    }
  });
});
