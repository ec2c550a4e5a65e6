import type { ActivityRecord } from '../store/repositories/directory-activity.js';
import type { Store } from '../store/store.js';

export type DirectoryActivity = ActivityRecord;

const MAX_MESSAGE = 500;

function emptyActivity(): ActivityRecord {
  return { lastRequestAt: null, lastSuccessAt: null, requestCount: 0, errorCount: 0, lastError: null };
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** Adds `delta` to `base` the way the store does (counts add, the later timestamp and error win). */
function merge(base: ActivityRecord, delta: ActivityRecord): ActivityRecord {
  const newerError = delta.lastError !== null && (base.lastError === null || delta.lastError.at >= base.lastError.at);
  return {
    lastRequestAt: later(base.lastRequestAt, delta.lastRequestAt),
    lastSuccessAt: later(base.lastSuccessAt, delta.lastSuccessAt),
    requestCount: base.requestCount + delta.requestCount,
    errorCount: base.errorCount + delta.errorCount,
    lastError: newerError ? delta.lastError : base.lastError,
  };
}

/**
 * SCIM activity per directory (issue 5, item 1: last request, last success, error counts). Requests are
 * counted in memory — a Map update, no database write per request — and the deltas are flushed at most
 * every few seconds (Gatehouse.startMaintenance) and on close. Reads merge the stored row with this
 * node's unflushed delta, so a node always shows its own requests at once; other nodes' requests appear
 * after their next flush.
 *
 * Counted: every SCIM request that authenticated with the directory's token (a request with a bad token
 * cannot be attributed to a directory safely and is not counted). An error is a 4xx or 5xx answer; its
 * message is the SCIM Error `detail`.
 */
export class DirectoryActivityTracker {
  private pending = new Map<string, ActivityRecord>();
  private flushing: Promise<void> | undefined;

  constructor(private readonly store: Store) {}

  record(directoryId: string, status: number, errorMessage?: string, at: string = new Date().toISOString()): void {
    let entry = this.pending.get(directoryId);
    if (!entry) this.pending.set(directoryId, (entry = emptyActivity()));
    entry.lastRequestAt = at;
    entry.requestCount++;
    if (status < 400) {
      entry.lastSuccessAt = at;
    } else {
      entry.errorCount++;
      entry.lastError = { status, message: (errorMessage ?? `HTTP ${status}`).slice(0, MAX_MESSAGE), at };
    }
  }

  async get(directoryId: string): Promise<ActivityRecord> {
    const stored = (await this.store.directoryActivity.get(directoryId)) ?? emptyActivity();
    const pending = this.pending.get(directoryId);
    return pending ? merge(stored, pending) : stored;
  }

  /** Writes the pending deltas (one upsert per active directory). A failed flush keeps its deltas. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = (async () => {
      let failure: unknown;
      for (const [directoryId, delta] of batch) {
        try {
          await this.store.directoryActivity.add(directoryId, delta);
        } catch (error) {
          // keep it for the next flush, merged with what arrived meanwhile
          const now = this.pending.get(directoryId);
          this.pending.set(directoryId, now ? merge(delta, now) : delta);
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
    })().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }
}
