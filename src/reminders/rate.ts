/**
 * Token bucket sized so that no window of `windowMs` ever carries more than `perWindow` sends:
 * capacity c = ⌈perWindow/4⌉ (a small burst) and refill (perWindow − c) per window.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly capacity: number;
  private readonly ratePerMs: number;

  constructor(
    perWindow: number,
    windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    const n = Math.max(1, Math.floor(perWindow));
    this.capacity = Math.max(1, Math.ceil(n / 4));
    this.ratePerMs = Math.max(n - this.capacity, n === 1 ? 1 : 0) / windowMs || 1 / windowMs;
    this.tokens = this.capacity;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.ratePerMs);
    this.last = t;
  }

  /** Take a token if there is one; otherwise return the ms until the next one. */
  take(): { ok: true } | { ok: false; waitMs: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: Math.ceil((1 - this.tokens) / this.ratePerMs) };
  }
}
