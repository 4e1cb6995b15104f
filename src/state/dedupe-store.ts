import type { StoreContext } from './store-context.js';
import type { StateData } from './types.js';

/** Keys of messages already handled (platform retries), with their expiry. */
export class DedupeStore {
  private lastPrune = 0;

  constructor(private readonly ctx: StoreContext) {}

  /**
   * Durable dedupe: resolves true the first time a key is seen (after persisting it),
   * false when the key was seen within ttlMs.
   */
  async rememberOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = this.ctx.clock().getTime();
    const known = (data: Readonly<StateData>) => {
      const exp = data.seen[key];
      return exp !== undefined && exp > now;
    };
    if (known(this.ctx.data)) return false;
    // Checked again inside the change: another instance may have seen the key in the meantime.
    return this.ctx.mutate((data) => {
      if (known(data)) return false;
      data.seen[key] = now + ttlMs;
      if (now - this.lastPrune > 60_000) this.pruneSeen(data, now);
      return true;
    }, ['seen']);
  }

  /** Drop expired keys (inside a change). */
  pruneSeen(data: StateData, now: number): void {
    this.lastPrune = now;
    for (const [k, exp] of Object.entries(data.seen)) if (exp <= now) delete data.seen[k];
  }
}
