/** The admin API's shapes (CONTRACT.md and src/admin/schemas.ts), as far as the portal reads them. */

export interface Page<T> {
  data: T[];
  next: string | null;
}

export interface Organization {
  id: string;
  name: string;
  domains: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DirectoryActivity {
  lastRequestAt: string | null;
  lastSuccessAt: string | null;
  requestCount: number;
  errorCount: number;
  lastError: { status: number; message: string; at: string } | null;
}

export type Provider = 'jumpcloud' | 'okta' | 'entra' | 'generic';

export interface Directory {
  id: string;
  organizationId: string;
  provider: Provider;
  name: string;
  state: string;
  userCount: number;
  activeUserCount?: number;
  groupCount: number;
  activity: DirectoryActivity | null;
  scim: { endpoint: string; token?: string; tokenHint?: string; tokenCreatedAt?: string };
  createdAt: string;
  updatedAt: string;
}

export interface DirectoryUser {
  id: string;
  directoryId: string;
  externalId: string | null;
  userName: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  state: 'active' | 'inactive';
  groups: { id: string; name: string }[];
  roles: string[];
  raw: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface DirectoryGroup {
  id: string;
  directoryId: string;
  externalId: string | null;
  name: string;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface GatehouseEvent {
  id: string;
  type: string;
  organizationId: string | null;
  directoryId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

export interface RoleMappingSet {
  mappings: { directoryGroupId: string; role: string }[];
  defaultRole: string | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  organizationId: string | null;
  events: string[] | null;
  state: 'enabled' | 'disabled';
  disabledReason?: string | null;
  consecutiveFailures?: number;
  secretHint: string;
  secret?: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attemptLog?: { id: string; attempt: number; status: number | null; durationMs: number; responseSnippet: string | null; error: string | null; at: string }[];
}

export interface SetupLink {
  id: string;
  organizationId: string;
  url?: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface SessionInfo {
  kind: 'admin' | 'setup';
  organizationId: string | null;
  expiresAt: string | null;
}
