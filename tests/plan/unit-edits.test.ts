/** An administrator corrects a new unit's short name or aliases in the preview before the plan is stored. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyUnitEdits, type PreparedImport } from '../../src/plan/import/prepare.js';
import { importFile, PLAN2 } from './helpers.js';

async function prepared(): Promise<PreparedImport> {
  const result = await importFile(path.join(PLAN2, 'plan2.docx'));
  return { id: 'p2', result, preview: [], problems: [] };
}

describe('correcting new units before storing', () => {
  it('renames a unit everywhere the plan names it', async () => {
    const p = await prepared();
    const unit = p.result.departments!.departments.find((d) => d.fullName === '市人力资源和社会保障局')!;
    const before = p.result.plan!.tasks.filter((t) => t.departments.includes(unit.name)).map((t) => t.id);
    const leads = p.result.plan!.tasks.filter((t) => t.lead.includes(unit.name)).map((t) => t.id);
    expect(applyUnitEdits(p, [{ fullName: unit.fullName, name: '人社局', aliases: ['人力社保局', '市人社局'] }])).toEqual([]);
    const renamed = p.result.departments!.departments.find((d) => d.fullName === '市人力资源和社会保障局')!;
    expect(renamed).toMatchObject({ name: '人社局', aliases: ['人力社保局', '市人社局'] });
    expect(p.result.plan!.tasks.filter((t) => t.departments.includes('人社局')).map((t) => t.id)).toEqual(before);
    expect(p.result.plan!.tasks.filter((t) => t.lead.includes('人社局')).map((t) => t.id)).toEqual(leads);
    expect(p.result.plan!.tasks.some((t) => t.departments.includes(unit.name))).toBe(false);
  });

  it('refuses a name another unit already has, and changes nothing', async () => {
    const p = await prepared();
    const [a, b] = p.result.departments!.departments.filter((d) => !/、/.test(d.name));
    const plan = p.result.plan;
    const problems = applyUnitEdits(p, [{ fullName: a.fullName, name: b.name, aliases: [] }]);
    expect(problems).toEqual([expect.stringContaining(`「${b.name}」同时指向`)]);
    expect(p.result.plan).toBe(plan);
    expect(applyUnitEdits(p, [{ fullName: a.fullName, name: '有，逗号', aliases: [] }])[0]).toContain('无效');
  });
});
