/**
 * Records of one kind keyed by id, in insertion order (which is `_id` order, since ids carry their creation
 * time). `list()` is cached until the next insert or delete, so paging 50,000 records does not copy the
 * map on every request.
 */
export class Collection<T> {
  readonly #byId = new Map<string, T>();
  readonly #idOf: (record: T) => string;
  #list: T[] | null = null;

  constructor(idOf: (record: T) => string) {
    this.#idOf = idOf;
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Adds a record (or replaces the one with the same id, keeping its position). */
  set(record: T): void {
    const id = this.#idOf(record);
    if (!this.#byId.has(id)) this.#list = null;
    else if (this.#list) this.#list = null;
    this.#byId.set(id, record);
  }

  delete(id: string): T | undefined {
    const record = this.#byId.get(id);
    if (record === undefined) return undefined;
    this.#byId.delete(id);
    this.#list = null;
    return record;
  }

  clear(): void {
    this.#byId.clear();
    this.#list = null;
  }

  /** Every record in insertion order. Do not modify the returned array. */
  list(): readonly T[] {
    this.#list ??= [...this.#byId.values()];
    return this.#list;
  }

  /** Finds the first record matching the predicate. */
  find(predicate: (record: T) => boolean): T | undefined {
    for (const record of this.#byId.values()) if (predicate(record)) return record;
    return undefined;
  }
}
