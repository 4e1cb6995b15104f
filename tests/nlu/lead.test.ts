import { describe, expect, it } from 'vitest';
import { leadLine } from '../../handlers/responsibility.js';
import { engine, loaded } from './helpers.js';
import type { Task } from '../../src/plan/types.js';

/** Tasks made up for the test (the shipped plan's registry, its departments' names). */
const task = (over: Partial<Task>): Task => ({ id: 7, section: 1, text: '推进某项工作。', departments: ['人社', '法院'], lead: [], support: [], actors: [], ...over });

describe('asking who leads a task (谁牵头)', () => {
  it('names the 牵头单位 when the plan prints lead and supporting units apart', () => {
    expect(leadLine(loaded(), task({ lead: ['法院'], support: ['人社'] }))).toBe('牵头单位：法院；配合单位：人社。');
  });

  it('names the lead the task text states (「…人民法院牵头…」)', () => {
    expect(leadLine(loaded(), task({ text: '由人民法院牵头，会同人力资源社会保障部门推进某项工作。' }))).toContain('由法院牵头');
  });

  it('says honestly that the plan names no lead, and which department is listed first', () => {
    const line = leadLine(loaded(), task({}));
    expect(line).toContain('方案未写明第7项的牵头单位');
    expect(line).toContain('列在首位的是人社');
  });

  it('says a task of one department has that one, no lead set apart', () => {
    expect(leadLine(loaded(), task({ departments: ['法院'] }))).toBe('第7项只有一个责任部门：法院（方案未单列牵头单位）。');
  });

  it('answers 第N项谁牵头 with the task and its lead line', () => {
    const id = loaded().plan.tasks.find((t) => t.departments.length > 1)!.id;
    const a = engine().ask(`第${id}项谁牵头`);
    expect(a.intent).toBe('task_detail');
    expect(a.text.split('\n').at(-1)).toBe(leadLine(loaded(), loaded().plan.tasks.find((t) => t.id === id)!));
    // …and asked what it is, no lead line
    expect(engine().ask(`第${id}项是什么`).text).not.toContain('牵头');
  });
});
