import type { Tenant } from '../tenant/tenant.js';
import type { Application, SystemUser } from '../tenant/types.js';
import { IdpError } from './idp-error.js';

/** The user named by an `_id`, an e-mail or a username (in that order), or undefined. */
export function findUser(tenant: Tenant, ref: string): SystemUser | undefined {
  return tenant.users.get(ref) ?? tenant.userByEmail(ref) ?? tenant.userByUsername(ref) ?? tenant.users.find((u) => u.email.toLowerCase() === ref.toLowerCase());
}

/**
 * Who may sign in to an app: an ACTIVATED user (not STAGED, not SUSPENDED) bound to the app directly or
 * through one of its groups, and the app must be active. Throws the matching IdpError otherwise. The
 * password checks of the demo login page are in {@link checkPassword}.
 */
export function assertMaySignIn(tenant: Tenant, app: Application, userRef: string): SystemUser {
  const user = findUser(tenant, userRef);
  if (!user) throw new IdpError('unknown_user', `no user "${userRef}" in this organization`);
  if (!app.active) throw new IdpError('app_inactive', `the application "${app.displayLabel}" is not active`);
  if (user.state !== 'ACTIVATED') throw new IdpError('not_activated', `the account of ${user.email} is ${user.state.toLowerCase()}`);
  if (!tenant.canReach(app._id, user._id)) throw new IdpError('not_assigned', `${user.email} is not assigned to the application "${app.displayLabel}"`);
  return user;
}

/**
 * The demo login page's password check: the simulator-only `password` of the user (the demo seed sets
 * one), a locked account and an expired password are refused. Throws bad_credentials, account_locked or
 * password_expired.
 */
export function checkPassword(tenant: Tenant, email: string, password: string): SystemUser {
  const user = findUser(tenant, email.trim());
  if (!user || user.password === null || user.password !== password) throw new IdpError('bad_credentials', 'the e-mail or password is incorrect');
  if (user.account_locked) throw new IdpError('account_locked', 'this account is locked; contact your administrator');
  if (user.password_expired) throw new IdpError('password_expired', 'your password has expired; reset it in the User Portal');
  return user;
}
