import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPlanCli } from '../../src/cli/plan.js';
import { loadPlanFor, loadPlans } from '../../src/plan/load.js';
import { FIXTURES, PLAN2 } from './helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function plan(dataDir: string, ...args: string[]) {
  let out = '';
  const code = await runPlanCli(args, { env: { DATA_DIR: dataDir }, out: (s) => (out += s) });
  return { code, out };
}

function office() {
  const dir = mkdtempSync(path.join(tmpdir(), 'plans-'));
  dirs.push(dir);
  return dir;
}

describe('npm run plan', () => {
  it('import previews the plan and stores nothing without --yes', async () => {
    const dataDir = office();
    const { code, out } = await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'));
    expect(code).toBe(0);
    expect(out).toContain('45 项任务，5 个部分，9 个小节；牵头单位与配合单位分列');
    expect(out).toContain('  四、创新人才工作体制机制（第40–42项，无小节）');
    expect(out).toContain('市人力资源和社会保障局 → 市人社局；别名：市人力资源和社会保障局、人社局');
    expect(out).toContain('各区、县级市：35 项，牵头 0，配合 35');
    expect(out).toContain('尚未导入');
    expect(existsSync(path.join(dataDir, 'plans'))).toBe(false);
  });

  it('import --yes stores the plan beside the shipped one; list shows both', async () => {
    const dataDir = office();
    expect((await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--yes')).code).toBe(0);
    expect(readdirSync(path.join(dataDir, 'plans', 'p2')).sort()).toEqual(['departments.json', 'plan.json', 'source.docx']);
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'plans', 'p2', 'plan.json'), 'utf8'));
    expect(stored.tasks[1]).toMatchObject({ id: 2, lead: ['市发改委'], support: ['市委组织部', '市人社局', '各区、县级市'] });

    const list = JSON.parse((await plan(dataDir, 'list', '--json')).out);
    expect(list.map((p: { id: string; tasks: number; status: string }) => [p.id, p.tasks, p.status])).toEqual([['default', 61, 'active'], ['p2', 45, 'active']]);
    expect((await plan(dataDir, 'list')).out).toMatch(/^p2\t使用中\t45 项任务\t35 个单位\t关于推进人才集聚工程的实施意见/m);

    const [first, second] = loadPlans(dataDir);
    expect([first.plan.id, second.plan.id]).toEqual(['default', 'p2']);
    // Each plan has its own registry: the first plan's alias 司法局 does not capture the new plan's 市司法局.
    expect(first.registry.resolveExact('司法局')).toEqual(['司法行政']);
    expect(second.registry.resolveExact('司法局')).toEqual(['市司法局']);
    expect(second.plan.tasks[25].actors).toEqual([]);
    expect(loadPlanFor(dataDir, 'p2').plan.title).toBe('关于推进人才集聚工程的实施意见');
  });

  it('the same plan twice is refused; --id replaces it and keeps the old version aside', async () => {
    const dataDir = office();
    await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--yes');
    const again = await plan(dataDir, 'import', path.join(PLAN2, 'plan2.xlsx'), '--yes');
    expect(again.code).toBe(1);
    expect(again.out).toContain('已经导入（编号 p2）；导入修订版请加 --id p2');
    const replaced = await plan(dataDir, 'import', path.join(PLAN2, 'plan2.xlsx'), '--id', 'p2', '--yes');
    expect(replaced.code).toBe(0);
    expect(replaced.out).toContain('替换方案 p2');
    expect(replaced.out).not.toContain('新单位'); // the plan's units are registered already
    expect(readdirSync(path.join(dataDir, 'plans', '.replaced'))).toHaveLength(1);
    expect(readdirSync(path.join(dataDir, 'plans', 'p2'))).toContain('source.xlsx');
  });

  it('--coordinator names the unit whose chat gets the summaries (short name or as printed); an unknown one is a problem', async () => {
    const dataDir = office();
    expect((await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--coordinator', '人社局')).out).toContain('协调单位：市人社局');
    const wrong = await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--coordinator', '市海洋局', '--yes');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('协调单位「市海洋局」不是本方案的单位');
  });

  it('a revised version shows which old task each new one continues: renumbered, reworded, added, removed', async () => {
    const dataDir = office();
    await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--yes');
    const [title, header, ...rows] = readFileSync(path.join(PLAN2, 'source.tsv'), 'utf8').trim().split('\n');
    const cells = rows.map((r) => r.split('\t'));
    cells[9][3] = cells[9][3].replace('择优设立50个', '择优设立60个'); // task 10 reworded
    cells.splice(2, 0, ['', '', '', '新设人才驿站项目。在各区建设一批人才驿站，为来穗人才提供短期住宿和政策咨询服务。', '市人力资源和社会保障局', '各区、县级市']);
    cells.pop(); // task 45 removed
    const revised = [title, header, ...cells.map((c, i) => [String(i + 1), ...c.slice(1)].join('\t'))].join('\n');
    const file = path.join(dataDir, 'revised.tsv');
    writeFileSync(file, revised);
    const { code, out } = await plan(dataDir, 'import', file, '--id', 'p2');
    expect(code).toBe(0);
    expect(out).toContain('与原版本相比：2 项未变，41 项改了序号，1 项改了文字，新增 1 项，删除 1 项');
    expect(out).toContain('第3项 → 第4项、第4项 → 第5项');
    expect(out).toMatch(/改了文字：第10项 → 第11项（9\d% 相同）/);
    expect(out).toContain('  新增：第3项');
    expect(out).toContain('  删除：第45项');
  });

  it('the default plan: the shipped one, a plan.txt the dashboard saved, or a stored plan `default`', async () => {
    const dataDir = office();
    const shipped = readFileSync(path.join(FIXTURES, 'plan1', 'plan.txt'), 'utf8');
    expect(loadPlanFor(dataDir).plan.tasks[0].text).not.toContain('（修订）');
    writeFileSync(path.join(dataDir, 'plan.txt'), shipped.replace('以习近平新时代', '（修订）以习近平新时代'));
    expect(loadPlanFor(dataDir).plan.tasks[0].text).toMatch(/^（修订）/);
    const file = path.join(dataDir, 'revised-plan.txt');
    writeFileSync(file, shipped.replace('以习近平新时代', '（再修订）以习近平新时代'));
    const { code, out } = await plan(dataDir, 'import', file, '--id', 'default', '--yes');
    expect(code, out).toBe(0);
    expect(out).toContain('与原版本相比：60 项未变，0 项改了序号，1 项改了文字');
    expect(loadPlanFor(dataDir).plan.tasks[0].text).toMatch(/^（再修订）/);
    expect(loadPlanFor(dataDir).registry.resolveExact('司法局')).toEqual(['司法行政']);
  });

  it('archive takes a plan out of use (the shipped one too) and activate brings it back', async () => {
    const dataDir = office();
    await plan(dataDir, 'import', path.join(PLAN2, 'plan2-gb18030.csv'), '--yes');
    expect((await plan(dataDir, 'archive', 'default')).code).toBe(0);
    expect(loadPlans(dataDir).map((p) => p.plan.id)).toEqual(['p2']);
    expect(loadPlanFor(dataDir).plan.id).toBe('p2');
    expect((await plan(dataDir, 'list')).out).toMatch(/^default\t已归档\t61 项任务/m);
    await plan(dataDir, 'activate', 'default');
    expect(loadPlans(dataDir).map((p) => p.plan.id)).toEqual(['default', 'p2']);
    await expect(plan(dataDir, 'archive', 'p7')).rejects.toThrow('没有编号为「p7」的方案');
  });

  it('a damaged stored plan is listed as such and left out; the others still load', async () => {
    const dataDir = office();
    await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--yes');
    writeFileSync(path.join(dataDir, 'plans', 'p2', 'plan.json'), '{"format": "duban-plan", "tasks": [');
    expect(loadPlans(dataDir).map((p) => p.plan.id)).toEqual(['default']);
    expect((await plan(dataDir, 'list')).out).toMatch(/^p2\t已损坏\t.*plans\/p2/m);
    expect(() => loadPlanFor(dataDir, 'p2')).toThrow(/方案 p2 的文件已损坏/);
  });

  it('a crash between moving the old version aside and renaming the new one in loses nothing', async () => {
    const dataDir = office();
    await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--yes');
    const plans = path.join(dataDir, 'plans');
    renameSync(path.join(plans, 'p2'), path.join(plans, '.new-p2-0badc0de'));
    expect(loadPlanFor(dataDir, 'p2').plan.tasks).toHaveLength(45);
    expect((await plan(dataDir, 'import', path.join(PLAN2, 'plan2.xlsx'), '--id', 'p2', '--yes')).code).toBe(0);
    expect(readdirSync(plans).filter((n) => n.startsWith('.new-'))).toEqual([]);
    expect(loadPlanFor(dataDir, 'p2').plan.tasks).toHaveLength(45);
  });

  it('a file with problems: all of them printed, exit status 1, nothing stored', async () => {
    const dataDir = office();
    const { code, out } = await plan(dataDir, 'import', path.join(FIXTURES, 'hostile', 'several-errors.csv'), '--yes');
    expect(code).toBe(1);
    expect(out).toContain('发现 5 个问题，未导入');
    expect(out).toContain('第7行 第3列（牵头单位）：为空');
    expect(existsSync(path.join(dataDir, 'plans'))).toBe(false);
    expect((await plan(dataDir, 'import', path.join(FIXTURES, 'hostile', 'empty.csv'))).out).toContain('无法导入：文件是空的');
    expect((await plan(dataDir, 'frobnicate')).code).toBe(2);
  });

  it('npm run ask answers from a plan in DATA_DIR', async () => {
    const dataDir = office();
    await plan(dataDir, 'import', path.join(PLAN2, 'plan2.docx'), '--yes');
    const root = path.resolve(FIXTURES, '../../..');
    const r = spawnSync('npx', ['tsx', 'src/cli/ask.ts', '--plan', 'p2', '--json', '第5项是什么'], { cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir }, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer.tasks[0].id).toBe(5);
    expect(answer.tasks[0].departments).toEqual(['市人社局', '市教育局', '各区、县级市']);
  });
});
