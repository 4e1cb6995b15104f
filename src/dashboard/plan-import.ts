import type { DepartmentRegistry } from '../plan/departments.js';
import { parsePlan, PlanParseError, PLAN_FORMAT_VERSION } from '../plan/parse.js';
import type { Plan } from '../plan/types.js';
import { findHeader } from './ledger.js';
import { ImportError, type Table } from './table.js';

export const PLAN_COLUMNS = ['部分', '小节', '序号', '任务内容', '责任部门'];

export interface PlanImport {
  errors: ImportError[];
  plan?: Plan;
  /** The plan in data/plan.txt format, ready to be saved. */
  text?: string;
}

export interface PlanDiff {
  added: number[];
  removed: number[];
  textChanged: number[];
  departmentsChanged: Array<{ id: number; old: string[]; new: string[] }>;
}

const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ').trim();

/**
 * A new plan from a spreadsheet with the columns 部分, 小节, 序号, 任务内容, 责任部门 (empty cells
 * inherit from the row above, as merged cells do). Parsed with the same parser as data/plan.txt;
 * errors name the spreadsheet row.
 */
export function parsePlanTable(table: Table, registry: DepartmentRegistry, title = ''): PlanImport {
  let header;
  try {
    header = findHeader(table, PLAN_COLUMNS);
  } catch (e) {
    return { errors: [e as ImportError] };
  }
  const lines = [`# format: ${PLAN_FORMAT_VERSION}`, clean(title) || '工作方案'];
  const lineToRow = new Map<number, number>();
  for (const { row, cells } of table.rows.slice(header.index + 1)) {
    const get = (h: string) => clean(cells[header.cols[h]] ?? '');
    const idCell = get('序号');
    // Rows with a full-width or spaced number: keep as typed, the parser names them.
    lines.push(PLAN_COLUMNS.map((h) => (h === '序号' ? idCell : get(h))).join('\t'));
    lineToRow.set(lines.length, row);
  }
  const text = `${lines.join('\n')}\n`;
  try {
    const plan = parsePlan(text, registry);
    return { errors: [], plan, text };
  } catch (e) {
    if (e instanceof PlanParseError) {
      const reason = e.message.replace(/^第\d+行:\s*/, '');
      const row = lineToRow.get(e.line) ?? 0;
      const column = PLAN_COLUMNS.find((c) => reason.includes(c) || (c === '部分' && reason.includes('部分标题')) || (c === '小节' && reason.includes('小节标题'))) ?? '';
      return { errors: [new ImportError(row, column, reason)] };
    }
    return { errors: [new ImportError(0, '', (e as Error).message)] };
  }
}

export function diffPlans(old: Plan, next: Plan): PlanDiff {
  const o = new Map(old.tasks.map((t) => [t.id, t]));
  const n = new Map(next.tasks.map((t) => [t.id, t]));
  const d: PlanDiff = { added: [], removed: [], textChanged: [], departmentsChanged: [] };
  for (const t of next.tasks) {
    const prev = o.get(t.id);
    if (!prev) d.added.push(t.id);
    else {
      if (prev.text !== t.text) d.textChanged.push(t.id);
      if (prev.departments.join('、') !== t.departments.join('、')) d.departmentsChanged.push({ id: t.id, old: prev.departments, new: t.departments });
    }
  }
  for (const t of old.tasks) if (!n.has(t.id)) d.removed.push(t.id);
  return d;
}
