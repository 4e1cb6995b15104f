import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, readPlanTable } from '../../src/plan/import/index.js';
import { tableFromHtml } from '../../src/plan/import/docx.js';
import { FIXTURES, importFile, importText } from './helpers.js';

const HOSTILE = path.join(FIXTURES, 'hostile');

describe('a plan file with mistakes', () => {
  it('reports every problem at once, each with its row and column, and yields no plan', async () => {
    const r = await importFile(path.join(HOSTILE, 'several-errors.csv'));
    expect(r.problems.map(formatProblem)).toEqual([
      '第5行 第1列（序号）：序号「2x」不是数字',
      '第6行 第2列（重点任务）：任务内容为空',
      '第7行 第3列（牵头单位）：为空（有配合单位，却没有牵头单位）',
      '第8行 第1列（序号）：序号应为 5，实际为 6',
      '第8行 第4列（配合单位）：「市委组织部。负责统筹」含有标点，不像单位名称',
    ]);
    expect(r.plan).toBeUndefined();
  });

  it('an empty file, a file without the usual headers and a broken Word file get one clear sentence each', async () => {
    await expect(readPlanTable(readFileSync(path.join(HOSTILE, 'empty.csv')), 'empty.csv')).rejects.toThrow('文件是空的');
    const wrong = await importFile(path.join(HOSTILE, 'wrong-headers.csv'));
    expect(wrong.problems.map(formatProblem)).toEqual([expect.stringMatching(/^第1行：找不到表头/)]);
    await expect(readPlanTable(readFileSync(path.join(HOSTILE, 'not-a-document.docx')), 'x.docx')).rejects.toThrow(/无法读取该 Word 文件/);
    expect(() => tableFromHtml('<p>只有一段文字</p>')).toThrow(/没有表格/);
    await expect(readPlanTable(new Uint8Array([1, 2]), 'old.xls')).rejects.toThrow(/旧版 Office/);
  });

  it('a row that is neither a task nor a heading is named, and a missing title is asked for', async () => {
    const r = await importText('序号,重点任务,责任单位\n1,任务一,市教育局\n说明：以上任务按季度报送\n2,任务二,市教育局\n');
    expect(r.problems.map(formatProblem)).toEqual([
      '找不到方案标题（文件中表格前没有标题行，请用 --title 指定）',
      '第3行：无法识别的行「说明：以上任务按季度报送」：既不是任务（没有序号），也不是「一、」「（一）」式的标题',
    ]);
  });

  it('limits: too many rows, too large a file', async () => {
    const many = ['标题', '序号,重点任务,责任单位', ...Array.from({ length: 5001 }, (_, i) => `${i + 1},任务,市教育局`)].join('\n');
    await expect(readPlanTable(new TextEncoder().encode(many), 'big.csv')).rejects.toThrow(/超过 5000 行/);
    await expect(readPlanTable(new Uint8Array(11 * 1024 * 1024).fill(65), 'big.csv')).rejects.toThrow(/文件太大/);
  });
});
