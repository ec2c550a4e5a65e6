import { DomainError } from '../core/errors.js';

/** Which SAML attribute fills which profile field; an unset field falls back to the usual names. */
export interface AttributeMapping {
  email?: string;
  firstName?: string;
  lastName?: string;
  groups?: string;
}

export const MAPPED_FIELDS = ['email', 'firstName', 'lastName', 'groups'] as const;
type Field = (typeof MAPPED_FIELDS)[number];

/** The names tried, case-insensitively, when a connection does not name the attribute (JumpCloud, Okta, Entra, OIDs). */
const DEFAULT_NAMES: Record<Field, string[]> = {
  email: ['email', 'mail', 'emailaddress', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'urn:oid:0.9.2342.19200300.100.1.3'],
  firstName: ['firstname', 'givenname', 'first_name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'urn:oid:2.5.4.42'],
  lastName: ['lastname', 'surname', 'sn', 'familyname', 'last_name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'urn:oid:2.5.4.4'],
  groups: ['groups', 'memberof', 'group', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
};

/** The signed-in user as the SAML assertion describes them. */
export interface SamlProfile {
  nameId: string;
  nameIdFormat: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  groups: string[];
  sessionIndex: string | null;
  /** every attribute, name → values (for the host app) */
  attributes: Record<string, string[]>;
}

/** Checks an admin-supplied mapping: only the four fields, each a 1–512 character attribute name. */
export function validateAttributeMapping(value: unknown): AttributeMapping {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new DomainError('invalid', 'attributeMapping must be an object');
  const out: AttributeMapping = {};
  for (const [key, name] of Object.entries(value)) {
    if (!(MAPPED_FIELDS as readonly string[]).includes(key)) throw new DomainError('invalid', `attributeMapping: unknown field "${key}"`);
    if (name === null) continue;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 512) throw new DomainError('invalid', `attributeMapping.${key} must be an attribute name`);
    out[key as Field] = name.trim();
  }
  return out;
}

function pick(attributes: Record<string, string[]>, field: Field, mapping: AttributeMapping): string[] {
  const names = mapping[field] !== undefined ? [mapping[field]!] : DEFAULT_NAMES[field];
  const byLower = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), v]));
  for (const name of names) {
    const values = byLower.get(name.toLowerCase());
    if (values && values.length > 0) return values;
  }
  return [];
}

/** Maps the signed NameID and attributes to a profile. The email falls back to an email-shaped NameID. */
export function mapProfile(
  input: { nameId: string; nameIdFormat: string | null; sessionIndex: string | null; attributes: Record<string, string[]> },
  mapping: AttributeMapping,
): SamlProfile {
  const first = (field: Field) => pick(input.attributes, field, mapping).find((v) => v.trim() !== '')?.trim() ?? null;
  let email = first('email');
  if (email === null && /^[^@\s]+@[^@\s]+$/.test(input.nameId)) email = input.nameId;
  return {
    nameId: input.nameId,
    nameIdFormat: input.nameIdFormat,
    email,
    firstName: first('firstName'),
    lastName: first('lastName'),
    groups: [...new Set(pick(input.attributes, 'groups', mapping).map((g) => g.trim()).filter((g) => g !== ''))],
    sessionIndex: input.sessionIndex,
    attributes: input.attributes,
  };
}
