/**
 * Token buckets per key (a directory, a client address) with bounded memory: at most `maxKeys` buckets
 * are kept, the least recently used is forgotten first (a forgotten key starts again with a full bucket,
 * which only ever errs towards admitting). A bucket holds up to `capacity` tokens and regains
 * `refillPerSecond`; each admitted request (or counted failure) takes one.
 */
export class TokenBuckets {
  /** insertion order = recency order: a touched key is deleted and re-inserted at the end */
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes a token for `key`: 0 when admitted, else the whole seconds to wait (≥ 1) for the next token. */
  take(key: string, now = Date.now()): number {
    const bucket = this.#current(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return this.#wait(bucket);
  }

  /** Seconds until `key` has a token again, without taking one (0 = it has one now). */
  waitFor(key: string, now = Date.now()): number {
    const known = this.#buckets.get(key);
    if (!known) return 0;
    const bucket = this.#current(key, now);
    return bucket.tokens >= 1 ? 0 : this.#wait(bucket);
  }

  #wait(bucket: { tokens: number }): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerSecond));
  }

  /** The key's bucket refilled up to `now`, moved to the most-recent end; evicts the least recent when full. */
  #current(key: string, now: number): { tokens: number; at: number } {
    let bucket = this.#buckets.get(key);
    if (bucket) {
      this.#buckets.delete(key);
      bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.refillPerSecond);
      bucket.at = now;
    } else {
      bucket = { tokens: this.capacity, at: now };
      if (this.#buckets.size >= this.maxKeys) {
        const oldest = this.#buckets.keys().next().value;
        if (oldest !== undefined) this.#buckets.delete(oldest);
      }
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }
}
