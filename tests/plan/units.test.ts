import { describe, expect, it } from 'vitest';
import { readDeadline } from '../../src/plan/import/deadline.js';
import { titleFrom } from '../../src/plan/import/headings.js';
import { deriveUnitNames, proposeDepartments, splitUnits } from '../../src/plan/import/units.js';
import { importText, lexicon } from './helpers.js';

const split = (cell: string, known: string[] = []) => splitUnits(cell, (n) => known.includes(n), lexicon);

describe('units listed in a cell', () => {
  it('split on 、，,；; and line breaks, but a division word completes the unit before it', () => {
    expect(split('各有关单位，各区、县级市')).toEqual(['各有关单位', '各区、县级市']);
    expect(split('市委组织部、市人力资源和社会保障局；市财政局\n市教育局')).toEqual(['市委组织部', '市人力资源和社会保障局', '市财政局', '市教育局']);
    expect(split('各县、市、区')).toEqual(['各县、市、区']);
    expect(split('各县（市、区）、各乡镇、街道等')).toEqual(['各县（市、区）', '各乡镇、街道']);
    expect(split('市财政局、市监察局等部门')).toEqual(['市财政局', '市监察局']);
    expect(split('市民政局等有关单位')).toEqual(['市民政局']);
  });

  it('a division word may carry its level\'s organ when the list opened with 各; a named bureau stays a unit of its own', () => {
    expect(split('市民政局，各区、县级市政府')).toEqual(['市民政局', '各区、县级市政府']);
    expect(split('各有关区、县级市政府')).toEqual(['各有关区、县级市政府']);
    expect(split('各县、市党委和政府')).toEqual(['各县、市党委和政府']);
    expect(split('各区、市财政局')).toEqual(['各区', '市财政局']);
    expect(split('越秀区、市政府')).toEqual(['越秀区', '市政府']);
  });

  it('a registered unit is never glued to the next piece', () => {
    expect(split('越秀区、区', ['越秀区'])).toEqual(['越秀区', '区']);
  });
});

describe('short names and aliases of a new unit', () => {
  it.each([
    ['市人力资源和社会保障局', '市人社局', ['人社局']],
    ['中共广州市委组织部', '市委组织部', ['组织部']],
    ['市发展改革委', '市发改委', ['发改委']],
    ['广州市卫生健康委员会', '市卫健委', ['卫健委']],
    ['市委政法委', '市委政法委', ['政法委']],
    ['团市委', '团市委', []],
    ['广州市市场监督管理局', '市市场监管局', ['市场监管局']],
    ['市场监督管理局', '市场监管局', []],
    ['黄埔区人民政府', '黄埔区政府', ['黄埔区']],
    ['天河区政府', '天河区政府', ['天河区']],
    ['市政务办', '市政务办', ['政务办']],
    ['市政法委', '市政法委', ['政法委']],
    ['市政园林局', '市政园林局', []],
    ['广州开发区管委会', '广州开发区管委会', ['开发区管委会', '开发区']],
    ['广东省人力资源和社会保障厅', '省人社厅', ['人社厅']],
    ['市委办公厅', '市委办', []],
    ['市政协办公厅', '市政协办', ['政协办公厅', '政协办']],
    // the national level as the others: 国家发展改革委 is also 发改委, 国务院扶贫办 扶贫办
    ['国家发展改革委', '国家发改委', ['发改委', '发展改革委']],
    ['国务院扶贫办', '国务院扶贫办', ['扶贫办']],
  ])('%s → %s', (printed, name, someAliases) => {
    const d = deriveUnitNames(printed, lexicon);
    expect(d.name).toBe(name);
    expect(d.aliases).toEqual(expect.arrayContaining(someAliases));
    if (printed !== name) expect(d.aliases).toContain(printed);
  });

  it('a general office is never named without its level: 办公厅 alone is any of them', () => {
    for (const printed of ['市委办公厅', '市政府办公厅', '市人大常委会办公厅']) {
      expect(deriveUnitNames(printed, lexicon).aliases.filter((a) => /^办公[厅室]$|^办$/.test(a)), printed).toEqual([]);
    }
  });

  it('a unit printed in its short form is also known by its formal name, and the other way round', () => {
    expect(deriveUnitNames('市发展改革委', lexicon).aliases).toEqual(expect.arrayContaining(['市发展和改革委员会', '发展和改革委员会']));
    expect(deriveUnitNames('市科协', lexicon).aliases).toEqual(expect.arrayContaining(['科学技术协会']));
    expect(deriveUnitNames('市人力资源和社会保障局', lexicon).aliases).toEqual(expect.arrayContaining(['人力资源社会保障局']));
    expect(deriveUnitNames('市环保局', lexicon).aliases).toEqual(expect.arrayContaining(['环境保护局']));
    expect(deriveUnitNames('市食品药品监督管理局', lexicon).name).toBe('市食品药品监管局');
    // a bank's branch is called as its parts are (人行 = 人民银行, 中支 = 中心支行), the bank itself by its printed name
    expect(deriveUnitNames('人行济源市中心支行', lexicon).aliases).toEqual(expect.arrayContaining(['人民银行济源市中支', '人行济源市中心支行']));
    expect(deriveUnitNames('人民银行', lexicon)).toMatchObject({ name: '人民银行', aliases: expect.arrayContaining(['人行', '中国人民银行']) });
    // a short word inside a longer one (工商 in 工商联) is not written out on its own
    expect(deriveUnitNames('市工商联', lexicon).aliases.filter((a) => a.includes('行政管理'))).toEqual([]);
    // a 委 inside a longer word (常委会) is not written out; the one that ends the name is
    const nested = deriveUnitNames('市人大常委会法工委', lexicon).aliases;
    expect(nested.filter((a) => a.includes('常委员会会'))).toEqual([]);
    expect(nested).toContain('人大常委会法工委员会');
  });

  it('an alias that would mean two units is reported and left out of both', () => {
    const p = proposeDepartments(['市委组织部', '区委组织部', '市教育局'], { lexicon });
    expect(p.clashes).toEqual([{ alias: '组织部', units: ['市委组织部', '区委组织部'] }]);
    expect(p.departments.flatMap((d) => d.aliases)).not.toContain('组织部');
    expect(p.departments.find((d) => d.name === '市教育局')!.aliases).toEqual(['教育局']);
  });

  it('the same unit of two cities is two units, each keeping its city', () => {
    const p = proposeDepartments(['广州市人力资源和社会保障局', '深圳市人力资源和社会保障局'], { lexicon });
    expect(p.departments.map((d) => d.name)).toEqual(['广州市人社局', '深圳市人社局']);
  });

  it('a list that prints its level once, on its first unit, names the units of that level', () => {
    // 示范区交通运输局、住房和城乡建设局: the second is the 示范区's, as the plan prints it elsewhere
    const printed = ['示范区交通运输局', '住房和城乡建设局', '示范区住房和城乡建设局', '示范区财政金融局', '财政金融局', '公安局'];
    const p = proposeDepartments(printed, { lexicon });
    expect(p.departments.map((d) => d.name)).toEqual(['示范区交通局', '示范区住建局', '示范区财政金融局', '公安局']);
    expect(p.resolve.get('住房和城乡建设局')).toEqual(['示范区住建局']);
    expect(p.resolve.get('财政金融局')).toEqual(['示范区财政金融局']);
    // its full name keeps the level; said without it, as people do, it is still that unit
    const housing = p.departments.find((d) => d.name === '示范区住建局')!;
    expect(housing.fullName).toBe('示范区住房和城乡建设局');
    expect(housing.aliases).toEqual(expect.arrayContaining(['住建局', '住房和城乡建设局']));
    // (a level that reads as a place before 市: 示范区市场监督管理局 is the 示范区's 市场监督管理局, not a place's 场监督管理局)
    const market = proposeDepartments([...printed, '示范区市场监督管理局', '市场监督管理局'], { lexicon });
    expect(market.resolve.get('市场监督管理局')).toEqual(['示范区市场监管局']);
    expect(market.resolve.get('示范区市场监督管理局')).toEqual(['示范区市场监管局']);
    // (a unit printed only without the level is left as printed: nothing says it is the 示范区's)
    expect(p.resolve.get('公安局')).toEqual(['公安局']);
  });

  it('units that open with the plan’s place, as its title does, are also called without it (济源海关 → 海关)', () => {
    const title = '济源产城融合示范区管理委员会关于印发提振市场信心政策措施的通知';
    const p = proposeDepartments(['济源海关', '济源供电公司', '示范区财政金融局'], { lexicon, title });
    expect(p.departments.find((d) => d.name === '济源海关')!.aliases).toContain('海关');
    expect(p.departments.find((d) => d.name === '济源供电公司')!.aliases).toContain('供电公司');
    // (one unit opening with the title's words is no evidence of a place)
    expect(proposeDepartments(['济源海关', '示范区财政金融局'], { lexicon, title }).departments.find((d) => d.name === '济源海关')!.aliases).not.toContain('海关');
    // (a level is no place, and what is left must name the unit: not 办公厅 of 国务院办公厅)
    const state = proposeDepartments(['国务院办公厅', '国务院扶贫办'], { lexicon, title: '国务院办公厅关于进一步加大激励支持力度的通知' });
    expect(state.departments.flatMap((d) => d.aliases)).not.toContain('办公厅');
  });

  it('a city printed on every unit is a place, dropped as such (not a level of the plan)', () => {
    const p = proposeDepartments(['广州市发展改革委', '广州市财政局', '广州市人力资源和社会保障局'], { lexicon });
    expect(p.departments.map((d) => d.name)).toEqual(['市发改委', '市财政局', '市人社局']);
  });

  it('a prefix on fewer than three units is no level of the plan', () => {
    const p = proposeDepartments(['高新区管委会', '高新区财政局', '财政局'], { lexicon });
    expect(p.departments.map((d) => d.name)).toContain('财政局');
  });

  it('the same unit printed two ways is one unit', () => {
    const p = proposeDepartments(['中共广州市委组织部', '市委组织部'], { lexicon });
    expect(p.departments.map((d) => d.name)).toEqual(['市委组织部']);
    expect(p.resolve.get('市委组织部')).toEqual(['市委组织部']);
  });
});

describe('完成时限', () => {
  it.each([
    ['2026年6月底前', '2026-06-30'],
    ['2025年12月31日前', '2025-12-31'],
    ['2026年上半年', '2026-06-30'],
    ['2025年第三季度', '2025-09-30'],
    ['2026年底前', '2026-12-31'],
    ['2024—2026年', '2026-12-31'],
    ['2025年启动，2027年2月底前完成', '2027-02-28'],
  ])('「%s」 → %s', (text, date) => {
    expect(readDeadline(text)).toEqual({ text, date });
  });

  it.each(['长期坚持', '每年', '持续推进'])('「%s」 is kept as text', (text) => {
    expect(readDeadline(text)).toEqual({ text });
  });

  it('a 完成时限 column gives each task its deadline (in a CSV an empty cell is a merged one: same as above)', async () => {
    const r = await importText('标题\n序号,具体措施,责任单位,完成时限\n1,甲,市教育局,2026年6月底前\n2,乙,市教育局,长期坚持\n3,丙,市教育局,\n');
    expect(r.problems).toEqual([]);
    expect(r.plan!.tasks.map((t) => t.deadline)).toEqual([{ text: '2026年6月底前', date: '2026-06-30' }, { text: '长期坚持' }, { text: '长期坚持' }]);
  });
});

describe('the title before the table', () => {
  it('skips the 附件 label and joins a title printed on two lines', () => {
    expect(titleFrom(['附件2', '关于推进人才集聚工程的实施意见'])).toBe('关于推进人才集聚工程的实施意见');
    expect(titleFrom(['贯彻落实《关于加强某项工作的意见》', '重点任务分工方案', '（2026年3月）'])).toBe('贯彻落实《关于加强某项工作的意见》重点任务分工方案');
    expect(titleFrom(['关于推进人才集聚工程的实施意见', '为深入实施人才强市战略，现提出如下意见。'])).toBe('关于推进人才集聚工程的实施意见');
  });

  it('a plan without parts is one part without a name', async () => {
    const r = await importText('某某方案\n工作任务,责任部门\n1. 甲任务,市教育局\n2. 乙任务,市财政局、市教育局\n');
    expect(r.problems).toEqual([]);
    expect(r.plan!.sections).toEqual([{ no: '', index: 1, title: '' }]);
    expect(r.plan!.tasks.map((t) => [t.id, t.text, t.departments])).toEqual([[1, '甲任务', ['市教育局']], [2, '乙任务', ['市财政局', '市教育局']]]);
  });
});

describe('headings numbered in the 序号 column', () => {
  it('「一」|「总体要求」 and 「（一）」|「指导思想」 rows are a part and a subsection', async () => {
    const r = await importText('某某方案\n序号,重点任务,牵头单位,配合单位\n一,总体要求,,\n（一）,指导思想,,\n1,甲,市教育局,市财政局\n二,保障措施,,\n2,乙,市财政局,\n');
    expect(r.problems).toEqual([]);
    expect(r.plan!.sections.map((s) => [s.no, s.title])).toEqual([['一', '总体要求'], ['二', '保障措施']]);
    expect(r.plan!.subsections.map((s) => [s.no, s.title, s.section])).toEqual([['一', '指导思想', 1]]);
    expect(r.plan!.tasks.map((t) => [t.id, t.section, t.subsection ?? null])).toEqual([[1, 1, 1], [2, 2, null]]);
  });
});
