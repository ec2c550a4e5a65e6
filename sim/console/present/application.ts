import type { Application } from '../../tenant/types.js';

/** What presenting an application needs besides the record. */
export interface AppPresentContext {
  orgId: string;
  /** the origin of ssoUrl (the simulator's own URL by default) */
  ssoBaseUrl: string;
}

function field(position: number, label: string, type: string, value: unknown, required = false): Record<string, unknown> {
  return { label, position, readOnly: false, required, type, value, visible: true };
}

/**
 * The `config` object: the spec's fields as `{label, position, readOnly, required, type, value, visible}`
 * (the recordings redact config, so the layout follows the v1 spec). The private key is never returned.
 */
function config(app: Application): Record<string, unknown> {
  return {
    acsUrl: field(1, 'ACS URL', 'text', app.saml.acsUrl, true),
    spEntityId: field(2, 'SP Entity ID', 'text', app.saml.spEntityId, true),
    idpEntityId: field(3, 'IdP Entity ID', 'text', app.saml.idpEntityId, true),
    idpCertificate: field(4, 'IdP Certificate', 'file', app.cert.certificatePem ?? ''),
    idpPrivateKey: field(5, 'IdP Private Key', 'file', ''),
    signAssertion: field(6, 'Sign Assertion', 'checkbox', app.saml.signAssertion),
    signResponse: field(7, 'Sign Response', 'checkbox', app.saml.signResponse),
    spErrorFlow: field(8, 'Redirect to SP on error', 'checkbox', false),
    constantAttributes: {
      ...field(9, 'Constant Attributes', 'list', app.saml.constantAttributes.map((a) => ({ name: a.name, value: a.value, readOnly: false, required: false, visible: true }))),
      mutable: true,
    },
    databaseAttributes: { position: 10 },
  };
}

/** An SSO application as `/api/applications` returns it (recorded key order). */
export function presentApplication(app: Application, ctx: AppPresentContext): Record<string, unknown> {
  const sso: Record<string, unknown> = { jit: app.sso.jit, beta: app.sso.beta, type: app.sso.type, idpCertExpirationAt: app.cert.notAfter };
  if (app.cert.generation > 1) sso.idpCertificateUpdatedAt = app.cert.notBefore;
  return {
    _id: app._id,
    id: app._id,
    active: app.active,
    name: app.name,
    displayName: app.displayName,
    displayLabel: app.displayLabel,
    beta: app.beta,
    color: app.color,
    organization: ctx.orgId,
    logo: { url: app.logoUrl },
    ssoUrl: `${ctx.ssoBaseUrl}/saml2/${app.slug}`,
    learnMore: app.learnMore,
    description: app.description,
    config: config(app),
    databaseAttributes: [],
    created: app.created,
    sso,
  };
}
