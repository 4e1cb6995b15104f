import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan, loadRegistry } from '../../src/plan/load.js';
import { parsePlan, PlanParseError } from '../../src/plan/parse.js';

// The shipped plan as a fixture copy: importing another plan into data/ leaves these tests as they are.
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/plans/plan1');
const registry = loadRegistry(path.join(FIXTURE, 'departments.json'));
const { plan } = loadPlan({ planFile: path.join(FIXTURE, 'plan.txt'), departmentsFile: path.join(FIXTURE, 'departments.json') });
const source = readFileSync(path.join(FIXTURE, 'plan.txt'), 'utf8');

function count(dept: string): number {
  return plan.tasks.filter((t) => t.departments.includes(dept)).length;
}

describe('reading the plan table (plan.txt format 1, the shipped plan)', () => {
  it('finds all 61 tasks, numbered 1 to 61, in 6 sections and 20 subsections', () => {
    expect(plan.tasks).toHaveLength(61);
    expect(plan.tasks.map((t) => t.id)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    expect(plan.sections.map((s) => s.title)).toEqual(['总体要求', '加强源头治理', '强化协商和解', '做实多元调解', '健全联动工作体系', '提升服务能力']);
    expect(plan.subsections).toHaveLength(20);
    expect(plan.title).toContain('重点任务分工方案');
  });

  it.each([
    ['人社', 48],
    ['总工会', 42],
    ['工商联', 34],
    ['企联', 34],
    ['司法行政', 33],
    ['法院', 24],
    ['工信', 15],
    ['政法委', 13],
    ['财政', 12],
  ])('%s is responsible for %d tasks', (dept, n) => {
    expect(count(dept)).toBe(n);
  });

  it('an empty department cell inherits the row above (merged cells): task 16 has task 15’s departments', () => {
    const t15 = plan.tasks[14];
    const t16 = plan.tasks[15];
    expect(t16.departments).toEqual(t15.departments);
    expect(t16.departments).toEqual(['人社', '工信', '总工会', '工商联', '企联']);
  });

  it('inheritance carries across page breaks and repeated header lines (task 5 keeps tasks 1–4’s nine departments; task 31 keeps task 30’s)', () => {
    expect(plan.tasks[4].departments).toHaveLength(9);
    expect(plan.tasks[30].departments).toEqual(plan.tasks[29].departments);
  });

  it('a page that starts with an empty section column keeps the section: task 28 is in 四、做实多元调解 (十一)', () => {
    const t28 = plan.tasks[27];
    expect(t28.section).toBe(4);
    expect(t28.subsection).toBe(11);
  });

  it('records the departments a task names as actors (task 57: 司法行政部门要…)', () => {
    expect(plan.tasks[56].actors).toContain('司法行政');
    expect(plan.tasks[22].actors).toContain('总工会');
  });

  it('reports a bad line by its line number', () => {
    const lines = source.split('\n');
    const at = lines.findIndex((l) => l.includes('\t46\t'));
    lines[at] = lines[at].replace('\t46\t', '\t4x6\t');
    expect(() => parsePlan(lines.join('\n'), registry)).toThrowError(new RegExp(`第${at + 1}行`));
    try {
      parsePlan(lines.join('\n'), registry);
    } catch (e) {
      expect(e).toBeInstanceOf(PlanParseError);
      expect((e as PlanParseError).line).toBe(at + 1);
    }
  });

  it('rejects an unknown department and a wrong format version with a clear message', () => {
    const bad = source.replace('依法落实支付令制度。', '依法落实支付令制度。\t').replace(/\t46\t依法落实支付令制度。\t/, '\t46\t依法落实支付令制度。\t教育局');
    expect(() => parsePlan(bad, registry)).toThrowError(/未知的责任部门「教育局」/);
    expect(() => parsePlan(source.replace('# format: 1', '# format: 2'), registry)).toThrowError(/不支持的格式版本 2/);
  });

  it('a skipped number is reported', () => {
    const skipped = source.replace(/\t47\t/, '\t48\t');
    expect(() => parsePlan(skipped, registry)).toThrowError(/序号应为 47，实际为 48/);
  });
});
