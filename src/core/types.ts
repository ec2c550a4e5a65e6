/** Domain records. Timestamps are ISO-8601 UTC strings with milliseconds. */
import type { SettingsOverrides } from '../scim/dialects/index.js';

export const PROVIDERS = ['jumpcloud', 'okta', 'entra', 'generic'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface Organization {
  id: string;
  name: string;
  domains: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Directory {
  id: string;
  organizationId: string;
  provider: Provider;
  name: string;
  state: 'active';
  tokenHint: string;
  tokenCreatedAt: string;
  createdAt: string;
  updatedAt: string;
  /** overrides of the provider dialect's default settings (src/scim/dialects); null = all defaults */
  settings: SettingsOverrides | null;
}

/**
 * A provisioned user. `attributes` is the canonical SCIM User document (core attributes at the top level,
 * extensions in URN containers) without id, meta and groups; `raw` is the last full body received.
 */
export interface StoredUser {
  id: string;
  directoryId: string;
  attributes: Record<string, unknown>;
  raw: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** when SCIM DELETE soft-deleted the user (state `deleted`); absent or null for a live user */
  deletedAt?: string | null;
}

/** A user as a SCIM response needs it: the stored document without the last-received body. */
export type UserDocument = Omit<StoredUser, 'raw'>;

/** A provisioned group. Members are kept apart (rows), never in `attributes`. */
export interface StoredGroup {
  id: string;
  directoryId: string;
  attributes: Record<string, unknown>;
  raw: Record<string, unknown>;
  version: number;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface GroupRef {
  id: string;
  name: string;
}

export interface EventRecord {
  id: string;
  seq: number;
  type: string;
  organizationId: string | null;
  directoryId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
  previous: Record<string, unknown> | null;
}

/** An event before it is stored (the database assigns `seq`). */
export type NewEvent = Omit<EventRecord, 'seq'>;

export interface Page<T> {
  data: T[];
  next: string | null;
}
