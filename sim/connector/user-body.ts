import type { SystemUser } from '../tenant/types.js';
import { SCIM, sortedKeys, type PatchOperation } from './scim-schema.js';
import type { ConnectorSettings } from './settings.js';

/** The JumpCloud user fields the connector maps (a SystemUser has them all). */
export type MappedUser = Pick<
  SystemUser,
  '_id' | 'username' | 'email' | 'firstname' | 'lastname' | 'displayname' | 'jobTitle' | 'department' | 'phoneNumbers' | 'addresses' | 'employeeIdentifier' | 'state' | 'password_expired'
>;

/** The settings the user mapping reads. */
export type UserMappingSettings = Pick<ConnectorSettings, 'userNameFrom' | 'externalIdFrom' | 'locale' | 'passwordExpiredDeactivates'>;

/** A SCIM User body as the connector sends it. */
export type ScimUserBody = Record<string, unknown>;

/** "+1 303 555 0101" → "tel:+1-303-555-0101" (the real sample's `tel:` form). */
export function telUri(number: string): string {
  const trimmed = number.trim();
  if (/^tel:/i.test(trimmed)) return trimmed;
  return `tel:${trimmed.replace(/[\s().]+/g, '-').replace(/-{2,}/g, '-').replace(/^-|-$/g, '')}`;
}

/** `active` of a user that is pushed: ACTIVATED and, per the setting, not password_expired. */
export function isActive(user: MappedUser, settings: UserMappingSettings): boolean {
  return user.state === 'ACTIVATED' && !(settings.passwordExpiredDeactivates && user.password_expired);
}

/** What `{placeholders}` of the user lookup filter stand for. */
export function lookupValues(user: MappedUser, settings: UserMappingSettings): Record<string, string> {
  return { username: userNameOf(user, settings), email: user.email, id: user._id, externalId: externalIdOf(user, settings) ?? '' };
}

function userNameOf(user: MappedUser, settings: UserMappingSettings): string {
  return settings.userNameFrom === 'email' ? user.email : user.username;
}

function externalIdOf(user: MappedUser, settings: UserMappingSettings): string | null {
  return settings.externalIdFrom === 'employeeIdentifier' ? user.employeeIdentifier : user._id;
}

/**
 * The body JumpCloud sends for a user (jumpcloud-wire.md §A.3), keys sorted as in the real samples:
 * `schemas` core + enterprise URN (no extension body unless a department is set), `externalId`, `userName`,
 * one primary work e-mail, `name`, `displayName`, `addresses` (first primary) and `phoneNumbers` in
 * `tel:` form (empty arrays when none), `locale` / `preferredLanguage`, `title` from jobTitle, enterprise
 * `department`, `active`. With `id` (our SCIM id) it is the full-body PUT. A user without an e-mail gets
 * the real minimal form: `{active, emails: null, id, name, schemas: [core], userName}`.
 */
export function userBody(user: MappedUser, settings: UserMappingSettings, options: { id?: string; active?: boolean } = {}): ScimUserBody {
  const active = options.active ?? isActive(user, settings);
  const name: Record<string, string> = {};
  if (user.lastname) name.familyName = user.lastname;
  if (user.firstname) name.givenName = user.firstname;
  const id = options.id === undefined ? {} : { id: options.id };
  if (!user.email) {
    return sortedKeys({ active, emails: null, ...id, name, schemas: [SCIM.user], userName: userNameOf(user, settings) });
  }
  const body: ScimUserBody = {
    schemas: [SCIM.user, SCIM.enterpriseUser],
    ...id,
    userName: userNameOf(user, settings),
    name,
    emails: [{ primary: true, type: 'work', value: user.email }],
    addresses: user.addresses.map((a, i) => ({
      country: a.country,
      locality: a.locality,
      postalCode: a.postalCode,
      primary: i === 0,
      region: a.region,
      streetAddress: a.streetAddress,
      type: a.type || 'work',
    })),
    phoneNumbers: user.phoneNumbers.map((p, i) => ({ primary: i === 0, type: p.type || 'work', value: telUri(p.number) })),
    active,
  };
  const externalId = externalIdOf(user, settings);
  if (externalId) body.externalId = externalId;
  if (user.displayname) body.displayName = user.displayname;
  if (settings.locale !== null) {
    body.locale = settings.locale;
    body.preferredLanguage = settings.locale;
  }
  if (user.jobTitle) body.title = user.jobTitle;
  if (user.department) body[SCIM.enterpriseUser] = { department: user.department };
  return sortedKeys(body);
}

/** Paths of the PATCH form, in the order the ops are sent (the fixture: name parts first, `active` last). */
const PATCH_PATHS = [
  'userName',
  'name.givenName',
  'name.familyName',
  'displayName',
  'emails',
  'externalId',
  'title',
  'phoneNumbers',
  'addresses',
  'locale',
  'preferredLanguage',
  `${SCIM.enterpriseUser}:department`,
  'active',
] as const;

function valueAt(body: ScimUserBody | null, path: (typeof PATCH_PATHS)[number]): unknown {
  if (body === null) return undefined;
  if (path === 'name.givenName' || path === 'name.familyName') return (body.name as Record<string, unknown> | undefined)?.[path.slice(5)];
  if (path.startsWith(`${SCIM.enterpriseUser}:`)) return (body[SCIM.enterpriseUser] as Record<string, unknown> | undefined)?.department;
  return body[path];
}

/**
 * The PATCH form of an update: one op per attribute with a path (jumpcloud-wire.md §A.3, "JumpCloud sends
 * one op per attribute with path"): `replace` for every attribute whose value differs from `previous`
 * (every attribute when `previous` is null), `remove` for one that is no longer set.
 */
export function userPatchOperations(previous: ScimUserBody | null, next: ScimUserBody): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const path of PATCH_PATHS) {
    const before = valueAt(previous, path);
    const after = valueAt(next, path);
    if (previous !== null && JSON.stringify(before) === JSON.stringify(after)) continue;
    if (after === undefined) {
      if (before !== undefined) ops.push({ op: 'remove', path });
      continue;
    }
    ops.push({ op: 'replace', path, value: after });
  }
  return ops;
}
