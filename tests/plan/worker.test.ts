import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runningWorkers } from '../../src/core/worker.js';
import { readImportLimits } from '../../src/core/import-limits.js';
import { readPlanTable } from '../../src/plan/import/index.js';
import { readPlanTableInWorker } from '../../src/plan/import/read-in-worker.js';
import { xlsxBomb } from '../fakes/xlsx-bomb.js';
import { FIXTURES, PLAN2 } from './helpers.js';

const limits = readImportLimits({});

describe('reading a plan file in a worker thread, within the IMPORT_* limits', () => {
  it('gives the same table as reading it in place, and leaves no worker behind', async () => {
    const file = path.join(PLAN2, 'plan2.docx');
    const bytes = readFileSync(file);
    const inWorker = await readPlanTableInWorker(bytes, file, limits);
    expect(inWorker).toEqual(await readPlanTable(bytes, file));
    expect(runningWorkers()).toBe(0);
  });

  it('refuses a spreadsheet of 200,000 identical rows before building it, naming the limit it passes', async () => {
    const bomb = await xlsxBomb(200_000);
    await expect(readPlanTableInWorker(bomb, 'plan.xlsx', limits)).rejects.toThrow(/疑似压缩炸弹|超过 5,000 行的上限/);
    await expect(readPlanTableInWorker(bomb, 'plan.xlsx', { ...limits, maxUnpackedBytes: 1024 * 1024 })).rejects.toThrow(/解压后超过 1 MB/);
    expect(runningWorkers()).toBe(0);
  });

  it('a broken file and a file over the upload limit get one clear sentence', async () => {
    await expect(readPlanTableInWorker(readFileSync(path.join(FIXTURES, 'hostile', 'not-a-document.docx')), 'x.docx', limits)).rejects.toThrow(/无法读取该 Word 文件/);
    await expect(readPlanTableInWorker(new Uint8Array(2048), 'p.csv', { ...limits, maxUploadBytes: 1024 })).rejects.toThrow(/文件太大/);
  });
});
