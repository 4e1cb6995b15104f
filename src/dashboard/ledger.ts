import type ExcelJS from 'exceljs';

/** exceljs is large (~25 MB resident): load it on the first export or import, not at start-up. */
async function workbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  return new excel.Workbook();
}
import type { LoadedPlan } from '../plan/load.js';
import { planShortName } from '../plan/names.js';
import type { Task } from '../plan/types.js';
import { STATUSES, type ProgressRow, type ProgressStatus } from '../state/store.js';
import { excelSerialToDate, localTime, normalizeDate } from './dates.js';
import { partLabel } from '../plan/sections.js';
import { ImportError, type Table } from './table.js';

/** One row of the 督办台账: a task of one plan and one responsible department. */
export interface LedgerRow {
  /** The plan's short name (its 方案 column); `planId` its id. */
  plan: string;
  planId: string;
  taskId: number;
  section: string;
  subsection: string;
  text: string;
  department: string;
  status: ProgressStatus;
  deadline: string;
  note: string;
  updatedAt: string;
  overdue: boolean;
}

export const LEDGER_COLUMNS = ['方案', '序号', '部分', '小节', '任务内容', '责任部门', '状态', '截止日期', '最新进展', '更新时间'] as const;
const WIDTHS = [14, 6, 16, 22, 60, 10, 8, 12, 36, 17];

/** How the 方案 column names a plan: its short name, else its title, else its id. */
export const planColumn = (l: LoadedPlan) => planShortName(l.plan.title) || l.plan.title || l.plan.id;

export function sectionLabel(loaded: LoadedPlan, t: Task): string {
  const s = loaded.plan.sections.find((x) => x.index === t.section);
  return s ? partLabel(s) : '';
}

export function subsectionLabel(loaded: LoadedPlan, t: Task): string {
  const s = loaded.plan.subsections.find((x) => x.index === t.subsection);
  return s ? `(${s.no}) ${s.title}` : '';
}

/** Ledger rows in plan order from the store's progress rows (of any of the plans); overdue = deadline before today and not done. */
export function ledgerRows(plans: readonly LoadedPlan[], rows: ProgressRow[], today: string, timeZone: string): LedgerRow[] {
  const byPlan = new Map(plans.map((l) => [l.plan.id, { loaded: l, name: planColumn(l), tasks: new Map(l.plan.tasks.map((t) => [t.id, t])) }]));
  const secCache = new Map<string, [string, string]>();
  return rows.flatMap((r) => {
    const p = byPlan.get(r.plan);
    const t = p?.tasks.get(r.taskId);
    if (!p || !t) return [];
    let labels = secCache.get(`${r.plan}:${t.id}`);
    if (!labels) {
      labels = [sectionLabel(p.loaded, t), subsectionLabel(p.loaded, t)];
      secCache.set(`${r.plan}:${t.id}`, labels);
    }
    return {
      plan: p.name,
      planId: r.plan,
      taskId: r.taskId,
      section: labels[0],
      subsection: labels[1],
      text: t.text,
      department: r.department,
      status: r.status,
      deadline: r.deadline ?? '',
      note: r.note ?? '',
      updatedAt: localTime(r.updatedAt, timeZone),
      overdue: !!r.deadline && r.deadline < today && r.status !== '已完成',
    };
  });
}

function cells(r: LedgerRow): Array<string | number> {
  return [r.plan, r.taskId, r.section, r.subsection, r.text, r.department, r.status, r.deadline, r.note, r.updatedAt];
}

/** The ledger as an .xlsx workbook: header row, frozen panes, column widths, overdue rows highlighted. */
export async function ledgerXlsx(rows: LedgerRow[], title = '督办台账'): Promise<Buffer> {
  const wb = await workbook();
  wb.creator = '督办助手';
  const ws = wb.addWorksheet(title.slice(0, 31), { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  ws.columns = LEDGER_COLUMNS.map((h, i) => ({ header: h, key: h, width: WIDTHS[i], style: { alignment: { vertical: 'top', wrapText: true } } }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center' };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE6F0' } };
  for (const r of rows) {
    const row = ws.addRow(cells(r));
    if (r.overdue) {
      row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFD7D7' } };
      row.getCell(8).font = { color: { argb: 'FFC00000' }, bold: true };
    }
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_COLUMNS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csvCell(v: string | number): string {
  const s = String(v);
  // A leading = + - @ would be a formula in Excel: prefix with an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The ledger as CSV, UTF-8 with BOM (so Excel opens it as UTF-8), CRLF line ends. */
export function ledgerCsv(rows: LedgerRow[]): string {
  const lines = [LEDGER_COLUMNS.join(','), ...rows.map((r) => cells(r).map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// ------------------------------------------------------------------ reading spreadsheets (table.ts)

/** Locate the header row: the first row holding all the required column names. */
export function findHeader(table: Table, required: string[], optional: string[] = []): { index: number; cols: Record<string, number> } {
  for (let i = 0; i < Math.min(table.rows.length, 10); i++) {
    const cells = table.rows[i].cells.map((c) => c.replace(/\s+/g, ''));
    if (required.every((h) => cells.includes(h))) {
      const cols: Record<string, number> = {};
      for (const h of [...required, ...optional]) {
        const at = cells.indexOf(h);
        if (at >= 0) cols[h] = at;
      }
      return { index: i, cols };
    }
  }
  throw new ImportError(table.rows[0]?.row ?? 1, '', `找不到表头：第一行应包含 ${required.join('、')} 这些列`);
}

// ------------------------------------------------------------------ ledger import

export interface LedgerChange {
  row: number;
  /** The plan's id (a preview stored before ledgers had plans has none: the default plan). */
  plan: string;
  taskId: number;
  department: string;
  deadline?: { old: string; new: string };
  status?: { old: ProgressStatus; new: ProgressStatus };
  note?: { old: string; new: string };
}

export interface LedgerImport {
  errors: ImportError[];
  changes: LedgerChange[];
  /** Data rows read (excluding the header). */
  rowsRead: number;
}

/** A 方案 cell: a plan's short name, title or id. */
function planNamed(plans: readonly LoadedPlan[], text: string): LoadedPlan | undefined {
  const t = text.replace(/\s+/g, '');
  return plans.find((l) => l.plan.id === t || planColumn(l) === t || l.plan.title.replace(/\s+/g, '') === t);
}

/**
 * Compare a filled-in ledger with the current state. Empty 状态/截止日期/最新进展 cells mean "no change";
 * clearing a deadline is done on the task page. A row's plan is its 方案 cell; without one (a ledger of
 * before, or a hand-made sheet) the only plan whose task of that number has that unit. Nothing is applied here.
 */
export function validateLedger(table: Table, plans: readonly LoadedPlan[], current: ProgressRow[]): LedgerImport {
  const errors: ImportError[] = [];
  let header;
  try {
    header = findHeader(table, ['序号', '责任部门'], ['方案', '状态', '截止日期', '最新进展']);
  } catch (e) {
    return { errors: [e as ImportError], changes: [], rowsRead: 0 };
  }
  const { cols } = header;
  if (cols['状态'] === undefined && cols['截止日期'] === undefined && cols['最新进展'] === undefined) {
    errors.push(new ImportError(table.rows[header.index].row, '', '表头里没有 状态、截止日期 或 最新进展 列，没有可导入的内容'));
  }
  const cur = new Map(current.map((r) => [`${r.plan}:${r.taskId}|${r.department}`, r]));
  const seen = new Map<string, number>();
  const changes: LedgerChange[] = [];
  const data = table.rows.slice(header.index + 1);
  for (const { row, cells } of data) {
    const get = (h: string) => (cols[h] === undefined ? '' : (cells[cols[h]] ?? '').trim());
    const idText = get('序号');
    if (!/^\d+$/.test(idText)) {
      errors.push(new ImportError(row, '序号', idText ? `「${idText}」不是任务序号` : '为空'));
      continue;
    }
    const planText = get('方案');
    const named = planText ? planNamed(plans, planText) : undefined;
    if (planText && !named) {
      errors.push(new ImportError(row, '方案', `「${planText}」不是有效的方案（应为 ${plans.map(planColumn).join('、')} 之一）`));
      continue;
    }
    const deptText = get('责任部门');
    const id = Number(idText);
    /** The unit as this plan names it, if the plan's task has it. */
    const unitIn = (l: LoadedPlan) => {
      const resolved = l.registry.resolveExact(deptText);
      const task = l.plan.tasks.find((t) => t.id === id);
      return resolved.length === 1 && task?.departments.includes(resolved[0]) ? { loaded: l, task, dept: resolved[0] } : undefined;
    };
    const having = named ? [named] : plans.filter((l) => l.plan.tasks.some((t) => t.id === id));
    if (!having.length) {
      errors.push(new ImportError(row, '序号', `方案中没有第${idText}项任务`));
      continue;
    }
    const fits = having.flatMap((l) => unitIn(l) ?? []);
    if (fits.length > 1) {
      errors.push(new ImportError(row, '方案', `第${id}项 ${deptText} 在${fits.map((f) => `【${planColumn(f.loaded)}】`).join('')}都有，请在「方案」列写明`));
      continue;
    }
    if (!fits.length) {
      const task = having[0].plan.tasks.find((t) => t.id === id)!;
      errors.push(new ImportError(row, '责任部门', deptText ? `「${deptText}」不是第${id}项的责任部门（应为 ${task.departments.join('、')} 之一）` : '为空'));
      continue;
    }
    const { loaded, task, dept } = fits[0];
    const planId = loaded.plan.id;
    const where = plans.length > 1 ? `【${planColumn(loaded)}】` : '';
    const key = `${planId}:${task.id}|${dept}`;
    if (seen.has(key)) {
      errors.push(new ImportError(row, '责任部门', `${where}第${task.id}项 ${dept} 与第${seen.get(key)}行重复`));
      continue;
    }
    seen.set(key, row);
    const c = cur.get(key);
    const change: LedgerChange = { row, plan: planId, taskId: task.id, department: dept };
    const statusText = get('状态');
    if (statusText) {
      if (!STATUSES.includes(statusText as ProgressStatus)) {
        errors.push(new ImportError(row, '状态', `「${statusText}」不是有效状态（应为 ${STATUSES.join('、')}）`));
      } else if (statusText !== (c?.status ?? '未开始')) {
        change.status = { old: c?.status ?? '未开始', new: statusText as ProgressStatus };
      }
    }
    const dateText = get('截止日期');
    if (dateText) {
      const asSerial = /^\d{5}(\.\d+)?$/.test(dateText) ? excelSerialToDate(Number(dateText)) : undefined;
      const date = asSerial ?? normalizeDate(dateText);
      if (!date) errors.push(new ImportError(row, '截止日期', `「${dateText}」不是有效日期（应为 YYYY-MM-DD，如 2026-06-30）`));
      else if (date !== (c?.deadline ?? '')) change.deadline = { old: c?.deadline ?? '', new: date };
    }
    const noteText = get('最新进展');
    if (noteText && noteText !== (c?.note ?? '')) {
      if (noteText.length > 1000) errors.push(new ImportError(row, '最新进展', `超过 1000 字（${noteText.length} 字）`));
      else change.note = { old: c?.note ?? '', new: noteText };
    }
    if (change.deadline || change.status || change.note) changes.push(change);
  }
  if (data.length === 0) errors.push(new ImportError(0, '', '表中没有数据行'));
  return { errors, changes, rowsRead: data.length };
}
