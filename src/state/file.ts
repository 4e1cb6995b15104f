import { open, readFile, rename, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that writes atomically (unique temp file + rename), optionally fsyncs the
 * file and its directory, and coalesces concurrent writes (every write carries the whole state,
 * so the newest data satisfies all waiters). One process only: the caller holds the lock.
 */
export class DurableJSONFile<T> implements Adapter<T> {
  private pending: { data: T; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | null = null;
  private writing = false;
  private counter = 0;
  /** Physical writes done (for tests and the benchmark). */
  writes = 0;

  constructor(
    readonly file: string,
    private readonly options: { fsync?: boolean } = {},
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (text.trim() === '') throw new Error(`状态文件 ${this.file} 是空文件，拒绝启动以免覆盖数据（请从备份恢复或删除该文件）`);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`状态文件 ${this.file} 不是有效的 JSON（${(err as Error).message}），拒绝启动（请从备份恢复）`);
    }
  }

  write(data: T): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.pending) this.pending = { data, waiters: [] };
      this.pending.data = data;
      this.pending.waiters.push({ resolve, reject });
      if (!this.writing) void this.pump();
    });
  }

  /** Remove temp files a killed process left behind. */
  async cleanTemp(): Promise<void> {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.startsWith(`${base}.`) && name.endsWith('.tmp')) await unlink(path.join(dir, name)).catch(() => undefined);
    }
  }

  private async pump(): Promise<void> {
    this.writing = true;
    while (this.pending) {
      const batch = this.pending;
      this.pending = null;
      try {
        await this.writeNow(JSON.stringify(batch.data));
        for (const w of batch.waiters) w.resolve();
      } catch (err) {
        for (const w of batch.waiters) w.reject(err);
      }
    }
    this.writing = false;
  }

  private async writeNow(text: string): Promise<void> {
    const tmp = `${this.file}.${process.pid}.${++this.counter}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      if (this.options.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    this.writes++;
    if (this.options.fsync) {
      const dh = await open(path.dirname(this.file), 'r');
      try {
        await dh.sync();
      } catch {
        // Some file systems refuse fsync on directories; the rename is still atomic.
      } finally {
        await dh.close();
      }
    }
  }
}
