import { TenantError } from '../tenant/errors.js';

/**
 * The settings of one app's Identity Management (custom SCIM) connector. The first four are the fields of
 * JumpCloud's form (jumpcloud-wire.md §A.1); every other one covers a point the research could NOT confirm
 * ("Could NOT confirm" #n in jumpcloud-wire.md), with the default the simulator assumes.
 */
export interface ConnectorSettings {
  /** "Base URL": the service provider's SCIM root; `/Users` and `/Groups` are appended */
  baseUrl: string;
  /** "Token Key": sent as `Authorization: Bearer <token>`; never recorded nor shown */
  token: string;
  /** "SCIM Version": only '2.0' is simulated (JumpCloud also offers 1.1) */
  version: '2.0';
  /** "Test User Email": the user Test Connection creates and deletes (§A.2) */
  testUserEmail: string;
  /** "Enable management of User Groups and Group Membership in this application"; default true */
  manageGroups: boolean;
  /**
   * #3: how users are updated and (de)activated. 'put' (default: the sanitized-real samples are full-body
   * PUTs carrying our `id`) or 'patch' (one `replace` op per changed attribute, the hand-made fixture).
   */
  updateMethod: 'put' | 'patch';
  /**
   * #2: the lookup before a user is created, a SCIM filter template. Placeholders: `{username}`,
   * `{email}`, `{externalId}` (what `externalId` carries), `{id}` (the JumpCloud `_id`); values are
   * escaped for a SCIM string. Default `userName eq "{username}"`. Also the adoption rule: the first
   * user the lookup returns is taken over (updated, not created).
   */
  userLookupFilter: string;
  /** #2: the lookup before a group is created (takeover by name); placeholder `{name}`. Default `displayName eq "{name}"`. */
  groupLookupFilter: string;
  /** #7: what fills `userName`: the JumpCloud 'username' (default, per the per-app mapping tables) or the 'email' */
  userNameFrom: 'username' | 'email';
  /** #7: what fills `externalId`: the JumpCloud '_id' (default, the sanitized-real sample) or 'employeeIdentifier' (one prebuilt connector's table; omitted when unset) */
  externalIdFrom: '_id' | 'employeeIdentifier';
  /** #7: `locale` and `preferredLanguage` of every user (JumpCloud users have no such field; the real sample sends "en-US"); null omits both */
  locale: string | null;
  /**
   * `active` = ACTIVATED and, when this is true (default), not `password_expired`: the JumpCloud default
   * property Bitwarden documents for `active` is `!suspended && !passwordExpired` (§A.3).
   */
  passwordExpiredDeactivates: boolean;
  /** #4: whether group bodies carry `externalId` (the JumpCloud group id); default false */
  sendGroupExternalId: boolean;
  /** #4: how a group rename is sent: 'put' (default: `{schemas, id, displayName}`, no `members`) or 'patch' (replace displayName) */
  groupRenameMethod: 'put' | 'patch';
  /** #5: what unbinding a group from the app sends (see {@link UnbindStrategy}) */
  unbindStrategy: UnbindStrategy;
  /**
   * A.3 "Delete" (not confirmed): which JumpCloud change makes a `DELETE /Users/{id}`.
   * 'user-deleted' (default): deleting the user in JumpCloud; losing access (unbinding, removal from the
   * last bound group) and suspension send `active:false`. 'access-lost': deletion and losing access
   * delete. 'never': deletion sends `active:false` too.
   */
  deleteUserOn: 'user-deleted' | 'access-lost' | 'never';
  /** #6: retries of a request (see {@link RetryPolicy}) */
  retry: RetryPolicy;
  /** #6: per-attempt timeout in ms (a timeout counts as a 'network' failure); default 10000 */
  timeoutMs: number;
  /** #6: `Content-Type` of request bodies; default 'application/scim+json' */
  contentType: string;
  /** #6: `Accept`; default 'application/scim+json' */
  accept: string;
  /** #6: `User-Agent`; default 'gatehouse-jumpcloud-sim' (JumpCloud's is unknown) */
  userAgent: string;
  /** #1 / #6: whether Test Connection first reads `GET /ServiceProviderConfig`; default false (never seen) */
  testReadsServiceProviderConfig: boolean;
  /** after a successful activation, push everything bound (JumpCloud provisions on activation); default true */
  syncOnActivate: boolean;
  /** how many request/response exchanges the log keeps; default 1000 */
  logLimit: number;
}

/**
 * #5: what unbinding a group from the app sends. JumpCloud's doc: syncing stops, the group is left as-is,
 * its members are deactivated unless another managed group keeps them; Scalekit's: a group update that
 * removes every member. Default: both (`{removeMembers:'patch', orphanedUsers:'deactivate', group:'keep'}`).
 */
export interface UnbindStrategy {
  /** 'patch' (default): one PATCH remove with every member in the value array; 'put': PUT with `"members": []`; 'none' */
  removeMembers: 'patch' | 'put' | 'none';
  /**
   * Former members that no longer reach the app (no other bound group, no direct binding):
   * 'deactivate' (default; DELETE instead when deleteUserOn is 'access-lost'), 'delete', or 'none' (left
   * as they are and no longer managed).
   */
  orphanedUsers: 'deactivate' | 'delete' | 'none';
  /** 'keep' (default) or 'delete' (`DELETE /Groups/{id}`) */
  group: 'keep' | 'delete';
}

/**
 * #6: when a request is retried. Attempt n+1 waits `backoffMs × n` (linear, like JumpCloud's SDKs' 5·n s,
 * scaled down), or the response's `Retry-After` when `respectRetryAfter` (capped at `maxRetryAfterMs`).
 */
export interface RetryPolicy {
  /** retries after the first attempt; default 3 (JumpCloud's SDKs: up to 4 tries) */
  retries: number;
  /** default 200 */
  backoffMs: number;
  /** statuses that are retried, '5xx' for every 500–599, 'network' for refused/reset connections and timeouts; default [429, '5xx', 'network'] */
  retryOn: (number | '5xx' | 'network')[];
  /** default true */
  respectRetryAfter: boolean;
  /** default 5000 */
  maxRetryAfterMs: number;
}

/** What `configure` accepts: the form fields are required, everything else defaults. */
export type ConnectorSettingsInput = Partial<Omit<ConnectorSettings, 'retry' | 'unbindStrategy'>> & {
  baseUrl: string;
  token: string;
  testUserEmail: string;
  retry?: Partial<RetryPolicy>;
  unbindStrategy?: Partial<UnbindStrategy>;
};

/** The defaults of every optional setting. */
export const DEFAULT_CONNECTOR_SETTINGS: Omit<ConnectorSettings, 'baseUrl' | 'token' | 'testUserEmail'> = {
  version: '2.0',
  manageGroups: true,
  updateMethod: 'put',
  userLookupFilter: 'userName eq "{username}"',
  groupLookupFilter: 'displayName eq "{name}"',
  userNameFrom: 'username',
  externalIdFrom: '_id',
  locale: 'en-US',
  passwordExpiredDeactivates: true,
  sendGroupExternalId: false,
  groupRenameMethod: 'put',
  unbindStrategy: { removeMembers: 'patch', orphanedUsers: 'deactivate', group: 'keep' },
  deleteUserOn: 'user-deleted',
  retry: { retries: 3, backoffMs: 200, retryOn: [429, '5xx', 'network'], respectRetryAfter: true, maxRetryAfterMs: 5000 },
  timeoutMs: 10_000,
  contentType: 'application/scim+json',
  accept: 'application/scim+json',
  userAgent: 'gatehouse-jumpcloud-sim',
  testReadsServiceProviderConfig: false,
  syncOnActivate: true,
  logLimit: 1000,
};

function invalid(message: string): TenantError {
  return new TenantError('invalid', `connector settings: ${message}`);
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function bool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false`);
  return value;
}

function count(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw invalid(`${name} must be an integer from 0 to ${max}`);
  return value;
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${name} is required`);
  return value;
}

/** Fills in the defaults and validates (throws TenantError 'invalid', a 400 on the control API). */
export function resolveSettings(input: ConnectorSettingsInput): ConnectorSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('an object is required');
  const d = DEFAULT_CONNECTOR_SETTINGS;
  const known = new Set(['baseUrl', 'token', 'testUserEmail', ...Object.keys(d)]);
  const unknown = Object.keys(input).find((key) => !known.has(key));
  if (unknown !== undefined) throw invalid(`unknown setting "${unknown}"`);
  const baseUrl = text('baseUrl', input.baseUrl).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw invalid('baseUrl must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('baseUrl must be an absolute http(s) URL');
  const testUserEmail = text('testUserEmail', input.testUserEmail);
  if (!/^[^@\s]+@[^@\s]+$/.test(testUserEmail)) throw invalid('testUserEmail must be an e-mail address');
  const version = input.version ?? d.version;
  if (version !== '2.0') throw invalid('version: only "2.0" is simulated');
  const retryIn = input.retry ?? {};
  const retryOn = retryIn.retryOn ?? d.retry.retryOn;
  if (!Array.isArray(retryOn) || retryOn.some((s) => s !== '5xx' && s !== 'network' && !(Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599))) {
    throw invalid('retry.retryOn must list statuses, "5xx" or "network"');
  }
  const unbindIn = input.unbindStrategy ?? {};
  const locale = input.locale === undefined ? d.locale : input.locale;
  if (locale !== null && typeof locale !== 'string') throw invalid('locale must be a string or null');
  const userLookupFilter = input.userLookupFilter === undefined ? d.userLookupFilter : text('userLookupFilter', input.userLookupFilter);
  const groupLookupFilter = input.groupLookupFilter === undefined ? d.groupLookupFilter : text('groupLookupFilter', input.groupLookupFilter);
  return {
    baseUrl,
    token: text('token', input.token),
    version,
    testUserEmail,
    manageGroups: bool('manageGroups', input.manageGroups ?? d.manageGroups),
    updateMethod: oneOf('updateMethod', input.updateMethod ?? d.updateMethod, ['put', 'patch']),
    userLookupFilter,
    groupLookupFilter,
    userNameFrom: oneOf('userNameFrom', input.userNameFrom ?? d.userNameFrom, ['username', 'email']),
    externalIdFrom: oneOf('externalIdFrom', input.externalIdFrom ?? d.externalIdFrom, ['_id', 'employeeIdentifier']),
    locale,
    passwordExpiredDeactivates: bool('passwordExpiredDeactivates', input.passwordExpiredDeactivates ?? d.passwordExpiredDeactivates),
    sendGroupExternalId: bool('sendGroupExternalId', input.sendGroupExternalId ?? d.sendGroupExternalId),
    groupRenameMethod: oneOf('groupRenameMethod', input.groupRenameMethod ?? d.groupRenameMethod, ['put', 'patch']),
    unbindStrategy: {
      removeMembers: oneOf('unbindStrategy.removeMembers', unbindIn.removeMembers ?? d.unbindStrategy.removeMembers, ['patch', 'put', 'none']),
      orphanedUsers: oneOf('unbindStrategy.orphanedUsers', unbindIn.orphanedUsers ?? d.unbindStrategy.orphanedUsers, ['deactivate', 'delete', 'none']),
      group: oneOf('unbindStrategy.group', unbindIn.group ?? d.unbindStrategy.group, ['keep', 'delete']),
    },
    deleteUserOn: oneOf('deleteUserOn', input.deleteUserOn ?? d.deleteUserOn, ['user-deleted', 'access-lost', 'never']),
    retry: {
      retries: count('retry.retries', retryIn.retries ?? d.retry.retries, 20),
      backoffMs: count('retry.backoffMs', retryIn.backoffMs ?? d.retry.backoffMs, 600_000),
      retryOn: [...retryOn],
      respectRetryAfter: bool('retry.respectRetryAfter', retryIn.respectRetryAfter ?? d.retry.respectRetryAfter),
      maxRetryAfterMs: count('retry.maxRetryAfterMs', retryIn.maxRetryAfterMs ?? d.retry.maxRetryAfterMs, 3_600_000),
    },
    timeoutMs: count('timeoutMs', input.timeoutMs ?? d.timeoutMs, 600_000) || d.timeoutMs,
    contentType: text('contentType', input.contentType ?? d.contentType),
    accept: text('accept', input.accept ?? d.accept),
    userAgent: text('userAgent', input.userAgent ?? d.userAgent),
    testReadsServiceProviderConfig: bool('testReadsServiceProviderConfig', input.testReadsServiceProviderConfig ?? d.testReadsServiceProviderConfig),
    syncOnActivate: bool('syncOnActivate', input.syncOnActivate ?? d.syncOnActivate),
    logLimit: count('logLimit', input.logLimit ?? d.logLimit, 1_000_000),
  };
}

/** The settings as shown by the control API: the token is never given back. */
export function presentSettings(settings: ConnectorSettings): Omit<ConnectorSettings, 'token'> & { token: '[REDACTED]' } {
  return { ...structuredClone(settings), token: '[REDACTED]' };
}
