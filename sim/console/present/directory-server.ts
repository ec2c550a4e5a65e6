import type { LdapServer, RadiusServer } from '../../tenant/types.js';

/** An LDAP server as `/api/v2/ldapservers` returns it. */
export function presentLdapServer(s: LdapServer): Record<string, unknown> {
  return { id: s.id, name: s.name, userLockoutAction: s.userLockoutAction, userPasswordExpirationAction: s.userPasswordExpirationAction };
}

/** An LDAP server as an entry of `/api/v2/directories`. */
export function presentDirectory(s: LdapServer): Record<string, unknown> {
  return { id: s.id, name: s.name, type: 'ldap_server' };
}

/** A RADIUS server as `/api/radiusservers` returns it. */
export function presentRadiusServer(s: RadiusServer, orgId: string): Record<string, unknown> {
  return {
    _id: s._id,
    id: s._id,
    name: s.name,
    networkSourceIp: s.networkSourceIp,
    sharedSecret: s.sharedSecret,
    mfa: s.mfa,
    authIdp: s.authIdp,
    organization: orgId,
    tagNames: [],
    tags: [],
    userLockoutAction: s.userLockoutAction,
    userPasswordExpirationAction: s.userPasswordExpirationAction,
  };
}
