import { TenantError } from './errors.js';
import { ObjectIdFactory } from './object-id.js';
import { BUILT_IN_ROLE_NAMES, type Admin, type BuiltInRoleName, type Role } from './types.js';
import type { RecordContext } from './user-record.js';

/** What a new console admin may be given; email is required. */
export interface AdminInput {
  _id?: string;
  email: string;
  firstname?: string;
  lastname?: string;
  /** a built-in role name (default "Administrator") or the name of a custom role of the tenant */
  roleName?: string;
  enableMultiFactor?: boolean;
  totpEnrolled?: boolean;
  suspended?: boolean;
  apiKeyAllowed?: boolean;
  /** give true to make the admin look like it holds an API key (apiKeySet, apiKeyHash) */
  hasApiKey?: boolean;
  provider?: string | null;
  created?: string;
}

/** The patchable fields of an admin. */
export type AdminPatch = Partial<Omit<AdminInput, '_id' | 'created'>>;

/** What a new custom role may be given; name and scopes are required. */
export interface RoleInput {
  id?: string;
  name: string;
  scopes: string[];
  description?: string;
  createdBy?: string;
}

/** Scopes listed for the built-in roles (indicative: JumpCloud does not publish them per role). */
const BUILT_IN_SCOPES: Record<BuiltInRoleName, string[]> = {
  'Administrator With Billing': ['administrators', 'applications', 'associations', 'billing', 'groups', 'organizations', 'roles', 'users'],
  Administrator: ['administrators', 'applications', 'associations', 'groups', 'organizations', 'roles', 'users'],
  Manager: ['applications', 'associations', 'groups', 'users'],
  'Command Runner With Billing': ['billing', 'commandrunner', 'commandrunner.legacy'],
  'Command Runner': ['commandrunner', 'commandrunner.legacy'],
  'Help Desk': ['groups.readonly', 'users', 'users.readonly'],
  'Billing Only': ['billing'],
  'Read Only': ['applications.readonly', 'associations.readonly', 'groups.readonly', 'organizations.readonly', 'roles.readonly', 'users.readonly'],
};

/**
 * The built-in roles, identical in every tenant (fixed ids, as JumpCloud's built-in roles are global).
 * `organizationIds` is empty: they belong to no one organization.
 */
export function builtInRoles(): Role[] {
  const ids = new ObjectIdFactory(2019);
  const at = Date.parse('2019-01-09T00:00:00.000Z');
  return BUILT_IN_ROLE_NAMES.map((name) => ({
    id: ids.next(at),
    name,
    scopes: BUILT_IN_SCOPES[name],
    description: `JumpCloud built-in role: ${name}`,
    organizationIds: [],
    providerId: null,
    createdBy: 'jumpcloud',
    lastUpdatedBy: 'jumpcloud',
    isCustom: false,
  }));
}

/** Builds an admin; `role` must be the role record its roleName names. */
export function buildAdmin(input: AdminInput, role: Role, ctx: RecordContext): Admin {
  if (typeof input.email !== 'string' || !input.email.includes('@')) throw new TenantError('invalid', 'email is required');
  const created = input.created ?? ctx.now().toISOString();
  const hasKey = input.hasApiKey ?? false;
  return {
    _id: input._id ?? ctx.newId(Date.parse(created)),
    email: input.email,
    firstname: input.firstname ?? '',
    lastname: input.lastname ?? '',
    roleName: role.name,
    role: role.id,
    enableMultiFactor: input.enableMultiFactor ?? false,
    totpEnrolled: input.totpEnrolled ?? false,
    suspended: input.suspended ?? false,
    apiKeyAllowed: input.apiKeyAllowed ?? true,
    apiKeySet: hasKey,
    apiKey: hasKey ? { prefix: ctx.newId().slice(-8), createdAt: created, expireAt: null } : null,
    provider: input.provider ?? null,
    created,
    passwordUpdatedAt: created,
  };
}

/** Builds a custom role of the given organization. */
export function buildRole(input: RoleInput, orgId: string, ctx: RecordContext): Role {
  if (typeof input.name !== 'string' || input.name.trim() === '') throw new TenantError('invalid', 'role name is required');
  if (!Array.isArray(input.scopes) || input.scopes.some((s) => typeof s !== 'string')) throw new TenantError('invalid', 'scopes must be an array of strings');
  return {
    id: input.id ?? ctx.newId(),
    name: input.name,
    scopes: [...input.scopes],
    description: input.description ?? '',
    organizationIds: [orgId],
    providerId: null,
    createdBy: input.createdBy ?? '',
    lastUpdatedBy: input.createdBy ?? '',
    isCustom: true,
  };
}
