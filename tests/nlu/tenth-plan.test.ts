import { describe, expect, it } from 'vitest';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { loadSuitePlan, preloadSuitePlans } from '../eval/eval-lib.js';

/**
 * The tenth plan, a local economic package (济源示范区, 100 measures), imported from its CSV as an office would. Its
 * lists print the level once, on their first unit (示范区交通运输局、住房和城乡建设局…), and some of its units are the
 * place's branches of national bodies (济源海关, 人行济源市中心支行).
 */
await preloadSuitePlans();
const tenth = loadSuitePlan('plan10');
const qa = createQaEngine(tenth);
/** The tasks whose printed units include any of these names, in order. */
const printedWith = (...printed: string[]) => {
  const names = new Set(printed.flatMap((p) => tenth.registry.resolveExact(p)));
  return tenth.plan.tasks.filter((t) => t.departments.some((d) => names.has(d))).map((t) => t.id);
};

describe('a local plan whose lists print the level once', () => {
  it('gives a unit all its tasks, whether a list printed it with the level or without (住建局 has both)', () => {
    const all = printedWith('示范区住房和城乡建设局', '住房和城乡建设局');
    for (const q of ['住建局有哪些任务', '住房和城乡建设局 task list 发我一下']) {
      const a = qa.ask(q);
      expect(a.departments, q).toHaveLength(1);
      expect(a.tasks.map((t) => t.id), q).toEqual(all);
    }
  });

  it('names the place’s branch of a national body without the place (海关 for 济源海关, 人民银行 for 人行济源市中心支行)', () => {
    expect(qa.ask('海关在这个方案里有啥任务没').tasks.map((t) => t.id)).toEqual(printedWith('济源海关'));
    expect(qa.ask('人民银行济源中支涉及的条目都有哪些').tasks.map((t) => t.id)).toEqual(printedWith('人行济源市中心支行'));
  });

  it('reads the plan named by words of its title and 的 (在这个提振经济的方案里) as the plan, not a topic of the list', () => {
    const a = qa.ask('组织部在这个提振经济的方案里有任务吗');
    expect(a.intent).toBe('department_tasks');
    expect(a.tasks.map((t) => t.id)).toEqual(printedWith('示范区党工委组织部'));
  });
});
