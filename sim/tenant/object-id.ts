import { Random } from './random.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** true when value is a 24-hex-digit MongoDB ObjectId, the format of every JumpCloud record id. */
export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}

/**
 * Makes MongoDB-style ObjectIds: 4 bytes of seconds since the epoch, 5 bytes fixed per factory, and a
 * 3-byte counter. Ids made later sort after ids made earlier, as JumpCloud's do, so "sort=_id" is creation
 * order. Deterministic for a given seed and sequence of timestamps.
 */
export class ObjectIdFactory {
  readonly #machine: string;
  #counter: number;

  constructor(seed: number) {
    const random = new Random(seed ^ 0x5eed1d);
    this.#machine = random.hex(10);
    this.#counter = random.int(0x800000);
  }

  /** A new id whose timestamp part is the given time (milliseconds since the epoch). */
  next(atMs: number): string {
    this.#counter = (this.#counter + 1) & 0xffffff;
    const seconds = Math.max(0, Math.floor(atMs / 1000)) >>> 0;
    return seconds.toString(16).padStart(8, '0') + this.#machine + this.#counter.toString(16).padStart(6, '0');
  }
}
