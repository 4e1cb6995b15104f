import { toChineseNumber } from '../../core/chinese-numerals.js';
import type { Deadline, Section, Subsection } from '../types.js';
import { readDeadline } from './deadline.js';
import { readHeading } from './headings.js';
import { oddUnit } from './units.js';
import type { ColumnRole, SourceRow, SourceTable } from './table.js';

/** One thing wrong in the source, with where it is; all of them are reported at once. */
export interface Problem {
  row?: number;
  column?: number;
  columnName?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = [p.row ? `第${p.row}行` : '', p.column ? `第${p.column}列${p.columnName ? `（${p.columnName}）` : ''}` : ''].filter(Boolean).join(' ');
  return where ? `${where}：${p.message}` : p.message;
}

/** A task as read from the table: units still as printed. */
export interface DraftTask {
  id: number;
  row: number;
  section: number;
  subsection?: number;
  text: string;
  lead: string[];
  support: string[];
  /** A single 责任单位 column (no 牵头/配合 split). */
  units: string[];
  deadline?: Deadline;
}

export interface PlanDraft {
  title: string;
  sections: Section[];
  subsections: Subsection[];
  tasks: DraftTask[];
  /** The table prints 牵头 and 配合 units in columns of their own. */
  leadAndSupport: boolean;
  /** The header row the columns were recognised from, as role → column name. */
  columns: Partial<Record<ColumnRole, string>>;
}

const ROLE_NAMES: Record<ColumnRole, string> = {
  no: '序号', task: '重点任务', lead: '牵头单位', support: '配合单位', units: '责任单位', deadline: '完成时限', part: '部分', subsection: '小节', other: '',
};

/** A header cell's role: the usual wordings of 分工方案 tables. */
function roleOfHeader(text: string): ColumnRole | undefined {
  const t = text.replace(/[\s*＊:：]/g, '');
  if (!t) return undefined;
  if (/^(序号|编号|序|号)$/.test(t)) return 'no';
  if (/牵头/.test(t)) return 'lead';
  if (/配合|参与|协办|协助/.test(t)) return 'support';
  if (/责任(单位|部门|主体)|承办|主责/.test(t)) return 'units';
  if (/时限|时间|进度|期限/.test(t)) return 'deadline';
  if (/小节|分项|子项/.test(t)) return 'subsection';
  if (/^(部分|板块|类别|领域|方面)/.test(t)) return 'part';
  if (/任务|措施|内容|事项|工作/.test(t)) return 'task';
  return undefined;
}

const toNumber = (s: string): number | undefined => {
  const t = s.normalize('NFKC').replace(/\s/g, '').replace(/^[(（]?(\d+)[)）]?[.、．]?$/, '$1');
  return /^\d+$/.test(t) ? Number(t) : undefined;
};

interface Columns {
  roles: ColumnRole[];
  /** Index in table.rows of the first data row. */
  firstData: number;
  headerRow?: number;
}

/** Find the header row (or take the format's fixed roles) and give every column a role. */
function findColumns(table: SourceTable, problems: Problem[]): Columns | undefined {
  if (table.roles) {
    const firstData = table.rows.findIndex((r) => r.cells.filter((c) => c.text).length > 1);
    return { roles: table.roles, firstData: Math.max(0, firstData) };
  }
  for (let i = 0; i < Math.min(table.rows.length, 12); i++) {
    const cells = table.rows[i].cells;
    const roles: Array<ColumnRole | undefined> = cells.map((c) => (c.merged === 'row' ? undefined : roleOfHeader(c.text)));
    if (!roles.includes('task') || roles.filter(Boolean).length < 2) continue;
    // Two-row header: 责任单位 over 牵头 | 配合.
    const next = table.rows[i + 1]?.cells ?? [];
    const below = next.map((c) => roleOfHeader(c.text));
    let firstData = i + 1;
    if (below.some((r) => r === 'lead' || r === 'support') && !next.some((c) => toNumber(c.text) !== undefined)) {
      below.forEach((r, k) => {
        if (r === 'lead' || r === 'support') roles[k] = r;
      });
      firstData = i + 2;
    }
    // A header cell spanning columns (重点任务 over 部分 | 小节 | 序号 | 任务内容): the longest column keeps the
    // role, the others are told by their content.
    const data = table.rows.slice(firstData);
    const avgLength = (k: number) => data.reduce((n, r) => n + (r.cells[k]?.text.length ?? 0), 0) / Math.max(1, data.length);
    const spans = new Map<number, number[]>();
    let master = -1;
    cells.forEach((c, k) => {
      if (c.merged !== 'col') master = k;
      if (master >= 0 && c.text && roles[master]) spans.set(master, [...(spans.get(master) ?? []), k]);
    });
    const final: ColumnRole[] = roles.map((r) => r ?? 'other');
    for (const [m, cols] of spans) {
      if (cols.length < 2) continue;
      const keep = cols.reduce((a, b) => (avgLength(b) > avgLength(a) ? b : a));
      for (const k of cols) final[k] = k === keep ? roles[m]! : 'other';
    }
    final.forEach((r, k) => {
      if (r === 'other') final[k] = roleByContent(data, k) ?? 'other';
    });
    return { roles: final, firstData, headerRow: table.rows[i].row };
  }
  problems.push({
    row: table.rows[0]?.row,
    message: '找不到表头：应有一行列名，至少含「重点任务」（或 任务内容/工作任务/具体措施）和「牵头单位」「配合单位」或「责任单位」',
  });
  return undefined;
}

function roleByContent(rows: SourceRow[], k: number): ColumnRole | undefined {
  const texts = rows.map((r) => r.cells[k]?.text ?? '').filter(Boolean);
  if (texts.length === 0) return undefined;
  const share = (test: (t: string) => boolean) => texts.filter(test).length / texts.length;
  if (share((t) => toNumber(t) !== undefined) > 0.8) return 'no';
  if (share((t) => readHeading(t)?.kind === 'part') > 0.8) return 'part';
  if (share((t) => readHeading(t)?.kind === 'subsection') > 0.8) return 'subsection';
  return undefined;
}

/**
 * The table model → a plan draft: parts and subsections (columns or heading rows inside the table,
 * numbering that restarts per part, parts without subsections), tasks with their units as printed,
 * deadlines. Every problem is collected; the draft is only usable when there are none.
 */
export function normaliseTable(table: SourceTable, splitUnits: (cell: string) => string[], options: { title?: string } = {}): { draft: PlanDraft; problems: Problem[]; notes: Problem[] } {
  const problems: Problem[] = [];
  const notes: Problem[] = [];
  const sections: Section[] = [];
  const subsections: Subsection[] = [];
  const tasks: DraftTask[] = [];
  const draft: PlanDraft = { title: '', sections, subsections, tasks, leadAndSupport: false, columns: {} };
  if (table.rows.length === 0) {
    problems.push({ message: '表格是空的' });
    return { draft, problems, notes };
  }
  const columns = findColumns(table, problems);
  const before = columns ? table.rows.slice(0, columns.firstData) : table.rows.slice(0, 1);
  const titleRow = before.find((r) => new Set(r.cells.map((c) => c.text).filter(Boolean)).size === 1);
  draft.title = (options.title ?? table.title ?? titleRow?.cells.find((c) => c.text)?.text ?? '').replace(/\s+/g, ' ').trim();
  if (!columns) return { draft, problems, notes };
  if (!draft.title) problems.push({ message: '找不到方案标题（文件中表格前没有标题行，请用 --title 指定）' });

  const { roles } = columns;
  const col = (role: ColumnRole) => roles.indexOf(role);
  for (const r of ['no', 'task', 'lead', 'support', 'units', 'deadline', 'part', 'subsection'] as ColumnRole[]) {
    if (col(r) >= 0) draft.columns[r] = ROLE_NAMES[r];
  }
  draft.leadAndSupport = col('lead') >= 0;
  if (col('lead') < 0 && col('units') < 0) {
    problems.push({ row: columns.headerRow, message: '表头里没有「牵头单位」「配合单位」或「责任单位」列' });
  }
  const problem = (row: SourceRow, role: ColumnRole, message: string) =>
    problems.push({ row: row.row, column: col(role) + 1, columnName: ROLE_NAMES[role], message });
  const cell = (row: SourceRow, role: ColumnRole) => (col(role) >= 0 ? (row.cells[col(role)] ?? { text: '' }) : { text: '' });

  let section: Section | undefined;
  let subsection: Subsection | undefined;
  let expected = 1;
  let previous: DraftTask | undefined;
  const headerTexts = new Set(columns.headerRow ? table.rows.find((r) => r.row === columns.headerRow)!.cells.map((c) => c.text).filter(Boolean) : ['重点任务']);

  const enterPart = (text: string, row: SourceRow, at: ColumnRole | undefined) => {
    const h = readHeading(text);
    if (h && h.kind !== 'part') return false;
    const index = h?.index ?? (section?.index ?? 0) + 1;
    const found = sections.find((s) => s.index === index);
    if (found && found === section) return true; // the part's name repeated on a new page
    if (found) {
      if (at) problem(row, at, `部分「${text}」重复出现`);
      else problems.push({ row: row.row, message: `部分「${text}」重复出现` });
      return true;
    }
    section = { no: h?.no ?? toChineseNumber(index), index, title: h?.title ?? text };
    sections.push(section);
    subsection = undefined;
    return true;
  };
  const enterSubsection = (text: string) => {
    const h = readHeading(text);
    if (h && h.kind !== 'subsection') return false;
    if (!section) {
      section = { no: '', index: 1, title: '' };
      sections.push(section);
    }
    const sameKey = (s: Subsection) => s.section === section!.index && (h ? s.no === h.no : s.title === text);
    const found = subsections.find(sameKey);
    if (found) {
      subsection = found;
      return true;
    }
    subsection = { no: h?.no ?? toChineseNumber(subsections.filter((s) => s.section === section!.index).length + 1), index: subsections.length + 1, title: h?.title ?? text, section: section.index };
    subsections.push(subsection);
    return true;
  };

  for (const row of table.rows.slice(columns.firstData)) {
    const texts = [...new Set(row.cells.map((c) => c.text).filter(Boolean))];
    if (texts.length === 0) continue;
    if (texts.every((t) => headerTexts.has(t) || roleOfHeader(t) !== undefined) && toNumber(cell(row, 'no').text) === undefined && texts.some((t) => headerTexts.has(t))) continue; // header repeated on a new page
    const noText = cell(row, 'no').text;
    // A heading row inside the table: one text (one cell, or merged across the row) and no task number.
    if (texts.length === 1 && toNumber(noText) === undefined && !(col('no') < 0 && cell(row, 'task').text && !readHeading(texts[0]))) {
      const h = readHeading(texts[0]);
      if (h?.kind === 'part') enterPart(texts[0], row, undefined);
      else if (h?.kind === 'subsection') enterSubsection(texts[0]);
      else problems.push({ row: row.row, message: `无法识别的行「${texts[0].slice(0, 20)}」：既不是任务（没有序号），也不是「一、」「（一）」式的标题` });
      continue;
    }
    // A heading numbered in the 序号 column: 「一」|「总体要求」, 「（一）」|「指导思想」, no units.
    const taskText = cell(row, 'task').text;
    const numbered = /^[一二三四五六七八九十百]+[、.．]?$/.test(noText) ? `${noText.replace(/[、.．]$/, '')}、${taskText}` : /^[（(][一二三四五六七八九十百]+[）)]$/.test(noText) ? `${noText}${taskText}` : undefined;
    if (numbered && taskText && texts.length === 2) {
      const h = readHeading(numbered);
      if (h?.kind === 'part') enterPart(numbered, row, undefined);
      else enterSubsection(numbered);
      continue;
    }

    const partCell = cell(row, 'part');
    if (partCell.text && partCell.merged !== 'row' && !enterPart(partCell.text, row, 'part')) problem(row, 'part', `无法识别的部分标题「${partCell.text}」（应如「一、总体要求」）`);
    const subCell = cell(row, 'subsection');
    if (subCell.text && subCell.merged !== 'row' && !enterSubsection(subCell.text)) problem(row, 'subsection', `无法识别的小节标题「${subCell.text}」（应如「（一）指导思想」）`);

    let text = cell(row, 'task').text.replace(/\s*\n\s*/g, '');
    let id: number | undefined;
    if (col('no') >= 0) {
      id = toNumber(noText);
      if (!noText) problem(row, 'no', '序号为空');
      else if (id === undefined) problem(row, 'no', `序号「${noText}」不是数字`);
    } else {
      const lead = /^(\d+)\s*[.、．]\s*/.exec(text.normalize('NFKC'));
      id = lead ? Number(lead[1]) : expected;
      if (lead) text = text.normalize('NFKC').slice(lead[0].length);
    }
    if (id !== undefined && id !== expected) problem(row, 'no', `序号应为 ${expected}，实际为 ${id}`);
    if (!text) problem(row, 'task', '任务内容为空');
    if (!section) {
      if (sections.length === 0 && col('part') < 0 && !table.rows.some((r) => readHeading(r.cells.find((c) => c.text)?.text ?? '')?.kind === 'part')) {
        section = { no: '', index: 1, title: '' };
        sections.push(section);
      } else problems.push({ row: row.row, message: '第一条任务之前缺少部分标题（如「一、总体要求」）' });
    }

    const units = (role: ColumnRole) => {
      const c = cell(row, role);
      const list = c.text ? splitUnits(c.text) : [];
      for (const u of list) {
        const odd = oddUnit(u);
        if (odd) problem(row, role, odd);
      }
      return { list: list.filter((u) => !oddUnit(u)), empty: !c.text };
    };
    const lead = units('lead');
    const support = units('support');
    const single = units('units');
    let task: DraftTask = {
      id: id ?? expected,
      row: row.row,
      section: section?.index ?? 0,
      subsection: subsection?.index,
      text,
      lead: lead.list,
      support: support.list,
      units: single.list,
    };
    // Units left empty on every unit column: the cells were merged with the row above.
    if (previous && lead.empty && support.empty && single.empty) {
      task = { ...task, lead: [...previous.lead], support: [...previous.support], units: [...previous.units] };
    }
    if (draft.leadAndSupport && task.lead.length === 0 && task.support.length > 0) problem(row, 'lead', '为空（有配合单位，却没有牵头单位）');
    if (task.lead.length + task.support.length + task.units.length === 0) notes.push({ row: row.row, message: `第${task.id}项没有列出任何单位` });
    const deadlineCell = cell(row, 'deadline');
    const deadlineText = deadlineCell.text || (table.emptyMeansMerged && previous?.section === task.section ? (previous?.deadline?.text ?? '') : '');
    task.deadline = readDeadline(deadlineText);
    tasks.push(task);
    previous = task;
    expected = (id ?? expected) + 1;
  }
  if (columns && tasks.length === 0 && problems.length === 0) problems.push({ message: '没有找到任何任务（表头下面没有带序号的行）' });
  return { draft, problems, notes };
}
