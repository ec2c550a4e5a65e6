import { randomBytes } from 'node:crypto';
import type { AuthnRequest } from './authn-request.js';

/** A sign-in waiting on the demo login page: which app, and the AuthnRequest (null: IdP-initiated). */
export interface PendingSignIn {
  orgId: string;
  appId: string;
  authnRequest: AuthnRequest | null;
  relayState: string | null;
  createdAt: number;
}

/**
 * The sign-ins the login page is showing, by a random id carried in a hidden field, so the AuthnRequest is
 * parsed and checked once (on arrival) and not round-tripped through the browser. Entries live 10 minutes;
 * at most 1,000 are kept (the oldest go first).
 */
export class PendingSignIns {
  readonly #entries = new Map<string, PendingSignIn>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#max = options.max ?? 1000;
  }

  /** Stores a pending sign-in; returns its id. */
  add(entry: Omit<PendingSignIn, 'createdAt'>): string {
    const id = randomBytes(16).toString('hex');
    this.#entries.set(id, { ...entry, createdAt: Date.now() });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return id;
  }

  /** The pending sign-in, unless unknown or expired. */
  get(id: string): PendingSignIn | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (Date.now() - entry.createdAt > this.#ttlMs) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Forgets a pending sign-in (after it succeeded). */
  delete(id: string): void {
    this.#entries.delete(id);
  }
}
