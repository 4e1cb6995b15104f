/**
 * The 督办台账 of two plans: one 方案 column names each row's plan; a sheet filled in without it is read as the
 * plan whose task has that unit, and a row that fits both plans is refused until the column says which.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlan } from '../../src/plan/load.js';
import { planShortName } from '../../src/plan/names.js';
import { LEDGER_COLUMNS, ledgerCsv, ledgerRows, validateLedger } from '../../src/dashboard/ledger.js';
import { parseCsv, type Table } from '../../src/dashboard/table.js';
import type { ProgressRow } from '../../src/state/store.js';
import { plan1, sharedUnitPlan } from '../plan/helpers.js';

let plans: LoadedPlan[];
let current: ProgressRow[];
const table = (rows: string[][]): Table => ({ rows: rows.map((cells, i) => ({ row: i + 1, cells })) });
const short = (l: LoadedPlan) => planShortName(l.plan.title);

beforeAll(async () => {
  plans = [plan1(), await sharedUnitPlan()];
  current = plans.flatMap((l) => l.plan.tasks.flatMap((t) => t.departments.map((d) => ({ plan: l.plan.id, taskId: t.id, department: d, status: '未开始' as const }))));
});

describe('the 督办台账 of two plans', () => {
  it('exports every plan’s rows, the 方案 column naming each plan by its short name', () => {
    const rows = ledgerRows(plans, current, '2026-12-07', 'Asia/Shanghai');
    expect(rows).toHaveLength(current.length);
    const csv = parseCsv(ledgerCsv(rows));
    expect(csv.rows[0].cells).toEqual([...LEDGER_COLUMNS]);
    const second = csv.rows.filter((r) => r.cells[0] === short(plans[1]));
    expect(second.map((r) => `${r.cells[1]} ${r.cells[5]}`)).toEqual(plans[1].plan.tasks.flatMap((t) => t.departments.map((d) => `${t.id} ${d}`)));
    expect(second.slice(0, 2).map((r) => r.cells[5])).toEqual(['司法行政', '法院']);
    expect(csv.rows[1].cells[0]).toBe(short(plans[0]));
  });

  it('imports each row into its plan: by the 方案 column, or without it by the only plan whose task has the unit', () => {
    const [a, b] = plans;
    // Task 7 of plan 1 without 财政 among its units, so 「7 财政」 can only be the second plan's.
    expect(a.plan.tasks.find((t) => t.id === 7)!.departments).not.toContain('财政');
    expect(b.plan.tasks.find((t) => t.id === 7)!.departments).toEqual(['财政']);
    const both = a.plan.tasks.find((t) => t.id === 1)!.departments.includes('法院');
    const r = validateLedger(
      table([
        [...LEDGER_COLUMNS],
        [short(b), '1', '', '', '', '法院', '已完成', '', '已建立'],
        ['', '7', '', '', '', '财政', '进行中', '', ''],
        [short(a), '1', '', '', '', a.plan.tasks[0].departments[0], '', '2026-12-31', ''],
        ['', '1', '', '', '', '法院', '进行中', '', ''],
        ['别的方案', '1', '', '', '', '法院', '进行中', '', ''],
      ]),
      plans,
      current,
    );
    expect(r.changes.map((c) => `${c.plan} ${c.taskId} ${c.department}`)).toEqual(['p3 1 法院', 'p3 7 财政', `default 1 ${a.plan.tasks[0].departments[0]}`]);
    const errors = r.errors.map(String);
    if (both) expect(errors).toContain(`第5行 方案列: 第1项 法院 在【${short(a)}】【${short(b)}】都有，请在「方案」列写明`);
    expect(errors.at(-1)).toMatch(/^第6行 方案列: 「别的方案」不是有效的方案/);
  });
});
