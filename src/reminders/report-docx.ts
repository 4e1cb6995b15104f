/**
 * Lays out a weekly 督办通报 as a Word document in the usual form of such papers: A4, margins after
 * GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), a red masthead with 第N期, headings in
 * 黑体, body in 仿宋_GB2312 三号, tables in 四号/小四, page numbers "— 1 —". Word substitutes fonts the
 * machine lacks (SimHei, FangSong, Noto CJK); the ASCII range uses Times New Roman.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { runInWorker } from '../core/worker.js';
import { percent, type ReportData } from './report.js';
import { shortDate } from './time.js';

const FONTS = {
  title: '方正小标宋简体',
  heading: '黑体',
  body: '仿宋_GB2312',
  kai: '楷体_GB2312',
  song: '宋体',
};
/** Sizes in half-points: 初号 42pt … 小四 12pt. */
const SIZE = { masthead: 80, er: 44, san: 32, si: 28, xiaosi: 24 };
const RED = 'C00000';
/** Ordinals of the plans' parts of a section: （一）（二）… */
const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const TEXT_WIDTH_MM = 210 - 28 - 26;
/** Millimetres to twentieths of a point, rounded (A4 = 11906 × 16838 as Word writes it). */
const mm = (v: number) => Math.round((v * 1440) / 25.4);

function font(eastAsia: string) {
  return { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia, cs: eastAsia };
}

function run(text: string, o: { font?: string; size?: number; bold?: boolean; color?: string; spacing?: number } = {}): TextRun {
  return new TextRun({ text, font: font(o.font ?? FONTS.body), size: o.size ?? SIZE.san, bold: o.bold, color: o.color, characterSpacing: o.spacing });
}

/** A body paragraph: 仿宋 三号, first line indented two characters, fixed 28 pt lines. */
function body(text: string): Paragraph {
  return new Paragraph({ children: [run(text)], indent: { firstLine: 640 }, spacing: { line: 560, lineRule: 'exact' }, alignment: AlignmentType.JUSTIFIED });
}

/** A 黑体 heading kept on the page of what follows it. */
function heading(text: string): Paragraph {
  return new Paragraph({ children: [run(text, { font: FONTS.heading })], keepNext: true, indent: { firstLine: 640 }, spacing: { line: 560, lineRule: 'exact', before: 240 } });
}

function longDate(key: string): string {
  return `${key.slice(0, 4)}年${shortDate(key)}`;
}

function cell(text: string, o: { widthPct: number; header?: boolean; size?: number; align?: 'left' | 'center' }): TableCell {
  return new TableCell({
    width: { size: o.widthPct * 50, type: WidthType.PERCENTAGE },
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: [
      new Paragraph({
        alignment: o.align === 'left' ? AlignmentType.LEFT : AlignmentType.CENTER,
        children: [run(text, { font: o.header ? FONTS.heading : FONTS.body, size: o.size ?? SIZE.si })],
      }),
    ],
  });
}

/** A ruled table; `widths` in percent of the text width, the first row is the header. */
function table(header: string[], rows: string[][], widths: number[], o: { size?: number; leftCols?: number[] } = {}): Table {
  const line = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  return new Table({
    width: { size: mm(TEXT_WIDTH_MM), type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    columnWidths: widths.map((w) => Math.round((mm(TEXT_WIDTH_MM) * w) / 100)),
    borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, { widthPct: widths[i], header: true, size: o.size })) }),
      ...rows.map(
        (r) =>
          new TableRow({
            cantSplit: true,
            children: r.map((v, i) => cell(v, { widthPct: widths[i], size: o.size, align: o.leftCols?.includes(i) ? 'left' : 'center' })),
          }),
      ),
    ],
  });
}

/** The .docx bytes of one issue. */
export async function renderReportDocx(d: ReportData): Promise<Buffer> {
  const t = d.totals;
  const masthead = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 240 },
      children: [run(d.title, { font: FONTS.title, size: SIZE.masthead, color: RED, spacing: 200 })],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(`第${d.number}期`, { font: FONTS.kai })] }),
    new Paragraph({
      // Issuer left, date right, over a red rule (the 版头 of a 简报).
      tabStops: [{ type: 'right', position: mm(TEXT_WIDTH_MM) }],
      border: { bottom: { style: BorderStyle.THICK, size: 18, color: RED, space: 6 } },
      spacing: { after: 480 },
      children: [run(d.issuer, { font: FONTS.kai }), run(`\t${longDate(d.periodEnd)}`, { font: FONTS.kai })],
    }),
  ];
  const title = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: 640, lineRule: 'exact' }, children: [run(`${d.planTitle}落实情况`, { font: FONTS.title, size: SIZE.er })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 560, lineRule: 'exact', after: 240 },
      children: [run(`（${longDate(d.periodStart)}—${shortDate(d.periodEnd)}）`, { font: FONTS.kai })],
    }),
  ];

  const overview = [
    heading('一、总体情况'),
    body(
      `截至${longDate(d.periodEnd)}，方案各项任务按责任部门分解共 ${t.total} 项。其中已完成 ${t.done} 项，进行中 ${t.doing} 项，` +
        `未开始 ${t.notStarted} 项，完成率 ${percent(t.done, t.total)}；超过期限尚未完成 ${t.overdue} 项。本周各部门报送进展 ${d.changes.length + d.changesOmitted} 条。`,
    ),
    table(['任务总数', '已完成', '进行中', '未开始', '逾期', '完成率'], [[t.total, t.done, t.doing, t.notStarted, t.overdue].map(String).concat(percent(t.done, t.total))], [17, 16, 17, 16, 16, 18]),
  ];

  const deptTable = (rows: ReportData['departments'], sum: ReportData['totals']) =>
    table(
      ['部门', '任务数', '已完成', '进行中', '未开始', '逾期', '完成率'],
      [
        ...rows.map((x) => [x.department, x.total, x.done, x.doing, x.notStarted, x.overdue].map(String).concat(percent(x.done, x.total))),
        ['合计', sum.total, sum.done, sum.doing, sum.notStarted, sum.overdue].map(String).concat(percent(sum.done, sum.total)),
      ],
      [19, 13, 13, 13, 13, 12, 17],
    );
  // With several plans: one table per plan, under the plan's short name and title.
  const departments = [
    heading('二、各部门进展'),
    ...(d.plans.length > 1
      ? d.plans.flatMap((p, i) => [body(`（${CN[i] ?? i + 1}）【${p.label}】${p.title}`), deptTable(p.departments, p.totals)])
      : [deptTable(d.departments, t)]),
  ];

  const overdue = [
    heading('三、逾期事项'),
    ...(d.overdue.length === 0
      ? [body('目前没有超过期限尚未完成的任务。')]
      : [
          body(
            `以下 ${d.overdue.length + d.overdueOmitted} 项任务已超过期限尚未完成，请相关部门抓紧办理，并由联络员及时报送进展。` +
              (d.overdueOmitted ? `（列出逾期最久的 ${d.overdue.length} 项，其余可在管理页导出督办台账查看。）` : ''),
          ),
          table(
            ['序号', '部门', '任务', '期限', '逾期', '联络员'],
            d.overdue.map((i, n) => [String(n + 1), i.department, `${i.plan ? `【${i.plan}】` : ''}第${i.taskId}项 ${i.task}`, shortDate(i.deadline), `${i.daysOverdue}天`, i.liaisons.join('、') || '未设']),
            [8, 14, 36, 15, 10, 17],
            { size: SIZE.xiaosi, leftCols: [2] },
          ),
        ]),
  ];

  const changes = [
    heading('四、本周进展变化'),
    ...(d.changes.length === 0
      ? [body('本周没有部门报送进展更新。')]
      : [
          table(
            ['日期', '部门', '任务', '变化', '说明'],
            d.changes.map((c) => [shortDate(c.date), c.department, `${c.plan ? `【${c.plan}】` : ''}第${c.taskId}项`, `${c.from}→${c.to}`, c.note ?? '']),
            [13, 13, 13, 25, 36],
            { size: SIZE.xiaosi, leftCols: [4] },
          ),
          ...(d.changesOmitted ? [body(`另有较早的 ${d.changesOmitted} 条更新未列出，可在管理页导出督办台账查看。`)] : []),
        ]),
  ];

  const doc = new Document({
    creator: d.issuer,
    title: `${d.title}第${d.number}期`,
    styles: { default: { document: { run: { font: font(FONTS.body), size: SIZE.san } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: {
              top: mm(37),
              bottom: mm(35),
              left: mm(28),
              right: mm(26),
              footer: mm(20),
            },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONTS.song), size: SIZE.si }),
                ],
              }),
            ],
          }),
        },
        children: [...masthead, ...title, ...overview, ...departments, ...overdue, ...changes],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * The same, in a worker thread: laying out a large issue takes seconds (about 3 s for 800 table rows), which
 * must not stall chat answers and the state lock's heartbeat.
 */
export async function renderReportInWorker(d: ReportData, bounds = { timeoutMs: 60_000, heapMb: 256 }): Promise<Buffer> {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './report-worker.ts' : './report-worker.js', import.meta.url);
  const outcome = await runInWorker<{ ok: true; bytes: Uint8Array } | { ok: false; cause: string }>(entry, { data: d }, [], bounds);
  if (outcome.kind === 'answer' && outcome.value.ok) return Buffer.from(outcome.value.bytes.buffer, outcome.value.bytes.byteOffset, outcome.value.bytes.byteLength);
  const why = outcome.kind === 'answer' && !outcome.value.ok ? outcome.value.cause : outcome.kind === 'failed' ? outcome.cause : outcome.kind;
  throw new Error(`生成督办通报失败：${why}`);
}
