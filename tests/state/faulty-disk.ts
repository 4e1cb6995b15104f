import type { AppendFile, Disk } from '../../src/state/disk.js';
import { realDisk } from '../../src/state/disk.js';

export type Fault = 'ENOSPC' | 'EIO';

const fail = (code: Fault) => Object.assign(new Error(`${code}: injected`), { code });

/**
 * A disk that fails like a real one when told to: `full` makes appends write only half their bytes
 * before ENOSPC (a short write) and whole-file replacements fail; `syncFails` makes fdatasync fail
 * with EIO after the bytes were written; `truncateFails` makes the clean-up after a failed append fail too.
 */
export class FaultyDisk implements Disk {
  full = false;
  syncFails = false;
  truncateFails = false;

  async openAppend(file: string): Promise<AppendFile> {
    const real = await realDisk.openAppend(file);
    return {
      append: async (data) => {
        if (this.full) {
          await real.append(data.subarray(0, Math.floor(data.length / 2)));
          throw fail('ENOSPC');
        }
        await real.append(data);
      },
      sync: async () => {
        if (this.syncFails) throw fail('EIO');
        await real.sync();
      },
      truncate: async (n) => {
        if (this.truncateFails) throw fail('EIO');
        await real.truncate(n);
      },
      size: () => real.size(),
      close: () => real.close(),
    };
  }

  async replaceFile(file: string, text: string, fsync: boolean): Promise<void> {
    if (this.full) throw fail('ENOSPC');
    await realDisk.replaceFile(file, text, fsync);
  }
}
