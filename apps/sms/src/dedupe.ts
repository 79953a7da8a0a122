import { oldestKeys } from './oldest-keys.js';

/**
 * Remembers the answer given to each MessageSid for a while, so that a request Twilio retries
 * gets the same answer and the model runs once. Bounded: the oldest entries go first, and
 * entries older than `ttlMs` are forgotten.
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; at: number }>();
  private readonly oldest = oldestKeys(this.entries);

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The answer stored or under way for this id. */
  get(id: string): Promise<T> | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.value;
  }

  /** Stores the answer (or the promise of it) for this id. */
  set(id: string, value: Promise<T>): void {
    this.entries.delete(id);
    this.entries.set(id, { value, at: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.oldest();
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
