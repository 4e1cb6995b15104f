import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { realDisk, type Disk } from './disk.js';
import { parseStateText } from './file.js';
import { migrate } from './schema.js';

/**
 * Snapshots of the whole state in DATA_DIR/backups: one a day, one before every plan import and bulk
 * change, one before a restore. Named `state-<UTC time>-<reason>.json`; the newest 14 daily ones and
 * the newest 20 others are kept.
 */
export const BACKUP_DIR = 'backups';
const NAME = /^state-(\d{8}T\d{6}(?:\d{3})?Z)-([a-z0-9-]+)\.json$/;

export interface BackupInfo {
  file: string;
  name: string;
  at: Date;
  reason: string;
}

export const backupDir = (dataDir: string) => path.join(dataDir, BACKUP_DIR);

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('.', '');
}

function parseStamp(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(s)!;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +(m[7] ?? 0)));
}

export const reasonSlug = (reason: string) => reason.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'manual';

/** Every backup, newest first. */
export async function listBackups(dataDir: string): Promise<BackupInfo[]> {
  const dir = backupDir(dataDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .flatMap((name) => {
      const m = NAME.exec(name);
      return m ? [{ file: path.join(dir, name), name, at: parseStamp(m[1]), reason: m[2] }] : [];
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.name.localeCompare(a.name));
}

export async function writeBackup(
  dataDir: string,
  text: string,
  reason: string,
  at: Date,
  options: { fsync: boolean; disk?: Disk; keepDaily?: number; keepOther?: number },
): Promise<string> {
  const dir = backupDir(dataDir);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `state-${stamp(at)}-${reasonSlug(reason)}.json`);
  await (options.disk ?? realDisk).replaceFile(file, text, options.fsync);
  await rotateBackups(dataDir, options.keepDaily ?? 14, options.keepOther ?? 20);
  return file;
}

async function rotateBackups(dataDir: string, keepDaily: number, keepOther: number): Promise<void> {
  const all = await listBackups(dataDir);
  const daily = all.filter((b) => b.reason === 'daily');
  const other = all.filter((b) => b.reason !== 'daily');
  for (const b of [...daily.slice(keepDaily), ...other.slice(keepOther)]) await unlink(b.file).catch(() => undefined);
}

/** Whether a file holds a usable state; the reason when it does not. */
export async function checkStateFile(file: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    const text = await readFile(file, 'utf8');
    migrate(parseStateText(text, file), file);
    return { ok: true, text };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** The newest backup that loads. */
export async function newestGoodBackup(dataDir: string): Promise<BackupInfo | undefined> {
  for (const b of await listBackups(dataDir)) if ((await checkStateFile(b.file)).ok) return b;
  return undefined;
}

/** Age of the newest daily backup in ms (Infinity when there is none). */
export async function dailyBackupAge(dataDir: string, now: Date): Promise<number> {
  const newest = (await listBackups(dataDir)).find((b) => b.reason === 'daily');
  return newest ? now.getTime() - newest.at.getTime() : Infinity;
}
