/** A unit of work of a connector: one tenant change, a sync, or a Test Connection. */
export interface PushTask {
  /** e.g. "member.added", "sync", "test" */
  label: string;
  run(): Promise<void>;
}

/**
 * Runs a connector's pushes one at a time, in the order they were queued (JumpCloud applies a tenant's
 * changes in order). A task that throws does not stop the queue: the error goes to `onError`.
 */
export class PushQueue {
  readonly #tasks: (PushTask & { done(): void })[] = [];
  readonly #waiters: (() => void)[] = [];
  #running: PushTask | null = null;
  onError: (error: unknown, task: PushTask) => void = () => undefined;

  /** Tasks waiting (not counting the one running). */
  get pending(): number {
    return this.#tasks.length;
  }

  /** The label of the task running, or null. */
  get running(): string | null {
    return this.#running?.label ?? null;
  }

  /** Queues a task; returns a promise of its end (never rejects: errors go to onError). */
  push(label: string, run: () => Promise<void>): Promise<void> {
    return new Promise<void>((done) => {
      this.#tasks.push({ label, run, done });
      if (this.#running === null) void this.#drain();
    });
  }

  /** Resolves when nothing is queued nor running (tasks queued meanwhile are waited for too). */
  idle(): Promise<void> {
    if (this.#running === null && this.#tasks.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Drops the tasks not started yet (their promises resolve without running). */
  clear(): void {
    for (const task of this.#tasks.splice(0)) task.done();
  }

  async #drain(): Promise<void> {
    while (this.#tasks.length > 0) {
      const task = this.#tasks.shift()!;
      this.#running = task;
      try {
        await task.run();
      } catch (error) {
        this.onError(error, task);
      } finally {
        task.done();
      }
    }
    this.#running = null;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}
