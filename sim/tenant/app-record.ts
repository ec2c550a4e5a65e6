import { templateFor } from './catalog.js';
import { TenantError } from './errors.js';
import type { AppCertificate, Application, SamlSettings } from './types.js';
import type { RecordContext } from './user-record.js';

/** What a new SSO application may be given; displayLabel is required. */
export interface AppInput {
  _id?: string;
  /** the catalog template key; default "custom-saml-app" */
  name?: string;
  displayLabel: string;
  /** default: the template's catalog name */
  displayName?: string;
  description?: string;
  /** the ssoUrl path part; default derived from displayLabel; unique in the tenant */
  slug?: string;
  active?: boolean;
  beta?: boolean;
  color?: string | null;
  logoUrl?: string;
  learnMore?: string;
  created?: string;
  jit?: boolean;
  saml?: Partial<SamlSettings>;
}

/** The patchable fields of an application (slug and name are fixed at creation, as in JumpCloud). */
export type AppPatch = Partial<Omit<AppInput, '_id' | 'slug' | 'name' | 'created'>>;

/** JumpCloud IdP certificates are valid 5 years. */
export const CERT_VALIDITY_YEARS = 5;

/** NameID format used when none is given. */
export const DEFAULT_NAMEID_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** The default IdP Entity ID: "JumpCloud", a value seen in the wild (entity ids are free text per app). */
export const DEFAULT_IDP_ENTITY_ID = 'JumpCloud';

/**
 * The validity of a certificate issued at `at`: from one second before `at` (whole seconds) to 5 years
 * later. This reproduces the recording, where an app created 17:59:00.448Z expires 17:58:59.000Z.
 */
export function certificateWindow(at: Date, generation: number): AppCertificate {
  const notBefore = new Date(Math.floor(at.getTime() / 1000) * 1000 - 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERT_VALIDITY_YEARS);
  return { generation, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString(), certificatePem: null, privateKeyPem: null };
}

/** Lowercase letters, digits and dashes. */
export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'app';
}

function saml(input: Partial<SamlSettings> | undefined): SamlSettings {
  return {
    acsUrl: input?.acsUrl ?? '',
    additionalAcsUrls: input?.additionalAcsUrls ?? [],
    spEntityId: input?.spEntityId ?? '',
    idpEntityId: input?.idpEntityId ?? DEFAULT_IDP_ENTITY_ID,
    signAssertion: input?.signAssertion ?? false,
    signResponse: input?.signResponse ?? true,
    signatureAlgorithm: input?.signatureAlgorithm ?? 'RSA-SHA256',
    nameIdField: input?.nameIdField ?? 'email',
    nameIdFormat: input?.nameIdFormat ?? DEFAULT_NAMEID_FORMAT,
    userAttributes: input?.userAttributes ?? [],
    constantAttributes: input?.constantAttributes ?? [],
    groupAttributeName: input?.groupAttributeName ?? null,
    defaultRelayState: input?.defaultRelayState ?? '',
    loginUrl: input?.loginUrl ?? '',
    spCertificate: input?.spCertificate ?? null,
  };
}

/**
 * Builds a complete application. Signing defaults to "response only" (the older UI's default); the IdP
 * certificate window starts at creation and lasts 5 years; PEMs are left to the certificate issuer.
 */
export function buildApplication(input: AppInput, slug: string, ctx: RecordContext): Application {
  if (typeof input.displayLabel !== 'string' || input.displayLabel.trim() === '') throw new TenantError('invalid', 'displayLabel is required');
  const tpl = templateFor(input.name ?? 'custom-saml-app');
  const created = input.created ?? ctx.now().toISOString();
  return {
    _id: input._id ?? ctx.newId(Date.parse(created)),
    name: tpl.name,
    displayName: input.displayName ?? tpl.displayName,
    displayLabel: input.displayLabel,
    description: input.description ?? '',
    slug,
    active: input.active ?? true,
    beta: input.beta ?? false,
    color: input.color ?? null,
    logoUrl: input.logoUrl ?? tpl.logoUrl,
    learnMore: input.learnMore ?? tpl.learnMore,
    created,
    sso: { type: 'saml', jit: input.jit ?? false, beta: false },
    saml: saml(input.saml),
    cert: certificateWindow(new Date(created), 1),
  };
}

/** Applies a patch to a copy of the app; returns the copy and the changed top-level field names. */
export function patchApplication(app: Application, patch: AppPatch): { app: Application; changed: string[] } {
  const next: Application = { ...app, saml: { ...app.saml } };
  const changed: string[] = [];
  const scalar = ['displayLabel', 'displayName', 'description', 'active', 'beta', 'color', 'logoUrl', 'learnMore'] as const;
  for (const key of scalar) {
    const value = patch[key];
    if (value === undefined || value === app[key]) continue;
    (next as unknown as Record<string, unknown>)[key] = value;
    changed.push(key);
  }
  if (patch.jit !== undefined && patch.jit !== app.sso.jit) {
    next.sso = { ...app.sso, jit: patch.jit };
    changed.push('sso.jit');
  }
  for (const [key, value] of Object.entries(patch.saml ?? {})) {
    if (value === undefined) continue;
    if (!(key in app.saml)) throw new TenantError('invalid', `unknown SAML setting "${key}"`);
    if (JSON.stringify((app.saml as unknown as Record<string, unknown>)[key]) === JSON.stringify(value)) continue;
    (next.saml as unknown as Record<string, unknown>)[key] = value;
    changed.push(`saml.${key}`);
  }
  return { app: next, changed };
}
