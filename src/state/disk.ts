import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * The few file operations the state needs, behind one small interface so the fault-injection tests
 * can make them fail the way a full or broken disk does (ENOSPC, EIO, a short write). Production uses
 * `realDisk`.
 */
export interface AppendFile {
  /** Append bytes at the end (the file is opened O_APPEND). May fail after writing only part of them. */
  append(data: Buffer): Promise<void>;
  /** fdatasync. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface Disk {
  openAppend(file: string): Promise<AppendFile>;
  /** Replace `file` atomically with `text` (unique temp file + rename); the temp file never outlives a failure. */
  replaceFile(file: string, text: string, fsync: boolean): Promise<void>;
}

class RealAppendFile implements AppendFile {
  constructor(private readonly fh: FileHandle) {}
  async append(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) off += (await this.fh.write(data, off, data.length - off)).bytesWritten;
  }
  sync(): Promise<void> {
    return this.fh.datasync();
  }
  truncate(length: number): Promise<void> {
    return this.fh.truncate(length);
  }
  async size(): Promise<number> {
    return (await this.fh.stat()).size;
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

let counter = 0;

export const realDisk: Disk = {
  async openAppend(file) {
    return new RealAppendFile(await open(file, 'a'));
  },
  async replaceFile(file, text, fsync) {
    const tmp = `${file}.${process.pid}.${++counter}.tmp`;
    try {
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(text, 'utf8');
        if (fsync) await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (err) {
      // A half-written temp file on a full disk would keep it full.
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    if (fsync) await syncDir(path.dirname(file));
  },
};

export async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    await dh.close();
  }
}
