import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/plan/import/index.js';
import { readDocxTable } from '../../src/plan/import/docx.js';
import { readPlanTable } from '../../src/plan/import/index.js';
import { buildPlanImport } from '../../src/plan/import/index.js';
import { parsePlan } from '../../src/plan/parse.js';
import { importFile, lexicon, PLAN1, PLAN2, plan1 } from './helpers.js';

/** Plan 2's units as printed in the source table: 牵头 and 配合 per task. */
const printed = readFileSync(path.join(PLAN2, 'source.tsv'), 'utf8')
  .split('\n')
  .slice(2)
  .filter(Boolean)
  .map((line) => line.split('\t'));

describe.each([
  ['Word, parts and subsections as heading rows, merged unit cells', 'plan2.docx', 9, true],
  ['Excel, parts and subsections as merged columns', 'plan2.xlsx', 9, true],
  ['CSV in GB18030, no subsections, one 责任单位 column', 'plan2-gb18030.csv', 0, false],
])('the 45-task talent plan from %s', (_layout, file, subsectionCount, apart) => {
  const imported = () => importFile(path.join(PLAN2, file));

  it('loads with no problem: 45 tasks numbered 1–45 in 5 parts, the title from the document', async () => {
    const r = await imported();
    expect(r.problems.map(formatProblem)).toEqual([]);
    const plan = r.plan!;
    expect(plan.title).toBe('关于推进人才集聚工程的实施意见');
    expect(plan.tasks.map((t) => t.id)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(plan.sections.map((s) => `${s.no}、${s.title}`)).toEqual(['一、总体目标', '二、实施六大人才行动计划', '三、构建三大人才开发支撑体系', '四、创新人才工作体制机制', '五、强化组织实施']);
    expect(plan.subsections).toHaveLength(subsectionCount);
    expect(plan.tasks.filter((t) => t.section === 2)).toHaveLength(30);
  });

  it('「各区、县级市」 is one unit (35 tasks); 「各有关区、县级市」 is the same unit', async () => {
    const { plan, departments } = await imported();
    const districts = departments!.departments.find((d) => d.fullName === '各区、县级市')!;
    expect(districts.name).toBe('各区、县级市');
    expect(plan!.tasks.filter((t) => t.departments.includes(districts.name))).toHaveLength(35);
    expect(departments!.departments.some((d) => d.name === '各区' || d.name === '县级市')).toBe(false);
    expect(plan!.tasks[18].departments).toContain('各区、县级市'); // task 19 prints 各有关区、县级市
  });

  it('every task names the units printed for it, lead first', async () => {
    const { plan, departments } = await imported();
    const nameOf = (p: string) => departments!.departments.find((d) => d.fullName === p || d.aliases.includes(p))!.name;
    const split = (cell = '') => cell.split(/[，,]/).flatMap((part) => (part.includes('各区、县级市') || part.includes('区、县级市') ? [part] : part.split('、'))).filter(Boolean);
    for (const [no, , , , lead, support] of printed) {
      const expected = [...new Set([...split(lead), ...split(support)].map(nameOf))];
      expect(plan!.tasks[Number(no) - 1].departments, `task ${no}`).toEqual(expected);
    }
  });

  it(apart ? 'keeps 牵头 and 配合 apart' : 'has no lead/support split (lead = support = [])', async () => {
    const { plan } = await imported();
    const t2 = plan!.tasks[1];
    if (apart) {
      expect(t2.lead).toEqual(['市发改委']);
      expect(t2.support).toEqual(['市委组织部', '市人社局', '各区、县级市']);
      expect(plan!.tasks[28].support).toEqual([]); // task 29: 牵头 only
      const lead = (n: string) => plan!.tasks.filter((t) => t.lead.includes(n)).length;
      const support = (n: string) => plan!.tasks.filter((t) => t.support.includes(n)).length;
      expect([lead('市人社局'), support('市人社局')]).toEqual([11, 15]);
      expect([lead('市委组织部'), support('市委组织部')]).toEqual([13, 5]);
      expect([lead('各区、县级市'), support('各区、县级市')]).toEqual([0, 35]);
    } else {
      expect(plan!.tasks.every((t) => t.lead.length === 0 && t.support.length === 0)).toBe(true);
      expect(t2.departments).toEqual(['市发改委', '市委组织部', '市人社局', '各区、县级市']);
    }
  });

  it('task 1 prints no unit: a note, not a problem', async () => {
    const r = await imported();
    expect(r.plan!.tasks[0].departments).toEqual([]);
    expect(r.notes.map((n) => n.message)).toEqual(['第1项没有列出任何单位']);
  });
});

describe('layouts', () => {
  it('subsection numbers restart per part: 三（一） is its own subsection, after 二（六）', async () => {
    const { plan } = await importFile(path.join(PLAN2, 'plan2.docx'));
    const three = plan!.subsections.filter((s) => s.section === 3);
    expect(three.map((s) => s.no)).toEqual(['一', '二', '三']);
    expect(three.map((s) => s.index)).toEqual([7, 8, 9]);
    expect(plan!.tasks[31].subsection).toBe(7); // task 32: 三（一）人才交流培养体系
    expect(plan!.tasks[39].subsection).toBeUndefined(); // task 40: part 四 has no subsections
  });

  it('the Word fixture really has merged cells, and merged cells are inherited (tasks 11 and 12)', async () => {
    const table = await readDocxTable(readFileSync(path.join(PLAN2, 'plan2.docx')));
    expect(table.rows.some((r) => r.cells.some((c) => c.merged === 'row'))).toBe(true);
    expect(table.rows.some((r) => r.cells.every((c, i) => i === 0 || c.merged === 'col'))).toBe(true); // heading rows
    const { plan } = await importFile(path.join(PLAN2, 'plan2.docx'));
    expect(plan!.tasks[10].lead).toEqual(['市人社局']);
    expect(plan!.tasks[11].lead).toEqual(['市人社局']);
    expect(plan!.tasks[11].support).toEqual(['各区、县级市']);
  });

  it('the title comes from the document (the 附件 label skipped) unless given', async () => {
    const table = await readDocxTable(readFileSync(path.join(PLAN2, 'plan2.docx')));
    expect(table.title).toBe('关于推进人才集聚工程的实施意见');
    const given = await importFile(path.join(PLAN2, 'plan2.xlsx'), { title: '人才集聚工程分工' });
    expect(given.plan!.title).toBe('人才集聚工程分工');
  });

  it('plan.txt (format 1) through the importer gives the same plan as its own parser', async () => {
    const { registry } = plan1();
    const file = path.join(PLAN1, 'plan.txt');
    const r = buildPlanImport(await readPlanTable(readFileSync(file), file), { id: 'default', lexicon, previous: registry });
    expect(r.problems).toEqual([]);
    const expected = parsePlan(readFileSync(file, 'utf8'), registry);
    expect(r.plan!.title).toBe(expected.title);
    expect(r.plan!.sections).toEqual(expected.sections);
    expect(r.plan!.subsections).toEqual(expected.subsections);
    expect(r.plan!.tasks).toEqual(expected.tasks);
    expect(r.newUnits).toEqual([]);
  });

  it('the shipped plan as its Word table (重点任务 spanning 部分|小节|序号|任务内容, merged cells) gives the plan its text copy gives', async () => {
    const file = path.join(PLAN1, 'plan1.docx');
    const table = await readDocxTable(readFileSync(file));
    expect(table.rows[0].cells.map((c) => c.merged ?? '')).toEqual(['', 'col', 'col', 'col', '']);
    expect(table.rows.filter((r) => r.cells[4].merged === 'row').length).toBeGreaterThan(10);
    const { registry } = plan1();
    const r = buildPlanImport(table, { id: 'default', lexicon, previous: registry });
    expect(r.problems).toEqual([]);
    const expected = parsePlan(readFileSync(path.join(PLAN1, 'plan.txt'), 'utf8'), registry);
    expect(r.plan!.subsections).toEqual(expected.subsections);
    expect(r.plan!.tasks).toEqual(expected.tasks);
  });
});
