import type { Admin, Application, AppTargetType, Role, ServerType, SystemUser, UserGroup, UserState } from './types.js';

/**
 * The change events a tenant emits after each committed mutation, in order. Record payloads are copies
 * taken at emit time (later changes do not alter them). The SCIM connector subscribes to these to push
 * changes "as JumpCloud does"; a seed emits one `tenant.seeded` instead of one event per record.
 */
export type TenantEventBody =
  | { type: 'user.created'; user: SystemUser }
  /** `changed` lists the API field names whose value changed (state changes use the events below) */
  | { type: 'user.updated'; user: SystemUser; changed: string[] }
  | { type: 'user.suspended'; user: SystemUser; previousState: UserState }
  /** STAGED → ACTIVATED or SUSPENDED → ACTIVATED */
  | { type: 'user.activated'; user: SystemUser; previousState: UserState }
  /** `groupIds` and `appIds` (effective, through groups or directly) as they were just before the delete */
  | { type: 'user.deleted'; user: SystemUser; groupIds: string[]; appIds: string[] }
  | { type: 'group.created'; group: UserGroup }
  | { type: 'group.renamed'; group: UserGroup; previousName: string }
  /** description, email or attributes changed (a rename is `group.renamed`) */
  | { type: 'group.updated'; group: UserGroup; changed: string[] }
  /** `memberIds` and `appIds` (apps the group was bound to) as they were just before the delete */
  | { type: 'group.deleted'; group: UserGroup; memberIds: string[]; appIds: string[] }
  | { type: 'member.added'; groupId: string; userId: string }
  | { type: 'member.removed'; groupId: string; userId: string }
  | { type: 'group.bound'; appId: string; groupId: string; attributes: Record<string, unknown> | null }
  | { type: 'group.unbound'; appId: string; groupId: string }
  | { type: 'user.bound'; appId: string; userId: string; attributes: Record<string, unknown> | null }
  | { type: 'user.unbound'; appId: string; userId: string }
  | { type: 'app.created'; app: Application }
  | { type: 'app.updated'; app: Application; changed: string[] }
  /** `groupIds` and `userIds` directly bound just before the delete */
  | { type: 'app.deleted'; app: Application; groupIds: string[]; userIds: string[] }
  | { type: 'app.cert_regenerated'; app: Application; previousGeneration: number }
  | { type: 'server.bound'; serverType: ServerType; serverId: string; targetType: AppTargetType; targetId: string }
  | { type: 'server.unbound'; serverType: ServerType; serverId: string; targetType: AppTargetType; targetId: string }
  | { type: 'admin.created'; admin: Admin }
  | { type: 'admin.updated'; admin: Admin; changed: string[] }
  | { type: 'admin.deleted'; admin: Admin }
  | { type: 'role.created'; role: Role }
  | { type: 'role.deleted'; role: Role }
  /** everything was replaced (seed or reset) */
  | { type: 'tenant.seeded'; seed: string; counts: Record<string, number> };

/** Every event type name. */
export type TenantEventType = TenantEventBody['type'];

/** An emitted event: the body plus its order number within the tenant and the time it was emitted. */
export type TenantEvent = TenantEventBody & { seq: number; at: string; orgId: string };

/** The event of one type. */
export type TenantEventOf<T extends TenantEventType> = Extract<TenantEvent, { type: T }>;

/** A subscriber. Called synchronously after the mutation is committed; a returned promise is not awaited. */
export type TenantListener<E extends TenantEvent = TenantEvent> = (event: E) => void | Promise<void>;

/**
 * The listener list of a tenant, plus a bounded history (for the control API's event feed).
 * A listener that throws (or rejects) does not undo the mutation nor stop the other listeners; the error
 * goes to `onListenerError` (default: written to stderr).
 */
export class TenantEventBus {
  readonly #listeners = new Set<{ type: TenantEventType | '*'; fn: TenantListener<never> }>();
  readonly #history: TenantEvent[] = [];
  #seq = 0;
  readonly historyLimit: number;
  onListenerError: (error: unknown, event: TenantEvent) => void = (error, event) => {
    process.stderr.write(`jumpcloud-sim: a listener of ${event.type} failed: ${(error as Error)?.stack ?? String(error)}\n`);
  };

  constructor(historyLimit = 10_000) {
    this.historyLimit = historyLimit;
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  on(listener: TenantListener): () => void;
  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends TenantEventType>(type: T, listener: TenantListener<TenantEventOf<T>>): () => void;
  on(a: TenantEventType | TenantListener, b?: TenantListener<never>): () => void {
    const entry = typeof a === 'function' ? { type: '*' as const, fn: a as TenantListener<never> } : { type: a, fn: b as TenantListener<never> };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** The last events (at most historyLimit), oldest first; `afterSeq` keeps only later ones. */
  history(afterSeq = 0): TenantEvent[] {
    return this.#history.filter((e) => e.seq > afterSeq);
  }

  /** The seq of the last emitted event (0 before any). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Stamps and delivers one event. */
  emit(body: TenantEventBody, orgId: string, now: Date): TenantEvent {
    const event = { ...body, seq: ++this.#seq, at: now.toISOString(), orgId } as TenantEvent;
    this.#history.push(event);
    if (this.#history.length > this.historyLimit) this.#history.splice(0, this.#history.length - this.historyLimit);
    for (const entry of [...this.#listeners]) {
      if (entry.type !== '*' && entry.type !== event.type) continue;
      try {
        const result = (entry.fn as TenantListener)(event);
        if (result && typeof (result as Promise<void>).catch === 'function') (result as Promise<void>).catch((error: unknown) => this.onListenerError(error, event));
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
    return event;
  }
}
