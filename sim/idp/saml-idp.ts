import type { Cloud } from '../tenant/cloud.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Application, SystemUser } from '../tenant/types.js';
import { claimsFor } from './assertion-claims.js';
import { acsUrlFor, acsUrlsOf, type AuthnRequest } from './authn-request.js';
import { generateSigningPair, type SigningPair } from './certificates.js';
import { IdpError } from './idp-error.js';
import { DEFAULT_IDP_OPTIONS, type IdpOptions } from './idp-options.js';
import { DEFAULT_CERT_SUBJECT, SigningKeyStore, type AppSigningPair } from './key-store.js';
import { buildMetadata, metadataFileName } from './metadata.js';
import { buildResponse, type BuiltResponse, type ResponseOptions, type SigningMode } from './response-builder.js';
import { applyVariants, isVariantName, type ResponseVariantName } from './response-variants.js';
import { samlId } from './saml-xml.js';
import { assertMaySignIn } from './sign-in-policy.js';

/** Where the IdP runs: the simulator's organizations and URLs. */
export interface IdpHost {
  cloud: Cloud;
  /** the organization looked at first when a request names none */
  primaryOrgId: string;
  /** the origin of the SSO URLs: `{ssoBaseUrl}/saml2/<slug>` */
  ssoBaseUrl(): string;
  /** the console origin (the metadata URL under /api) */
  consoleUrl(): string;
}

/** An app named by id or slug, optionally in a given organization (default: the primary one, then any). */
export interface AppRef {
  appId?: string;
  slug?: string;
  orgId?: string;
}

/** A sign-in to ask the IdP for ("sign in as": no password). */
export interface SignInRequest extends AppRef {
  /** the user's `_id`, e-mail or username */
  user: string;
  /** echoed to the ACS; IdP-initiated sign-ins default to the app's Default RelayState (none when empty) */
  relayState?: string | null;
  /** the AuthnRequest ID for an SP-initiated sign-in (Response and SubjectConfirmationData InResponseTo) */
  inResponseTo?: string | null;
  /** a parsed AuthnRequest (SP-initiated): its ID, Issuer and ACS URL are checked and used */
  authnRequest?: AuthnRequest | null;
  /** one of the app's ACS URLs (default: the request's, else the app's default URL) */
  acsUrl?: string;
  /** named changes for the attack catalog, applied in order (response-variants.ts) */
  variant?: ResponseVariantName | ResponseVariantName[];
  /** raw ResponseOptions fields laid over the result (after the variants) */
  overrides?: Partial<ResponseOptions>;
}

/** A signed (or deliberately broken) response, ready for the HTTP-POST binding. */
export interface SignInResult {
  /** where the browser POSTs it */
  acsUrl: string;
  /** the `SAMLResponse` form value (base64) */
  samlResponse: string;
  /** the `RelayState` form value, or null for none */
  relayState: string | null;
  xml: string;
  responseId: string;
  assertionId: string | null;
  inResponseTo: string | null;
  orgId: string;
  appId: string;
  slug: string;
  userId: string;
  email: string;
  /** the names of the variants applied */
  variants: ResponseVariantName[];
}

/** The metadata URLs of an app (both are served; `advertised` is the one "Copy Metadata URL" gives). */
export interface MetadataUrls {
  console: string;
  slug: string;
  advertised: string;
}

/** What a sign-in signs, from the app's `signResponse` / `signAssertion` (neither: the response, as JumpCloud always signs). */
export function signingModeOf(app: Application): SigningMode {
  const { signResponse, signAssertion } = app.saml;
  return signResponse && signAssertion ? 'both' : signAssertion ? 'assertion' : 'response';
}

/**
 * The simulator's JumpCloud SAML 2.0 IdP as a library: per-app signing keys (key-store.ts), metadata, and
 * sign-ins that produce HTTP-POST responses. The HTTP routes (idp-routes.ts) and the control routes
 * (idp-control-routes.ts) call it; tests can call it directly (`sim.idp.signIn({...})`).
 */
export class SamlIdp {
  readonly options: IdpOptions;
  readonly keys: SigningKeyStore;
  readonly #host: IdpHost;
  #attacker: Promise<SigningPair> | null = null;

  constructor(host: IdpHost, options: Partial<IdpOptions> = {}, keys: SigningKeyStore = new SigningKeyStore()) {
    this.#host = host;
    this.options = { ...DEFAULT_IDP_OPTIONS, ...options };
    this.keys = keys;
  }

  /** The tenants to search: the named one, else the primary one first, then the others. */
  #tenants(orgId?: string): Tenant[] {
    if (orgId) return [this.#host.cloud.tenant(orgId)];
    const primary = this.#host.cloud.tenants.get(this.#host.primaryOrgId);
    return [...(primary ? [primary] : []), ...[...this.#host.cloud.tenants.values()].filter((t) => t !== primary)];
  }

  /** The app (and its tenant) named by id or slug; throws unknown_app. */
  app(ref: AppRef): { tenant: Tenant; app: Application } {
    let tenants: Tenant[];
    try {
      tenants = this.#tenants(ref.orgId);
    } catch {
      throw new IdpError('unknown_app', `no organization has id ${ref.orgId}`);
    }
    for (const tenant of tenants) {
      const app = ref.appId ? tenant.apps.get(ref.appId) : ref.slug ? tenant.appBySlug(ref.slug) : undefined;
      if (app) return { tenant, app };
    }
    throw new IdpError('unknown_app', `no SSO application ${ref.appId ? `has id ${ref.appId}` : `uses the SSO URL slug "${ref.slug ?? ''}"`}`);
  }

  /** `{ssoBaseUrl}/saml2/<slug>`: the IdP SSO URL of both bindings. */
  ssoUrl(app: Application): string {
    return `${this.#host.ssoBaseUrl()}/saml2/${app.slug}`;
  }

  /** The metadata URLs of an app. */
  metadataUrls(tenant: Tenant, app: Application): MetadataUrls {
    const console = `${this.#host.consoleUrl()}/api/organizations/${tenant.orgId}/applications/${app._id}/metadata.xml`;
    const slug = `${this.ssoUrl(app)}/metadata`;
    return { console, slug, advertised: this.options.metadataUrlStyle === 'slug' ? slug : console };
  }

  /** The signing key and certificate of the app's current generation (generated on first use). */
  signingPair(tenant: Tenant, app: Application): Promise<AppSigningPair> {
    return this.keys.pairFor(tenant, app);
  }

  /** The app's IdP metadata XML (see metadata.ts). */
  async metadata(tenant: Tenant, app: Application): Promise<string> {
    const pair = await this.signingPair(tenant, app);
    const formats = this.options.metadataNameIdFormats === 'app' ? [app.saml.nameIdFormat] : this.options.metadataNameIdFormats;
    return buildMetadata({
      entityId: app.saml.idpEntityId,
      certificatePem: pair.certificatePem,
      ssoUrl: this.ssoUrl(app),
      bindings: this.options.metadataBindings,
      nameIdFormats: formats,
      wantAuthnRequestsSigned: this.options.requireSignedAuthnRequests,
    });
  }

  /** `JumpCloud-<name>-metadata.xml`. */
  metadataFileName(app: Application): string {
    return metadataFileName(app);
  }

  /** A key pair no app has (for the "attacker-key" variant); made once per IdP. */
  attackerPair(): Promise<SigningPair> {
    this.#attacker ??= generateSigningPair({ ...DEFAULT_CERT_SUBJECT, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 5 * 365 * 86_400_000) });
    return this.#attacker;
  }

  /**
   * The options of the valid response JumpCloud would send this user for this app (before variants): the
   * app's signing mode, algorithm, NameID and attributes, the IdP-wide formats and lifetimes.
   */
  async responseOptions(tenant: Tenant, app: Application, user: SystemUser, target: { acsUrl: string; inResponseTo: string | null }): Promise<ResponseOptions> {
    const pair = await this.signingPair(tenant, app);
    const claims = claimsFor(tenant, app, user, this.options);
    return {
      issuer: app.saml.idpEntityId,
      destination: target.acsUrl,
      recipient: target.acsUrl,
      audience: app.saml.spEntityId === '' ? null : app.saml.spEntityId,
      inResponseTo: target.inResponseTo,
      nameId: claims.nameId,
      nameIdFormat: claims.nameIdFormat,
      attributes: claims.attributes,
      attributeNameFormat: this.options.attributeNameFormat,
      attributeValueType: this.options.attributeValueType,
      now: this.options.clock(),
      lifetimeSeconds: this.options.assertionLifetimeSeconds,
      notBeforeSkewSeconds: this.options.notBeforeSkewSeconds,
      sessionIndex: samlId(),
      prefixes: this.options.prefixes,
      signing: { mode: signingModeOf(app), privateKeyPem: pair.privateKeyPem, certificatePem: pair.certificatePem, algorithm: app.saml.signatureAlgorithm },
    };
  }

  /**
   * Signs a user in to an app without a password and returns the HTTP-POST response. Only an ACTIVATED
   * user bound to the app (directly or through a group) may sign in (IdpError otherwise). With an
   * `authnRequest` (SP-initiated) the request's Issuer and ACS URL are checked against the app and its ID
   * becomes InResponseTo; without one the sign-in is IdP-initiated (no InResponseTo unless given).
   */
  async signIn(request: SignInRequest): Promise<SignInResult> {
    const { tenant, app } = this.app(request);
    const user = assertMaySignIn(tenant, app, request.user);
    const authn = request.authnRequest ?? null;
    let acsUrl = acsUrlFor(authn, app, { checkIssuer: this.options.checkRequestIssuer, checkAcsUrl: this.options.checkRequestAcsUrl });
    if (request.acsUrl !== undefined) {
      if (!acsUrlsOf(app).includes(request.acsUrl)) throw new IdpError('invalid_request', `"${request.acsUrl}" is not an ACS URL of the application "${app.displayLabel}"`);
      acsUrl = request.acsUrl;
    }
    const inResponseTo = request.inResponseTo !== undefined ? request.inResponseTo : authn ? authn.id : null;
    const names = request.variant === undefined ? [] : Array.isArray(request.variant) ? request.variant : [request.variant];
    for (const name of names) if (!isVariantName(name)) throw new IdpError('invalid_request', `unknown response variant "${String(name)}"`);

    let options = await this.responseOptions(tenant, app, user, { acsUrl, inResponseTo });
    options = await applyVariants(options, names, { now: new Date(options.now ?? Date.now()), attackerPair: () => this.attackerPair() });
    if (request.overrides) options = { ...options, ...request.overrides, signing: { ...options.signing, ...request.overrides.signing } };
    const built: BuiltResponse = buildResponse(options);

    const relayState = request.relayState !== undefined && request.relayState !== null ? request.relayState : authn ? null : app.saml.defaultRelayState || null;
    return {
      acsUrl,
      samlResponse: built.base64,
      relayState,
      xml: built.xml,
      responseId: built.responseId,
      assertionId: built.assertionId,
      inResponseTo: options.inResponseTo ?? null,
      orgId: tenant.orgId,
      appId: app._id,
      slug: app.slug,
      userId: user._id,
      email: user.email,
      variants: [...names],
    };
  }
}
