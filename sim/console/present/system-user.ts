import type { SystemUser } from '../../tenant/types.js';

/**
 * A system user as `/api/systemusers` returns it. The keys and their order follow the recordings; fields
 * the recorded user did not have (alternateEmail, recoveryEmail, manager, password dates, mfaEnrollment,
 * tags, admin, creationSource) appear only when set, as JumpCloud omits unset optional fields.
 * `password` is never served.
 */
export function presentSystemUser(u: SystemUser): Record<string, unknown> {
  const mfa: Record<string, unknown> = { exclusion: u.mfa.exclusion, configured: u.mfa.configured };
  if (u.mfa.exclusionUntil !== null) mfa.exclusionUntil = u.mfa.exclusionUntil;
  if (u.mfa.exclusionDays !== null) mfa.exclusionDays = u.mfa.exclusionDays;
  const record: Record<string, unknown> = {
    account_locked: u.account_locked,
    account_locked_date: u.account_locked_date,
    activated: u.activated,
    addresses: u.addresses.map((a) => ({ ...a })),
    allow_public_key: u.allow_public_key,
    attributes: u.attributes.map((a) => ({ ...a })),
    company: u.company,
    costCenter: u.costCenter,
    department: u.department,
    description: u.description,
    disableDeviceMaxLoginAttempts: u.disableDeviceMaxLoginAttempts,
    displayname: u.displayname,
    email: u.email,
    employeeIdentifier: u.employeeIdentifier,
    employeeType: u.employeeType,
    enable_managed_uid: u.enable_managed_uid,
    enable_user_portal_multifactor: u.enable_user_portal_multifactor,
    external_dn: u.external_dn,
    external_source_type: u.external_source_type,
    externally_managed: u.externally_managed,
    firstname: u.firstname,
    jobTitle: u.jobTitle,
    lastname: u.lastname,
    ldap_binding_user: u.ldap_binding_user,
    location: u.location,
    mfa,
    middlename: u.middlename,
    password_never_expires: u.password_never_expires,
    passwordless_sudo: u.passwordless_sudo,
    phoneNumbers: u.phoneNumbers.map((p) => ({ ...p })),
    samba_service_user: u.samba_service_user,
    ssh_keys: [],
    state: u.state,
    sudo: u.sudo,
    suspended: u.suspended,
    systemUsername: u.systemUsername,
    unix_guid: u.unix_guid,
    unix_uid: u.unix_uid,
    username: u.username,
  };
  if (u.alternateEmail !== null) record.alternateEmail = u.alternateEmail;
  if (u.recoveryEmail !== null) {
    const { address, verified, verifiedAt } = u.recoveryEmail;
    record.recoveryEmail = verifiedAt === null ? { address, verified } : { address, verified, verifiedAt };
  }
  if (u.manager !== null) record.manager = u.manager;
  if (u.password_date !== null) record.password_date = u.password_date;
  if (u.password_expiration_date !== null) record.password_expiration_date = u.password_expiration_date;
  if (u.mfaEnrollment !== null) record.mfaEnrollment = { ...u.mfaEnrollment };
  if (u.tags.length > 0) record.tags = [...u.tags];
  if (u.admin !== null) record.admin = { ...u.admin, roleNames: [...u.admin.roleNames] };
  if (u.creationSource !== null) record.creationSource = u.creationSource;
  record.created = u.created;
  record.password_expired = u.password_expired;
  record.totp_enabled = u.totp_enabled;
  record._id = u._id;
  record.id = u._id;
  return record;
}
