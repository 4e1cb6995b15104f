import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/env.js';
import { parseCookies } from '../../src/dashboard/auth.js';
import { readDashboardConfig, readImportLimits } from '../../src/dashboard/config.js';
import { normalizeDate, weekStart } from '../../src/dashboard/dates.js';
import { esc, html } from '../../src/dashboard/html.js';
import { LEDGER_COLUMNS, ledgerCsv, ledgerRows, ledgerXlsx, validateLedger } from '../../src/dashboard/ledger.js';
import { readTable as readTableIn } from '../../src/dashboard/read-table.js';
import { parseCsv, type Table } from '../../src/dashboard/table.js';
import { parseMultipart } from '../../src/dashboard/multipart.js';
import { computeOverview } from '../../src/dashboard/stats.js';
import type { ProgressRow } from '../../src/state/store.js';
import { plan } from './harness.js';

const loaded = plan();
const allRows = (): ProgressRow[] => loaded.plan.tasks.flatMap((t) => t.departments.map((d) => ({ plan: 'default', taskId: t.id, department: d, status: '未开始' as const })));
const table = (rows: string[][]): Table => ({ rows: rows.map((cells, i) => ({ row: i + 1, cells })) });
const H = [...LEDGER_COLUMNS];
const readTable = (data: Buffer, filename: string) => readTableIn(data, filename, readImportLimits({}));

describe('dates', () => {
  it('normalises the ways people type dates and rejects impossible ones', () => {
    expect(normalizeDate('2026-06-30')).toBe('2026-06-30');
    expect(normalizeDate('2026/6/3')).toBe('2026-06-03');
    expect(normalizeDate('2026.6.3')).toBe('2026-06-03');
    expect(normalizeDate('2026年6月3日')).toBe('2026-06-03');
    expect(normalizeDate('2026-13-01')).toBeUndefined();
    expect(normalizeDate('2026-02-30')).toBeUndefined();
    expect(normalizeDate('下周')).toBeUndefined();
    expect(weekStart('2026-05-20')).toBe('2026-05-18');
    expect(weekStart('2026-05-18')).toBe('2026-05-18');
    expect(weekStart('2026-05-24')).toBe('2026-05-18');
  });
});

describe('ledger export', () => {
  const rows = () => {
    const r = allRows();
    r[0] = { ...r[0], deadline: '2026-05-01', note: '=HYPERLINK("x"), "引号"', updatedAt: '2026-05-19T02:00:00Z' };
    return ledgerRows([loaded], r, '2026-05-20', 'Asia/Shanghai');
  };

  it('has one row per task and department, overdue marked, times in the local zone', () => {
    const r = rows();
    expect(r.length).toBe(loaded.plan.tasks.reduce((n, t) => n + t.departments.length, 0));
    expect(r[0]).toMatchObject({ taskId: 1, section: '一、总体要求', subsection: '(一) 指导思想', overdue: true, updatedAt: '2026-05-19 10:00' });
    expect(r[1].overdue).toBe(false);
  });

  it('writes CSV as UTF-8 with BOM, quoted cells, and defused formulas', () => {
    const csv = ledgerCsv(rows());
    expect(csv.startsWith('\uFEFF方案,序号,部分,小节,任务内容,责任部门,状态,截止日期,最新进展,更新时间\r\n')).toBe(true);
    const back = parseCsv(csv);
    expect(back.rows.length).toBe(rows().length + 1);
    expect(back.rows[1].cells[8]).toBe(`'=HYPERLINK("x"), "引号"`);
  });

  it('writes XLSX with header, frozen panes, widths and highlighted overdue rows; reads back', async () => {
    const buf = await ledgerXlsx(rows());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(5).width).toBeGreaterThan(40);
    expect((ws.getRow(2).getCell(1).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFFD7D7');
    expect((ws.getRow(3).getCell(1).fill as { fgColor?: unknown } | undefined)?.fgColor).toBeUndefined();
    const t = await readTable(buf, 'x.xlsx');
    expect(t.rows[0].cells).toEqual(H);
    expect(t.rows.length).toBe(rows().length + 1);
  });
});

describe('ledger import validation', () => {
  const current = allRows();

  it('names the bad row and column', () => {
    const r = validateLedger(
      table([
        H,
        ['', '1', '', '', '', '人社', '进行中', '2026-06-01', ''],
        ['', '1', '', '', '', '法院', '完成了', '', ''],
        ['', '999', '', '', '', '人社', '', '', ''],
        ['', '5', '', '', '', '人社', '', '2026-13-01', ''],
        ['', '2', '', '', '', '外交部', '', '', ''],
        ['', '1', '', '', '', loaded.registry.get('人社')!.fullName, '', '2026-06-02', ''],
        ['', '', '', '', '', '人社', '', '', ''],
      ]),
      [loaded],
      current,
    );
    expect(r.errors.map(String)).toEqual([
      '第3行 状态列: 「完成了」不是有效状态（应为 未开始、进行中、已完成）',
      '第4行 序号列: 方案中没有第999项任务',
      '第5行 截止日期列: 「2026-13-01」不是有效日期（应为 YYYY-MM-DD，如 2026-06-30）',
      expect.stringMatching(/^第6行 责任部门列: 「外交部」不是第2项的责任部门/),
      '第7行 责任部门列: 第1项 人社 与第2行重复',
      '第8行 序号列: 为空',
    ]);
  });

  it('lists only real changes; empty cells change nothing; Excel serial dates and aliases work', () => {
    const cur = current.map((r) => (r.taskId === 1 && r.department === '人社' ? { ...r, deadline: '2026-06-01', status: '进行中' as const } : r));
    const r = validateLedger(
      table([
        ['督办台账'],
        H,
        ['', '1', '', '', '', '人社', '进行中', '2026-06-01', ''],
        ['', '1', '', '', '', '法院', '', '46204', '已部署'],
        ['', '2', '', '', '', '人社', '已完成', '', ''],
      ]),
      [loaded],
      cur,
    );
    expect(r.errors).toEqual([]);
    expect(r.changes).toEqual([
      { row: 4, plan: 'default', taskId: 1, department: '法院', deadline: { old: '', new: '2026-07-01' }, note: { old: '', new: '已部署' } },
      { row: 5, plan: 'default', taskId: 2, department: '人社', status: { old: '未开始', new: '已完成' } },
    ]);
  });

  it('refuses a sheet without the header', () => {
    const r = validateLedger(table([['a', 'b'], ['1', '人社']]), [loaded], current);
    expect(String(r.errors[0])).toContain('找不到表头');
  });

  it('reads CSV saved by Excel on Chinese Windows (GB18030)', async () => {
    // "序号,责任部门,截止日期\r\n5,人社,2026-13-01" in GBK
    const gbk = Buffer.from('d0f2bac52cd4f0c8ceb2bfc3c52cbdd8d6b9c8d5c6da0d0a352cc8cbc9e72c323032362d31332d3031', 'hex');
    const t = await readTable(gbk, 'ledger.csv');
    expect(t.rows[0].cells).toEqual(['序号', '责任部门', '截止日期']);
    const r = validateLedger(t, [loaded], current);
    expect(r.errors.map(String)).toEqual(['第2行 截止日期列: 「2026-13-01」不是有效日期（应为 YYYY-MM-DD，如 2026-06-30）']);
  });

  it('refuses old .xls and broken xlsx files with a message', async () => {
    await expect(readTable(Buffer.from('x'), 'a.xls')).rejects.toMatchObject({ message: expect.stringContaining('.xls') });
    await expect(readTable(Buffer.from('PK\u0003\u0004broken'), 'a.xlsx')).rejects.toMatchObject({ message: expect.stringContaining('无法读取') });
  });
});

describe('overview statistics', () => {
  it('counts per department, overdue, due within 14 days, and completions per week', () => {
    const rows = allRows();
    rows[0] = { ...rows[0], status: '已完成', deadline: '2026-05-01' };
    rows[1] = { ...rows[1], deadline: '2026-05-01' };
    rows[2] = { ...rows[2], status: '进行中', deadline: '2026-06-03' };
    rows[3] = { ...rows[3], deadline: '2026-06-04' };
    const actor = { channel: 'dashboard' as const, name: 'x' };
    const o = computeOverview({
      rows,
      departments: loaded.registry.names,
      history: [
        { at: '2026-05-19T01:00:00Z', action: 'status', actor, old: { status: '进行中' }, new: { status: '已完成' } },
        { at: '2026-05-12T01:00:00Z', action: 'status', actor, old: { status: '未开始' }, new: { status: '已完成' } },
        { at: '2026-05-19T02:00:00Z', action: 'status', actor, old: { status: '已完成' }, new: { status: '已完成', note: 'x' } },
      ],
      now: new Date('2026-05-20T02:00:00Z'),
      timeZone: 'Asia/Shanghai',
    });
    expect(o.total).toEqual({ tasks: 255, done: 1, doing: 1, todo: 253, overdue: 1 });
    expect(o.dueSoon.map((r) => r.deadline)).toEqual(['2026-06-03']);
    expect(o.weekly.at(-1)).toEqual({ week: '2026-05-18', label: '05-18', count: 1 });
    expect(o.weekly.at(-2)!.count).toBe(1);
    expect(o.departments.reduce((n, d) => n + d.tasks, 0)).toBe(255);
  });
});

describe('auth and config', () => {
  it('reads the configuration and names a bad variable', () => {
    expect(readDashboardConfig({ DASHBOARD_PASSWORD: 'long-enough-1', DASHBOARD_ADMINS: '张三，李四' })).toMatchObject({ generated: false, loopbackOnly: false, admins: ['张三', '李四'] });
    const gen = readDashboardConfig({});
    expect(gen).toMatchObject({ generated: true, loopbackOnly: true });
    expect(gen.password.length).toBeGreaterThanOrEqual(12);
    expect(() => readDashboardConfig({ DASHBOARD_PASSWORD: 'short' })).toThrow(ConfigError);
    expect(() => readDashboardConfig({ DASHBOARD_PASSWORD: 'short' })).toThrow(/DASHBOARD_PASSWORD/);
    expect(() => readDashboardConfig({ DASHBOARD_PASSWORD: 'long-enough-1', DASHBOARD_SESSION_HOURS: '0' })).toThrow(/DASHBOARD_SESSION_HOURS/);
  });

  it('escapes everything interpolated into HTML', () => {
    expect(esc(`<script>"'&\``)).toBe('&lt;script&gt;&quot;&#39;&amp;&#96;');
    expect(html`<p title="${'"x'}">${'<b>'}${html`<i>ok</i>`}</p>`.value).toBe('<p title="&quot;x">&lt;b&gt;<i>ok</i></p>');
    expect(parseCookies('a=1; duban_admin=xyz')).toEqual({ a: '1', duban_admin: 'xyz' });
  });

  it('reads multipart uploads', () => {
    const b = '----X';
    const body = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\ntok\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n序号,责任部门\r\n1,人社\r\n--${b}--\r\n`);
    const m = parseMultipart(body, `multipart/form-data; boundary=${b}`);
    expect(m.fields._csrf).toBe('tok');
    expect(m.files[0].filename).toBe('a.csv');
    expect(m.files[0].data.toString()).toBe('序号,责任部门\r\n1,人社');
  });
});
