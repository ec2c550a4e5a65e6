import { randomBytes } from 'node:crypto';
import { TenantError } from './errors.js';
import { isObjectId, ObjectIdFactory } from './object-id.js';
import { Tenant } from './tenant.js';
import type { Organization, UserState } from './types.js';

/** An admin API key and the organizations it can reach. */
export interface ApiKey {
  key: string;
  /** the organizations the key's admin manages; the first is its primary one */
  orgIds: string[];
  /**
   * true for a multi-tenant (MTP) admin's key: every request must name its organization in x-org-id.
   * false for a single-tenant admin: x-org-id is ignored.
   */
  multiTenant: boolean;
}

/** What a new organization may be given. */
export interface OrganizationInput {
  _id?: string;
  /** null (the default) as in the recordings, where the organization has no display name */
  displayName?: string | null;
  logoUrl?: string | null;
  created?: string;
  /** seeds the tenant's id factory; default derived from the organization's position */
  idSeed?: number;
  defaultUserState?: UserState;
}

/** A new random API key: 40 hex digits, the length of JumpCloud's keys. */
export function generateApiKey(): string {
  return randomBytes(20).toString('hex');
}

/**
 * The whole simulated JumpCloud service: organizations (one Tenant each) and the admin API keys that reach
 * them. A single-tenant key reaches one organization; a multi-tenant (MTP) key reaches several and must
 * say which in x-org-id.
 */
export class Cloud {
  readonly tenants = new Map<string, Tenant>();
  readonly keys = new Map<string, ApiKey>();
  readonly #ids: ObjectIdFactory;
  readonly clock: () => Date;

  constructor(options: { idSeed?: number; clock?: () => Date } = {}) {
    this.#ids = new ObjectIdFactory((options.idSeed ?? 1) ^ 0x0c0ffee);
    this.clock = options.clock ?? (() => new Date());
  }

  /** Creates an organization with an empty tenant. */
  createOrganization(input: OrganizationInput = {}): Tenant {
    const created = input.created ?? this.clock().toISOString();
    const id = input._id ?? this.#ids.next(Date.parse(created));
    if (!isObjectId(id)) throw new TenantError('invalid', `organization id ${id} is not an ObjectId`);
    if (this.tenants.has(id)) throw new TenantError('conflict', `organization ${id} already exists`);
    const organization: Organization = { _id: id, displayName: input.displayName ?? null, logoUrl: input.logoUrl ?? null, created };
    const tenant = new Tenant({ organization, idSeed: input.idSeed ?? this.tenants.size + 1, clock: this.clock, defaultUserState: input.defaultUserState });
    this.tenants.set(id, tenant);
    return tenant;
  }

  /** The tenant of an organization, or throws not_found. */
  tenant(orgId: string): Tenant {
    const tenant = this.tenants.get(orgId);
    if (!tenant) throw new TenantError('not_found', `no organization has id ${orgId}`);
    return tenant;
  }

  /**
   * Registers an API key for one or more organizations. `multiTenant` defaults to true when the key reaches
   * more than one organization. The key is generated when not given.
   */
  addApiKey(input: { key?: string; orgIds: string[]; multiTenant?: boolean }): ApiKey {
    if (input.orgIds.length === 0) throw new TenantError('invalid', 'an API key needs at least one organization');
    for (const id of input.orgIds) this.tenant(id);
    const key: ApiKey = { key: input.key ?? generateApiKey(), orgIds: [...input.orgIds], multiTenant: input.multiTenant ?? input.orgIds.length > 1 };
    if (key.key.trim() === '') throw new TenantError('invalid', 'an API key cannot be empty');
    this.keys.set(key.key, key);
    return key;
  }

  /** Revokes an API key; false when unknown. */
  removeApiKey(key: string): boolean {
    return this.keys.delete(key);
  }
}
