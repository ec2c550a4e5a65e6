import { TenantError } from './errors.js';
import type { Address, CustomAttribute, PhoneNumber, RecoveryEmail, SystemUser, UserMfa, UserState } from './types.js';

/** What a new system user may be given; username and email are required, everything else has a default. */
export type UserInput = Partial<Omit<SystemUser, 'phoneNumbers' | 'addresses' | 'mfa' | 'recoveryEmail'>> & {
  username: string;
  email: string;
  phoneNumbers?: (Partial<PhoneNumber> & { number: string })[];
  addresses?: Partial<Address>[];
  mfa?: Partial<UserMfa>;
  recoveryEmail?: (Partial<RecoveryEmail> & { address: string }) | null;
};

/** The fields an update may change; state goes through suspend/activate (updateUser routes it there). */
export type UserPatch = Partial<Omit<UserInput, '_id' | 'created' | 'unix_uid' | 'unix_guid'>>;

/** What building a record needs from the tenant. */
export interface RecordContext {
  /** a fresh ObjectId, stamped with the given time (ms) or the tenant clock */
  newId(atMs?: number): string;
  now(): Date;
}

const USER_STATES: readonly UserState[] = ['STAGED', 'ACTIVATED', 'SUSPENDED'];

/** The fields that updateUser refuses to change directly. */
const IMMUTABLE = new Set(['_id', 'created', 'unix_uid', 'unix_guid']);

function phone(input: Partial<PhoneNumber> & { number: string }, ctx: RecordContext): PhoneNumber {
  return { id: input.id ?? ctx.newId(), number: input.number, type: input.type ?? 'work' };
}

function address(input: Partial<Address>, ctx: RecordContext): Address {
  return {
    id: input.id ?? ctx.newId(),
    type: input.type ?? 'work',
    streetAddress: input.streetAddress ?? '',
    locality: input.locality ?? '',
    region: input.region ?? '',
    postalCode: input.postalCode ?? '',
    country: input.country ?? '',
    poBox: input.poBox ?? '',
    extendedAddress: input.extendedAddress ?? '',
  };
}

function mfa(input: Partial<UserMfa> | undefined, totpEnabled: boolean): UserMfa {
  return {
    configured: input?.configured ?? totpEnabled,
    exclusion: input?.exclusion ?? false,
    exclusionUntil: input?.exclusionUntil ?? null,
    exclusionDays: input?.exclusionDays ?? null,
  };
}

function recovery(input: UserInput['recoveryEmail']): RecoveryEmail | null {
  if (!input) return null;
  return { address: input.address, verified: input.verified ?? false, verifiedAt: input.verifiedAt ?? null };
}

function attributes(input: CustomAttribute[] | undefined): CustomAttribute[] {
  return (input ?? []).map((a) => ({ name: String(a.name), value: String(a.value) }));
}

/** Validates the fields every user needs. */
export function checkUserInput(input: Partial<UserInput>, creating: boolean): void {
  if (creating || input.username !== undefined) {
    if (typeof input.username !== 'string' || input.username.trim() === '') throw new TenantError('invalid', 'username is required');
  }
  if (creating || input.email !== undefined) {
    if (typeof input.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.email)) throw new TenantError('invalid', 'email is required and must be an e-mail address');
  }
  if (input.state !== undefined && !USER_STATES.includes(input.state)) throw new TenantError('invalid', `state must be one of ${USER_STATES.join(', ')}`);
}

/**
 * Builds a complete system user from an input, keeping the state fields consistent: `suspended` is true
 * exactly when state is SUSPENDED, a STAGED user is never `activated`, and a user whose state is not given
 * is ACTIVATED (or SUSPENDED when `suspended: true` is given). `activated` (password set) defaults to
 * true for an ACTIVATED or SUSPENDED user; give `activated: false` for an ACTIVATED user who has not set a
 * password yet (as in the recordings).
 */
export function buildUser(input: UserInput, unixId: number, ctx: RecordContext, defaultState: UserState): SystemUser {
  checkUserInput(input, true);
  const state: UserState = input.state ?? (input.suspended ? 'SUSPENDED' : defaultState);
  const totp = input.totp_enabled ?? false;
  const created = input.created ?? ctx.now().toISOString();
  return {
    _id: input._id ?? ctx.newId(Date.parse(created)),
    username: input.username,
    email: input.email,
    firstname: input.firstname ?? '',
    middlename: input.middlename ?? '',
    lastname: input.lastname ?? '',
    displayname: input.displayname ?? '',
    state,
    activated: state === 'STAGED' ? false : (input.activated ?? true),
    suspended: state === 'SUSPENDED',
    account_locked: input.account_locked ?? false,
    account_locked_date: input.account_locked_date ?? null,
    password_expired: input.password_expired ?? false,
    password_expiration_date: input.password_expiration_date ?? null,
    password_never_expires: input.password_never_expires ?? false,
    password_date: input.password_date ?? null,
    alternateEmail: input.alternateEmail ?? null,
    recoveryEmail: recovery(input.recoveryEmail),
    jobTitle: input.jobTitle ?? '',
    department: input.department ?? '',
    company: input.company ?? '',
    costCenter: input.costCenter ?? '',
    employeeIdentifier: input.employeeIdentifier ?? null,
    employeeType: input.employeeType ?? '',
    manager: input.manager ?? null,
    location: input.location ?? '',
    description: input.description ?? '',
    phoneNumbers: (input.phoneNumbers ?? []).map((p) => phone(p, ctx)),
    addresses: (input.addresses ?? []).map((a) => address(a, ctx)),
    attributes: attributes(input.attributes),
    mfa: mfa(input.mfa, totp),
    mfaEnrollment: input.mfaEnrollment ?? null,
    totp_enabled: totp,
    enable_user_portal_multifactor: input.enable_user_portal_multifactor ?? false,
    created,
    creationSource: input.creationSource ?? null,
    externally_managed: input.externally_managed ?? false,
    external_source_type: input.external_source_type ?? '',
    external_dn: input.external_dn ?? '',
    admin: input.admin ?? null,
    tags: input.tags ?? [],
    unix_uid: input.unix_uid ?? unixId,
    unix_guid: input.unix_guid ?? unixId,
    sudo: input.sudo ?? false,
    passwordless_sudo: input.passwordless_sudo ?? false,
    allow_public_key: input.allow_public_key ?? true,
    samba_service_user: input.samba_service_user ?? false,
    ldap_binding_user: input.ldap_binding_user ?? false,
    enable_managed_uid: input.enable_managed_uid ?? false,
    disableDeviceMaxLoginAttempts: input.disableDeviceMaxLoginAttempts ?? false,
    systemUsername: input.systemUsername ?? '',
    password: input.password ?? null,
  };
}

/**
 * Applies a patch (without state changes) to a copy of the user and returns the copy and the names of the
 * fields whose value changed. Nested values (mfa, phoneNumbers, addresses, recoveryEmail) are replaced whole.
 */
export function patchUser(user: SystemUser, patch: UserPatch, ctx: RecordContext): { user: SystemUser; changed: string[] } {
  checkUserInput(patch, false);
  const next: SystemUser = { ...user };
  const changed: string[] = [];
  for (const [key, raw] of Object.entries(patch)) {
    if (raw === undefined || IMMUTABLE.has(key) || key === 'state' || key === 'suspended') continue;
    if (!(key in user)) throw new TenantError('invalid', `unknown system user field "${key}"`);
    let value: unknown = raw;
    if (key === 'phoneNumbers') value = (raw as UserInput['phoneNumbers'])!.map((p) => phone(p, ctx));
    else if (key === 'addresses') value = (raw as Partial<Address>[]).map((a) => address(a, ctx));
    else if (key === 'mfa') value = mfa({ ...user.mfa, ...(raw as Partial<UserMfa>) }, user.totp_enabled);
    else if (key === 'recoveryEmail') value = recovery(raw as UserInput['recoveryEmail']);
    else if (key === 'attributes') value = attributes(raw as CustomAttribute[]);
    else if (key === 'activated' && user.state === 'STAGED') value = false;
    if (JSON.stringify((user as unknown as Record<string, unknown>)[key]) === JSON.stringify(value)) continue;
    (next as unknown as Record<string, unknown>)[key] = value;
    changed.push(key);
  }
  if (changed.includes('totp_enabled') && !('mfa' in patch) && next.totp_enabled && !next.mfa.configured) {
    next.mfa = { ...next.mfa, configured: true };
    changed.push('mfa');
  }
  return { user: next, changed };
}
