/**
 * The records of one simulated JumpCloud organization, as the simulator keeps them in memory. Field names
 * follow JumpCloud's API (jumpcloud-wire.md §C.3, the v1/v2 specs and the recordings), so the console
 * presenters mostly copy; fields that only the simulator uses say so.
 */

/** `state` of a system user. `suspended` is true exactly when state is SUSPENDED. */
export type UserState = 'STAGED' | 'ACTIVATED' | 'SUSPENDED';

/** One of JumpCloud's MFA enrollment statuses (`mfaEnrollment.*Status`). */
export type MfaEnrollmentStatus =
  | 'NOT_ENROLLED'
  | 'DISABLED'
  | 'PENDING_ACTIVATION'
  | 'ENROLLMENT_EXPIRED'
  | 'IN_ENROLLMENT'
  | 'PRE_ENROLLMENT'
  | 'ENROLLED';

/** A phone number of a system user (`phoneNumbers[]`). */
export interface PhoneNumber {
  id: string;
  number: string;
  type: string;
}

/** A postal address of a system user (`addresses[]`). */
export interface Address {
  id: string;
  type: string;
  streetAddress: string;
  locality: string;
  region: string;
  postalCode: string;
  country: string;
  poBox: string;
  extendedAddress: string;
}

/** A custom attribute (`attributes[]`). */
export interface CustomAttribute {
  name: string;
  value: string;
}

/** `mfa` of a system user. */
export interface UserMfa {
  configured: boolean;
  exclusion: boolean;
  /** ISO time, or null when no exclusion window is set */
  exclusionUntil: string | null;
  exclusionDays: number | null;
}

/** `recoveryEmail` of a system user. */
export interface RecoveryEmail {
  address: string;
  verified: boolean;
  verifiedAt: string | null;
}

/** A JumpCloud system user (an end user, `/api/systemusers`). */
export interface SystemUser {
  _id: string;
  username: string;
  email: string;
  firstname: string;
  middlename: string;
  lastname: string;
  displayname: string;
  state: UserState;
  /** true once the user has set a password (a user can be ACTIVATED and not yet activated, as recorded) */
  activated: boolean;
  suspended: boolean;
  account_locked: boolean;
  account_locked_date: string | null;
  password_expired: boolean;
  password_expiration_date: string | null;
  password_never_expires: boolean;
  password_date: string | null;
  alternateEmail: string | null;
  recoveryEmail: RecoveryEmail | null;
  jobTitle: string;
  department: string;
  company: string;
  costCenter: string;
  /** unique per user when set */
  employeeIdentifier: string | null;
  employeeType: string;
  /** the `_id` of another system user, or null */
  manager: string | null;
  location: string;
  description: string;
  phoneNumbers: PhoneNumber[];
  addresses: Address[];
  attributes: CustomAttribute[];
  mfa: UserMfa;
  /** null when the tenant predates MFA enrollment tracking (the recordings have none) */
  mfaEnrollment: { totpStatus: MfaEnrollmentStatus; webAuthnStatus: MfaEnrollmentStatus; pushStatus: MfaEnrollmentStatus; overallStatus: MfaEnrollmentStatus } | null;
  totp_enabled: boolean;
  enable_user_portal_multifactor: boolean;
  created: string;
  /** e.g. "manual", "scim", "csv"; null when unknown (omitted from the API record) */
  creationSource: string | null;
  externally_managed: boolean;
  external_source_type: string;
  external_dn: string;
  /** links the user to a console admin account, or null */
  admin: { id: string; roleName: string; roleNames: string[] } | null;
  tags: string[];
  unix_uid: number;
  unix_guid: number;
  sudo: boolean;
  passwordless_sudo: boolean;
  allow_public_key: boolean;
  samba_service_user: boolean;
  ldap_binding_user: boolean;
  enable_managed_uid: boolean;
  disableDeviceMaxLoginAttempts: boolean;
  systemUsername: string;
  /** simulator only, never served: the password the demo login page accepts (null: no password login) */
  password: string | null;
}

/** A static user group (`/api/v2/usergroups`). */
export interface UserGroup {
  id: string;
  name: string;
  description: string;
  email: string;
  /** GraphAttributes of the group (sudo, ldapGroups, posixGroups, radius…); null when none */
  attributes: Record<string, unknown> | null;
  membershipMethod: 'NOTSET' | 'STATIC' | 'DYNAMIC_REVIEW_REQUIRED' | 'DYNAMIC_AUTOMATED';
  created: string;
}

/** The built-in console admin role names (`roleName` of `/api/users` records). */
export const BUILT_IN_ROLE_NAMES = [
  'Administrator With Billing',
  'Administrator',
  'Manager',
  'Command Runner With Billing',
  'Command Runner',
  'Help Desk',
  'Billing Only',
  'Read Only',
] as const;

/** One of {@link BUILT_IN_ROLE_NAMES}. */
export type BuiltInRoleName = (typeof BUILT_IN_ROLE_NAMES)[number];

/** A console administrator (`/api/users`; not a system user). */
export interface Admin {
  _id: string;
  email: string;
  firstname: string;
  lastname: string;
  /** a built-in role name, or a custom role's name */
  roleName: string;
  /** the `id` of the role record (built-in or custom) */
  role: string;
  enableMultiFactor: boolean;
  totpEnrolled: boolean;
  suspended: boolean;
  apiKeyAllowed: boolean;
  apiKeySet: boolean;
  /** `apiKeyHash.prefix` etc., or null when the admin has no API key */
  apiKey: { prefix: string; createdAt: string; expireAt: string | null } | null;
  provider: string | null;
  created: string;
  passwordUpdatedAt: string | null;
}

/** An admin role (`/api/v2/roles`): the built-in ones (isCustom false) and custom ones. */
export interface Role {
  id: string;
  name: string;
  scopes: string[];
  description: string;
  organizationIds: string[];
  providerId: string | null;
  createdBy: string;
  lastUpdatedBy: string;
  isCustom: boolean;
}

/** The SAML settings of an SSO application (the `config` objects of the API, plus IdP-side settings). */
export interface SamlSettings {
  /** the default ACS URL (`config.acsUrl.value`) */
  acsUrl: string;
  /** more ACS URLs ("JumpCloud supports multiple ACS URLs") */
  additionalAcsUrls: string[];
  spEntityId: string;
  /** the assertion Issuer and metadata entityID; free text, not unique across tenants */
  idpEntityId: string;
  signAssertion: boolean;
  signResponse: boolean;
  signatureAlgorithm: 'RSA-SHA256' | 'RSA-SHA1';
  /** the user field used as NameID ("email" by default; username, firstname, lastname, description) */
  nameIdField: 'email' | 'username' | 'firstname' | 'lastname' | 'description';
  nameIdFormat: string;
  /** SP attribute name → JumpCloud user field (email, firstname, lastname, username, displayname, department…) */
  userAttributes: { name: string; value: string }[];
  constantAttributes: { name: string; value: string }[];
  /** "Include group attribute": one value per user-group name; null when off */
  groupAttributeName: string | null;
  defaultRelayState: string;
  /** when set, the portal tile opens this SP URL instead of an IdP-initiated POST */
  loginUrl: string;
  /** PEM of the SP's certificate for signed AuthnRequests, or null */
  spCertificate: string | null;
}

/** The IdP signing certificate of an app; the SAML module fills the PEMs (see Tenant.recordCertificate). */
export interface AppCertificate {
  /** 1 on creation, +1 on each regeneration; the old pair stops signing at once */
  generation: number;
  notBefore: string;
  notAfter: string;
  certificatePem: string | null;
  privateKeyPem: string | null;
}

/** An SSO application (`/api/applications`). */
export interface Application {
  _id: string;
  /** the catalog template key (e.g. "aws-sso"); not unique per app */
  name: string;
  /** the catalog name */
  displayName: string;
  /** the admin-given label shown in the portals */
  displayLabel: string;
  description: string;
  /** the path part of ssoUrl: `{ssoBase}/saml2/<slug>`; unique in the tenant, fixed at creation */
  slug: string;
  active: boolean;
  beta: boolean;
  color: string | null;
  logoUrl: string;
  learnMore: string;
  created: string;
  sso: { type: 'saml'; jit: boolean; beta: boolean };
  saml: SamlSettings;
  cert: AppCertificate;
}

/** An LDAP server of the tenant (graph type ldap_server; also listed by /api/v2/directories). */
export interface LdapServer {
  id: string;
  name: string;
  userLockoutAction: 'disable' | 'remove';
  userPasswordExpirationAction: 'disable' | 'remove';
}

/** A RADIUS server of the tenant (graph type radius_server). */
export interface RadiusServer {
  _id: string;
  name: string;
  networkSourceIp: string;
  sharedSecret: string;
  mfa: 'DISABLED' | 'ENABLED' | 'REQUIRED' | 'ALWAYS';
  authIdp: 'JUMPCLOUD' | 'AZURE';
  userLockoutAction: string;
  userPasswordExpirationAction: string;
}

/** A JumpCloud organization (`/api/organizations`). */
export interface Organization {
  _id: string;
  /** null when unset, as recorded */
  displayName: string | null;
  logoUrl: string | null;
  created: string;
}

/** The graph target types an application can be bound to. */
export type AppTargetType = 'user_group' | 'user';

/** The directory-server graph types (bindings a directory pull must leave out). */
export type ServerType = 'ldap_server' | 'radius_server';
