import { readFile, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { realDisk, type Disk } from './disk.js';

/** Why a state file cannot be used (start-up names the newest good backup next to it). */
export class DamagedFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`状态文件 ${file} ${reason}，拒绝启动以免覆盖数据`);
  }
}

/** Parse a state file's text; throws DamagedFileError when it is empty or not JSON. */
export function parseStateText(text: string, file: string): unknown {
  if (text.trim() === '') throw new DamagedFileError(file, '是空文件');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DamagedFileError(file, `不是有效的 JSON（${(err as Error).message}）`);
  }
}

/**
 * The full state file (the snapshot the journal is replayed on): read once at start, replaced
 * atomically (temp file + rename, fsynced with its directory) whenever it is rewritten.
 */
export class SnapshotFile {
  /** Physical writes done (for tests and the benchmark). */
  writes = 0;

  constructor(
    readonly file: string,
    private readonly options: { fsync: boolean; disk?: Disk },
  ) {}

  /** The parsed file, or null when there is none. */
  async read(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return parseStateText(text, this.file);
  }

  async write(text: string): Promise<void> {
    await (this.options.disk ?? realDisk).replaceFile(this.file, text, this.options.fsync);
    this.writes++;
  }

  /** Remove temp files a killed process left behind. */
  async cleanTemp(): Promise<void> {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.startsWith(`${base}.`) && name.endsWith('.tmp')) await unlink(path.join(dir, name)).catch(() => undefined);
    }
  }
}
