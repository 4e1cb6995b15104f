/**
 * Renders the first two pages of a sample weekly 督办通报 to PNG for docs/screenshots/ (not part of the tests):
 *   npx tsx scripts/report-screenshot.ts [out-dir]
 * Builds a plausible week of progress in a temporary DATA_DIR with the loaded plan, generates the .docx through
 * the reminder service, converts it with LibreOffice headless (apt: libreoffice-writer, fonts-noto-cjk) and
 * pdftoppm (apt: poppler-utils). The official fonts (方正小标宋简体, 黑体, 仿宋_GB2312, 楷体_GB2312) are mapped to
 * Noto CJK through a private fontconfig file, as a machine without them would show the document.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPlan } from '../src/plan/load.js';
import { defaultReminderConfig } from '../src/reminders/config.js';
import { createReminderService } from '../src/reminders/service.js';
import { openStore } from '../src/state/store.js';
import type { ProgressStatus } from '../src/state/types.js';

const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
const work = await mkdtemp(path.join(tmpdir(), 'report-shot-'));
let now = new Date('2026-11-20T10:00:00+08:00');
const clock = () => now;
const loaded = loadPlan();
const store = await openStore({ dir: path.join(work, 'data'), loaded, clock, fsync: false, lock: false });

// A deterministic spread of statuses, deadlines and updates (no randomness: the picture is reproducible).
const by = { channel: 'cli' as const, name: '示例' };
let n = 0;
for (const t of loaded.plan.tasks) {
  for (const d of t.departments) {
    n++;
    if (n % 9 === 0) await store.setDeadline(t.id, n % 2 ? '2026-11-30' : '2026-12-04', d, by);
    const status: ProgressStatus | undefined = n % 5 === 0 ? '已完成' : n % 3 === 0 ? '进行中' : undefined;
    if (status) await store.setStatus(t.id, d, status, undefined, by);
  }
}
const names = loaded.registry.names;
await store.setLiaisons(names[2], [{ platform: 'wecom', id: 'zhangsan', kind: 'userid', name: '张三' }], by);
await store.setLiaisons(names[5], [{ platform: 'telegram', id: '2001', kind: 'telegram', name: '李四' }], by);
const week = ['2026-12-07T10:00', '2026-12-08T15:00', '2026-12-09T09:30', '2026-12-10T16:00'];
let k = 0;
for (const t of loaded.plan.tasks.slice(0, 8)) {
  now = new Date(`${week[k % week.length]}:00+08:00`);
  const d = t.departments[k % t.departments.length];
  await store.setStatus(t.id, d, k % 3 === 0 ? '已完成' : '进行中', k % 2 ? '已印发工作方案' : '已召开专题推进会', by);
  k++;
}
now = new Date('2026-12-11T15:40:00+08:00');

const svc = createReminderService({ store, clock, config: defaultReminderConfig(), holidays: { days: {} } });
const built = await svc.buildReport('2026-12-07', '2026-12-11', now);
const docx = path.join(work, 'report.docx');
await writeFile(docx, built.docx);
await store.close();

const fonts = path.join(work, 'fonts.conf');
const map = (from: string, to: string, bold = false) =>
  `<match target="pattern"><test name="family"><string>${from}</string></test><edit name="family" mode="assign" binding="strong"><string>${to}</string></edit>${bold ? '<edit name="weight" mode="assign"><const>bold</const></edit>' : ''}</match>`;
await writeFile(
  fonts,
  `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>` +
    [map('方正小标宋简体', 'Noto Serif CJK SC', true), map('黑体', 'Noto Sans CJK SC', true), map('仿宋_GB2312', 'Noto Serif CJK SC'), map('楷体_GB2312', 'Noto Serif CJK SC'), map('宋体', 'Noto Serif CJK SC')].join('') +
    '</fontconfig>',
);
const env = { ...process.env, FONTCONFIG_FILE: fonts };
execFileSync('soffice', [`-env:UserInstallation=file://${work}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', work, docx], { env, stdio: 'ignore', timeout: 180_000 });
// The first two pages: masthead, figures, the department table and the start of the overdue items.
execFileSync('pdftoppm', ['-png', '-r', '110', '-l', '2', path.join(work, 'report.pdf'), path.join(work, 'page')], { timeout: 60_000 });
const pages = (await readdir(work)).filter((f) => /^page-\d+\.png$/.test(f)).sort();
for (const [i, f] of pages.entries()) await rename(path.join(work, f), path.join(outDir, `weekly-report-p${i + 1}.png`));
console.log(`${pages.length} 页 → ${outDir}/weekly-report-p*.png（${built.fileName}）`);
await rm(work, { recursive: true, force: true });
