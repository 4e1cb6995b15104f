import { DepartmentRegistry, type DepartmentFile } from '../departments.js';
import type { Plan, Task } from '../types.js';
import { formatProblem, normaliseTable, type PlanDraft, type Problem } from './normalise.js';
import { DEFAULT_READ_LIMITS, TableReadError, type ReadLimits, type SourceTable } from './table.js';
import { readTextTable } from './text.js';
import { proposeDepartments, splitUnits, type AliasClash, type UnitLexicon, type UnitProposal } from './units.js';

export { formatProblem, type Problem } from './normalise.js';
export { TableReadError, type SourceTable } from './table.js';

export type SourceFormat = 'docx' | 'xlsx' | 'text';

/** Which reader a file needs: by its name, else by its bytes (a .docx and a .xlsx are both zip files). */
export function formatOf(bytes: Uint8Array, filename: string): SourceFormat {
  if (/\.docx$/i.test(filename)) return 'docx';
  if (/\.xlsx$/i.test(filename)) return 'xlsx';
  if (/\.(doc|xls|wps|et)$/i.test(filename)) throw new TableReadError('不支持旧版 Office 文件，请另存为 .docx 或 .xlsx');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1 << 20)).toString('latin1');
    if (head.includes('word/')) return 'docx';
    if (head.includes('xl/')) return 'xlsx';
    throw new TableReadError('无法识别的压缩文件（应为 .docx、.xlsx、.csv 或 .txt）');
  }
  return 'text';
}

/** File bytes → the table model. Pure apart from the libraries it calls; safe to run in a worker. */
export async function readPlanTable(bytes: Uint8Array, filename: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<SourceTable> {
  const format = formatOf(bytes, filename);
  // mammoth and exceljs are loaded only for their own formats (a worker reading a CSV starts faster).
  if (format === 'docx') return (await import('./docx.js')).readDocxTable(bytes, limits);
  if (format === 'xlsx') return (await import('./xlsx.js')).readXlsxTable(bytes, limits);
  return readTextTable(bytes, limits);
}

export interface OtherPlan {
  id: string;
  registry: DepartmentRegistry;
}

export interface PlanImport {
  /** The plan as it will be stored; present only when there are no problems. */
  plan?: Plan;
  departments?: DepartmentFile;
  draft: PlanDraft;
  /** Units of this plan not registered before, with their proposed short names and aliases. */
  newUnits: UnitProposal[];
  /** Units registered in another plan under the same full name, whose names are kept. */
  knownUnits: UnitProposal[];
  clashes: AliasClash[];
  /** Everything that stops the import, with row and column. */
  problems: Problem[];
  /** Worth a look, does not stop the import (a task with no units). */
  notes: Problem[];
}

/**
 * The table model → the plan and its departments, or every problem found. `previous` is the registry
 * of the plan being replaced (its units keep their names); `others` are the other plans, whose units
 * of the same full name keep their short names but whose aliases never leak into this plan.
 */
export function buildPlanImport(
  table: SourceTable,
  options: { id: string; title?: string; lexicon: UnitLexicon; previous?: DepartmentRegistry; others?: OtherPlan[]; coordinator?: string },
): PlanImport {
  const isKnown = (name: string) => (options.previous?.resolveExact(name).length ?? 0) > 0 || (options.others ?? []).some((o) => o.registry.resolveExact(name).length > 0);
  const { draft, problems, notes } = normaliseTable(table, (cell) => splitUnits(cell, isKnown, options.lexicon), { title: options.title });
  const printed: string[] = [];
  for (const t of draft.tasks) {
    for (const list of [t.lead, t.support, t.units]) {
      for (const u of list) if (!printed.includes(u)) printed.push(u);
    }
  }
  const proposal = proposeDepartments(printed, {
    previous: options.previous,
    others: (options.others ?? []).map((o) => ({ planId: o.id, registry: o.registry })),
    lexicon: options.lexicon,
    title: draft.title,
  });
  const used = new Set(printed.flatMap((p) => proposal.resolve.get(p) ?? []));
  const result: PlanImport = {
    draft,
    newUnits: proposal.departments.filter((d) => d.isNew),
    knownUnits: proposal.departments.filter((d) => d.knownFrom && used.has(d.name)),
    clashes: proposal.clashes,
    problems,
    notes,
  };
  if (problems.length > 0) return result;

  const canonical = (list: string[]) => [...new Set(list.flatMap((u) => proposal.resolve.get(u) ?? []))];
  const tasks = draft.tasks.map((t) => {
    const lead = canonical(t.lead);
    const support = canonical(t.support).filter((n) => !lead.includes(n));
    return { t, lead, support, departments: draft.leadAndSupport ? [...lead, ...support] : canonical(t.units) };
  });
  const leads = new Map<string, number>();
  // The coordinator: the unit leading most tasks (in a single 责任单位 column, the unit printed first).
  for (const { lead, departments } of tasks) for (const n of lead.length ? lead : departments.slice(0, 1)) leads.set(n, (leads.get(n) ?? 0) + 1);
  const chosen = options.coordinator ? proposal.departments.find((d) => d.name === options.coordinator || d.fullName === options.coordinator || d.aliases.includes(options.coordinator!)) : undefined;
  if (options.coordinator && !chosen) {
    problems.push({ message: `协调单位「${options.coordinator}」不是本方案的单位` });
    return result;
  }
  const coordinator =
    chosen?.name ??
    (options.previous && used.has(options.previous.coordinator) ? options.previous.coordinator : undefined) ??
    [...leads].sort((a, b) => b[1] - a[1])[0]?.[0] ??
    proposal.departments[0]?.name;
  const departments: DepartmentFile = {
    version: 1,
    coordinator,
    departments: proposal.departments.map(({ name, fullName, aliases }) => ({ name, fullName, aliases })),
    groups: options.previous?.groups.filter((g) => g.members.every((m) => proposal.departments.some((d) => d.name === m))),
  };
  if (!coordinator) {
    problems.push({ message: '方案里没有任何单位' });
    return result;
  }
  const registry = new DepartmentRegistry(departments);
  result.departments = departments;
  result.plan = {
    id: options.id,
    title: draft.title,
    formatVersion: 1,
    sections: draft.sections,
    subsections: draft.subsections,
    tasks: tasks.map(({ t, lead, support, departments: all }): Task => ({
      id: t.id,
      section: t.section,
      ...(t.subsection !== undefined ? { subsection: t.subsection } : {}),
      text: t.text,
      departments: all,
      lead: draft.leadAndSupport ? lead : [],
      support: draft.leadAndSupport ? support : [],
      ...(t.deadline ? { deadline: t.deadline } : {}),
      actors: registry.actorsIn(t.text),
    })),
  };
  return result;
}

/** The preview as printed by `npm run plan -- import` (and shown before confirming). */
export function describeImport(result: PlanImport): string {
  const { draft } = result;
  const lines: string[] = [];
  lines.push(`方案：${draft.title || '（无标题）'}`);
  const withSubs = new Set(draft.subsections.map((s) => s.section));
  lines.push(`${draft.tasks.length} 项任务，${draft.sections.length} 个部分，${draft.subsections.length} 个小节${draft.leadAndSupport ? '；牵头单位与配合单位分列' : ''}`);
  for (const s of draft.sections) {
    const ids = draft.tasks.filter((t) => t.section === s.index).map((t) => t.id);
    const range = ids.length ? `第${ids[0]}${ids.length > 1 ? `–${ids.at(-1)}` : ''}项` : '无任务';
    lines.push(`  ${s.no ? `${s.no}、` : ''}${s.title || '（不分部分）'}（${range}${withSubs.has(s.index) ? '' : '，无小节'}）`);
    for (const sub of draft.subsections.filter((x) => x.section === s.index)) {
      lines.push(`    （${sub.no}）${sub.title}：${draft.tasks.filter((t) => t.subsection === sub.index).length} 项`);
    }
  }
  const withDeadline = draft.tasks.filter((t) => t.deadline);
  if (withDeadline.length) lines.push(`完成时限：${withDeadline.length} 项有时限，其中 ${withDeadline.filter((t) => t.deadline?.date).length} 项可换算成日期`);
  if (result.plan && result.departments) {
    const count = (name: string, pick: (t: Task) => string[]) => result.plan!.tasks.filter((t) => pick(t).includes(name)).length;
    lines.push(`单位（${result.departments.departments.length} 个，协调单位：${result.departments.coordinator}）：`);
    for (const d of result.departments.departments) {
      const n = count(d.name, (t) => t.departments);
      if (n === 0) continue;
      const split = draft.leadAndSupport ? `，牵头 ${count(d.name, (t) => t.lead)}，配合 ${count(d.name, (t) => t.support)}` : '';
      lines.push(`  ${d.name}${d.fullName !== d.name ? `（${d.fullName}）` : ''}：${n} 项${split}`);
    }
  }
  if (result.newUnits.length) {
    lines.push(`新单位（${result.newUnits.length} 个，简称与别名由名称推出，导入后可在管理后台修改）：`);
    for (const u of result.newUnits) lines.push(`  ${u.fullName} → ${u.name}${u.aliases.length ? `；别名：${u.aliases.join('、')}` : ''}`);
  }
  if (result.knownUnits.length) lines.push(`沿用其他方案已登记的单位：${result.knownUnits.map((u) => `${u.name}（${u.knownFrom}）`).join('、')}`);
  if (result.clashes.length) {
    lines.push('别名冲突（同一叫法会指向几个单位，已从这些单位的别名中去掉，请确认）：');
    for (const c of result.clashes) lines.push(`  「${c.alias}」：${c.units.join('、')}`);
  }
  for (const n of result.notes) lines.push(`提示：${formatProblem(n)}`);
  if (result.problems.length) {
    lines.push(`发现 ${result.problems.length} 个问题，未导入：`);
    for (const p of result.problems) lines.push(`  ${formatProblem(p)}`);
  }
  return lines.join('\n');
}
