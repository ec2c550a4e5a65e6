/**
 * JumpCloud records → Gatehouse inventory records. Only what the inventory, findings and drift use is
 * kept (never secrets: no SSH keys, no app private keys, no API key hashes). Field names follow
 * jumpcloud-wire.md §C.3; each mapper tolerates missing fields (older tenants, `fields=` projections).
 */

/** The inventory kinds, as routes name them. */
export const INVENTORY_KINDS = ['users', 'groups', 'admins', 'roles', 'applications'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

/** The stored kind of each route kind. */
export const ENTITY_KIND: Record<InventoryKind, string> = { users: 'user', groups: 'group', admins: 'admin', roles: 'role', applications: 'application' };

/** A mapped record: its id, a display name, a lowercase email (users, admins), and the inventory document. */
export interface MappedEntity {
  id: string;
  name: string;
  email: string | null;
  data: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: unknown): boolean => v === true;
const idOf = (r: Record<string, unknown>): string | null => str(r._id) ?? str(r.id);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A system user (`/api/systemusers`), with its three emails. null when it has no id. */
export function mapUser(r: Record<string, unknown>): MappedEntity | null {
  const id = idOf(r);
  if (id === null) return null;
  const recovery = obj(r.recoveryEmail);
  const suspended = bool(r.suspended) || r.state === 'SUSPENDED';
  const state = str(r.state) ?? (suspended ? 'SUSPENDED' : r.activated === false ? 'STAGED' : 'ACTIVATED');
  const email = str(r.email);
  const data = {
    id,
    username: str(r.username),
    email,
    alternateEmail: str(r.alternateEmail),
    recoveryEmail: str(recovery.address),
    recoveryEmailVerified: recovery.address === undefined ? null : bool(recovery.verified),
    firstname: str(r.firstname),
    lastname: str(r.lastname),
    displayname: str(r.displayname),
    state,
    activated: bool(r.activated),
    suspended,
    passwordExpired: bool(r.password_expired),
    accountLocked: bool(r.account_locked),
    mfaConfigured: bool(obj(r.mfa).configured),
    totpEnabled: bool(r.totp_enabled),
    employeeIdentifier: str(r.employeeIdentifier),
    department: str(r.department),
    jobTitle: str(r.jobTitle),
    externallyManaged: bool(r.externally_managed),
    created: str(r.created),
  };
  return { id, name: data.username ?? email ?? id, email: email?.toLowerCase() ?? null, data };
}

/** A user group (`/api/v2/usergroups`). */
export function mapGroup(r: Record<string, unknown>): MappedEntity | null {
  const id = idOf(r);
  if (id === null) return null;
  const name = str(r.name) ?? id;
  return { id, name, email: null, data: { id, name, description: str(r.description), email: str(r.email), membershipMethod: str(r.membershipMethod) ?? 'NOTSET' } };
}

/** A console admin (`/api/users`). */
export function mapAdmin(r: Record<string, unknown>): MappedEntity | null {
  const id = idOf(r);
  if (id === null) return null;
  const email = str(r.email);
  const roleNames = Array.isArray(r.roleNames) ? r.roleNames.filter((n): n is string => typeof n === 'string') : [];
  const roleName = str(r.roleName) ?? roleNames[0] ?? null;
  return {
    id,
    name: email ?? id,
    email: email?.toLowerCase() ?? null,
    data: {
      id,
      email,
      firstname: str(r.firstname),
      lastname: str(r.lastname),
      roleName,
      roleNames: roleNames.length > 0 ? roleNames : roleName === null ? [] : [roleName],
      roleId: str(r.role),
      suspended: bool(r.suspended),
      enableMultiFactor: bool(r.enableMultiFactor),
      totpEnrolled: bool(r.totpEnrolled),
      apiKeySet: bool(r.apiKeySet),
      created: str(r.created),
    },
  };
}

/** An admin role (`/api/v2/roles`): built-in (isCustom false) or custom. */
export function mapRole(r: Record<string, unknown>): MappedEntity | null {
  const id = idOf(r);
  if (id === null) return null;
  const name = str(r.name) ?? id;
  return {
    id,
    name,
    email: null,
    data: { id, name, isCustom: bool(r.isCustom), builtIn: !bool(r.isCustom), description: str(r.description), scopes: Array.isArray(r.scopes) ? r.scopes.filter((s) => typeof s === 'string') : [] },
  };
}

/** An SSO application (`/api/applications`): name (the template), label, logo, SSO URL, type, certificate expiry. */
export function mapApplication(r: Record<string, unknown>): MappedEntity | null {
  const id = idOf(r);
  if (id === null) return null;
  const sso = obj(r.sso);
  const label = str(r.displayLabel) ?? str(r.displayName) ?? str(r.name) ?? id;
  return {
    id,
    name: label,
    email: null,
    data: {
      id,
      name: str(r.name),
      label,
      displayName: str(r.displayName),
      logoUrl: str(obj(r.logo).url),
      ssoUrl: str(r.ssoUrl),
      type: str(sso.type),
      certificateExpiresAt: str(sso.idpCertExpirationAt),
      active: r.active !== false,
      created: str(r.created),
    },
  };
}

/** The target of a GraphConnection (`{"to":{"id","type"}}`). */
export function connectionTarget(r: Record<string, unknown>): { id: string; type: string } | null {
  const to = obj(r.to);
  const id = str(to.id);
  const type = str(to.type);
  return id !== null && type !== null ? { id, type } : null;
}

/**
 * A GraphObjectWithPaths (`{"id","type","paths":[[GraphConnection…]]}`): the object, and the groups its
 * paths pass through (a user reaching an app through a bound group) and whether a path is direct (one hop).
 */
export function objectWithPaths(r: Record<string, unknown>): { id: string; type: string; viaGroups: string[]; direct: boolean } | null {
  const id = str(r.id);
  const type = str(r.type);
  if (id === null || type === null) return null;
  const viaGroups = new Set<string>();
  let direct = false;
  const paths = Array.isArray(r.paths) ? r.paths : [];
  for (const path of paths) {
    if (!Array.isArray(path)) continue;
    const hops = path.map((hop) => connectionTarget(obj(hop))).filter((h): h is { id: string; type: string } => h !== null);
    const groups = hops.filter((h) => h.type === 'user_group' && !(type === 'user_group' && h.id === id));
    for (const g of groups) viaGroups.add(g.id);
    if (groups.length === 0) direct = true;
  }
  if (paths.length === 0) direct = true;
  return { id, type, viaGroups: [...viaGroups], direct };
}
