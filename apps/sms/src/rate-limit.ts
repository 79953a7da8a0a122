import { oldestKeys } from './oldest-keys.js';

/** Options of a per-sender token bucket. */
export interface RateLimitOptions {
  /** Messages a sender may send at once. */
  burst: number;
  /** Messages per minute a sender earns back. */
  perMinute: number;
  /** Senders tracked at most (the least recently seen are forgotten first). */
  maxSenders?: number;
  now?: () => number;
}

/** A token bucket per sender: `take` says whether this message may go to the model. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** The least recently seen sender first. */
  private readonly oldest = oldestKeys(this.buckets);
  private readonly maxSenders: number;
  private readonly now: () => number;
  private readonly perMs: number;

  constructor(private readonly options: RateLimitOptions) {
    this.maxSenders = options.maxSenders ?? 100_000;
    this.now = options.now ?? Date.now;
    this.perMs = options.perMinute / 60_000;
  }

  take(sender: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(sender);
    let tokens = this.options.burst;
    if (bucket) {
      tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.at) * this.perMs);
      this.buckets.delete(sender);
    }
    const allowed = tokens >= 1;
    this.buckets.set(sender, { tokens: allowed ? tokens - 1 : tokens, at: now });
    if (this.buckets.size > this.maxSenders) {
      const oldest = this.oldest();
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return allowed;
  }
}
