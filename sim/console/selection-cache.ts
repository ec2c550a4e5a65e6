/**
 * A small least-recently-used cache of filtered and sorted record lists. Keys include the tenant version,
 * so any change makes earlier entries unreachable; paging through 50,000 records then filters and sorts
 * once, not once per page.
 */
export class SelectionCache {
  readonly #entries = new Map<string, readonly unknown[]>();
  readonly #max: number;

  constructor(max = 32) {
    this.#max = max;
  }

  /** The cached list for the key, computing and storing it when missing. */
  get<T>(key: string, compute: () => readonly T[]): readonly T[] {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit as readonly T[];
    }
    const value = compute();
    this.#entries.set(key, value);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}
