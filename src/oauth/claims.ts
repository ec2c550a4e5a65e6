import { createHash } from 'node:crypto';
import type { SamlProfile } from '../saml/attribute-mapping.js';
import type { LinkedUser } from '../saml/provisioned-user.js';

/** What the host app learns about a signed-in user: the userinfo answer and the id_token's claims. */
export interface LoginClaims {
  /** stable per connection and NameID */
  sub: string;
  email: string | null;
  given_name: string | null;
  family_name: string | null;
  name: string | null;
  groups: string[];
  organization: string;
  connection: string;
  name_id: string;
  name_id_format: string | null;
  /** the SCIM-provisioned user the login was linked to, when there is one */
  directory_user_id: string | null;
  directory_id: string | null;
  /** that user's effective roles (group → role mappings), [] when unlinked */
  roles: string[];
}

/** The OIDC subject: SHA-256 of the connection and the NameID, base64url (the NameID is never guessed from email). */
export function subjectOf(connectionId: string, nameId: string): string {
  return createHash('sha256').update(`${connectionId}\u0000${nameId}`, 'utf8').digest('base64url');
}

export function claimsOf(organizationId: string, connectionId: string, profile: SamlProfile, linked: LinkedUser | null): LoginClaims {
  const name = [profile.firstName, profile.lastName].filter((p) => p !== null && p !== '').join(' ');
  return {
    sub: subjectOf(connectionId, profile.nameId),
    email: profile.email,
    given_name: profile.firstName,
    family_name: profile.lastName,
    name: name === '' ? null : name,
    groups: profile.groups,
    organization: organizationId,
    connection: connectionId,
    name_id: profile.nameId,
    name_id_format: profile.nameIdFormat,
    directory_user_id: linked?.directoryUserId ?? null,
    directory_id: linked?.directoryId ?? null,
    roles: linked?.roles ?? [],
  };
}
