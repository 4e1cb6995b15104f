import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load.js';
import { answerTaskDetail } from '../../handlers/task-detail.js';
import { answerDepartmentTasks, sharedTasks } from '../../handlers/department-tasks.js';
import { answerSectionTasks } from '../../handlers/section-tasks.js';
import { answerResponsibility } from '../../handlers/responsibility.js';
import { answerHelp, answerOverview, answerUnknown } from '../../handlers/help.js';
import { formatReply, NEARBY_FROM } from '../../handlers/qa-reply.js';
import type { Analysis } from '../../src/nlu/engine.js';
import { departmentLabel, excerpt } from '../../handlers/format.js';

const loaded = loadPlan();

describe('answer formatting, without any chat platform', () => {
  it('task detail shows the place in the plan, the whole text and full department names', () => {
    const r = answerTaskDetail(loaded, 48);
    expect(r.text.split('\n')[0]).toBe('第48项（六、提升服务能力 › (十七)加强调解员队伍建设）');
    expect(r.text).toContain('工商联（工商业联合会）');
    expect(r.tasks).toEqual([{ id: 48, departments: ['人社', '法院', '司法行政', '总工会', '工商联', '企联'], score: 1 }]);
  });

  it('a task number out of range names the range and lists nothing', () => {
    const r = answerTaskDetail(loaded, 0);
    expect(r.text).toContain('编号1–61');
    expect(r.tasks).toEqual([]);
    expect(r.departments).toEqual([]);
  });

  it('a department list holds exactly its tasks, grouped by section with counts', () => {
    // Task 1 names all nine departments, so any set of departments shares at least tasks 1–6.
    expect(sharedTasks(loaded, ['工信', '司法行政', '政法委']).map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6, 42, 53]);
    const r = answerDepartmentTasks(loaded, ['财政']);
    expect(r.tasks.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6, 42, 47, 51, 52, 53, 58]);
    expect(r.text).toContain('【六、提升服务能力】5项');
  });

  it('a missing section names what exists', () => {
    const r = answerSectionTasks(loaded, { kind: 'subsection', index: 25 });
    expect(r.tasks).toEqual([]);
    expect(r.text).toContain('(一)至(二十)小节');
    expect(answerSectionTasks(loaded, { kind: 'section', index: 9 }).text).toContain('一至六部分');
  });

  it('responsibility shows close runners-up as related and quotes the task briefly', () => {
    const r = answerResponsibility(loaded, [
      { id: 48, score: 0.9 },
      { id: 57, score: 0.8 },
      { id: 10, score: 0.2 },
    ]);
    expect(r.text).toContain('相关：第57项');
    expect(r.text).not.toContain('第10项');
    expect(r.departments).toEqual(['人社', '法院', '司法行政', '总工会', '工商联', '企联']);
  });

  it('help, overview and unknown never list tasks or departments', () => {
    for (const r of [answerHelp(loaded), answerOverview(loaded), answerUnknown(loaded, '天气')]) {
      expect(r.tasks).toEqual([]);
      expect(r.departments).toEqual([]);
      expect(r.text).not.toMatch(/[*_#<>`]/);
    }
  });

  it('a question refused narrowly names its two closest tasks, still answering none; one refused plainly gets examples', () => {
    const [a, b, c] = loaded.plan.tasks;
    const refused = (p: number): Analysis => ({
      intent: 'unknown',
      normalized: '那个事找谁',
      departments: [],
      ranked: [a, b, c].map((t, i) => ({ id: t.id, score: 0.3 - i * 0.1 })),
      confidence: 0.3,
      decision: { signals: [], p },
      form: 'who',
      rule: 'unknown: not in the plan',
    });
    const near = formatReply(loaded, refused(NEARBY_FROM), '那个事找谁');
    expect(near.text).toContain(`可能相关的任务（回复“第${a.id}项”可看详情）：`);
    expect(near.text).toContain(`· 第${b.id}项 `);
    expect(near.text).not.toContain(`第${c.id}项`);
    expect(near.tasks).toEqual([]);
    expect(near.departments).toEqual([]);
    const far = formatReply(loaded, refused(NEARBY_FROM / 2), '那个事找谁');
    expect(far.text).toMatch(/可以这样问：\n· /);
    expect(far.text).not.toContain('可能相关');
  });

  it('labels and excerpts', () => {
    expect(departmentLabel(loaded, '总工会')).toBe('总工会（工会组织）');
    expect(departmentLabel(loaded, '人社')).toBe('人社（人力资源社会保障部门）');
    expect(excerpt('一二三四五', 3)).toBe('一二三…');
  });
});

describe('department lists point out where the department is listed first', () => {
  it('总工会 is listed first in tasks 8, 17–20, 23, 29, 33 and 60', () => {
    const r = answerDepartmentTasks(loaded, ['总工会']);
    expect(r.text).toContain('其中列在责任部门首位（通常为牵头）的');
    expect(r.text).toContain('的9项：第8、17–20、23、29、33、60项');
  });
});
