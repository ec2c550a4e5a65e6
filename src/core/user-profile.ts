/**
 * The fields of a user that the rest of Gatehouse reads (and that are indexed), derived from its SCIM
 * document: JumpCloud, Okta and Entra all fill these the same way.
 */
export interface UserProfile {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  emails: string[];
  active: boolean;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function userProfile(attributes: Record<string, unknown>): UserProfile {
  const name = (attributes.name ?? {}) as Record<string, unknown>;
  const emailList = Array.isArray(attributes.emails) ? (attributes.emails as Record<string, unknown>[]) : [];
  const emails = emailList.map((e) => text(e?.value)).filter((v): v is string => v !== null);
  const primary = emailList.find((e) => e?.primary === true && text(e.value));
  return {
    userName: String(attributes.userName ?? ''),
    externalId: text(attributes.externalId),
    displayName: text(attributes.displayName),
    givenName: text(name.givenName),
    familyName: text(name.familyName),
    email: text(primary?.value) ?? emails[0] ?? null,
    emails,
    // RFC 7643: `active` absent means no statement; a provisioned account without it is active
    active: attributes.active !== false,
  };
}

export function groupDisplayName(attributes: Record<string, unknown>): string {
  return String(attributes.displayName ?? '');
}
