/**
 * Plan import: time to read each fixture layout into a plan (reader + normaliser + departments), in place and
 * through the worker thread `npm run plan -- import` uses (worker start-up included: under tsx most of it is
 * tsx's loader starting in the worker; compiled, a bare worker starts in about 0.1 s here and a CSV import
 * takes about 0.15 s, a .docx about 1 s, mostly loading mammoth), median of several runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readImportLimits } from '../src/core/import-limits.js';
import { buildPlanImport, readPlanTable } from '../src/plan/import/index.js';
import { readPlanTableInWorker } from '../src/plan/import/read-in-worker.js';
import { loadUnitLexicon } from '../src/plan/import/units.js';

const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../tests/fixtures/plans');
const FILES = ['plan1/plan.txt', 'plan1/plan1.docx', 'plan2/plan2.docx', 'plan2/plan2.xlsx', 'plan2/plan2-gb18030.csv'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(runs: number, f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export async function planImportBench(runs = 7): Promise<string> {
  const lexicon = loadUnitLexicon();
  const limits = readImportLimits({});
  const lines = ['plan import (median of ' + runs + ' runs)        bytes   tasks   in place ms   in worker ms'];
  for (const rel of FILES) {
    const file = path.join(FIXTURES, rel);
    const bytes = readFileSync(file);
    let tasks = 0;
    const inPlace = await time(runs, async () => {
      tasks = buildPlanImport(await readPlanTable(bytes, file), { id: 'bench', lexicon }).draft.tasks.length;
    });
    const inWorker = await time(runs, async () => buildPlanImport(await readPlanTableInWorker(bytes, file, limits), { id: 'bench', lexicon }));
    lines.push(`  ${rel.padEnd(28)} ${String(bytes.length).padStart(7)} ${String(tasks).padStart(7)} ${inPlace.toFixed(1).padStart(13)} ${inWorker.toFixed(1).padStart(14)}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await planImportBench());
