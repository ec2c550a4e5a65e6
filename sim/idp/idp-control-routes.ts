import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdpError } from './idp-error.js';
import { signInJson } from './idp-routes.js';
import type { ResponseOptions } from './response-builder.js';
import { RESPONSE_VARIANTS, type ResponseVariantName } from './response-variants.js';
import { signingModeOf, type AppRef, type SamlIdp } from './saml-idp.js';

interface LoginBody {
  appId?: string;
  slug?: string;
  /** an app id or slug */
  app?: string;
  org?: string;
  user?: string;
  relayState?: string | null;
  inResponseTo?: string | null;
  acsUrl?: string;
  variant?: ResponseVariantName | ResponseVariantName[];
  overrides?: Partial<ResponseOptions>;
}

function appRef(body: { appId?: string; slug?: string; app?: string; org?: string }): AppRef {
  const orgId = body.org || undefined;
  if (body.appId) return { appId: body.appId, orgId };
  if (body.slug) return { slug: body.slug, orgId };
  if (body.app) return /^[0-9a-f]{24}$/i.test(body.app) ? { appId: body.app, orgId } : { slug: body.app, orgId };
  throw new IdpError('invalid_request', 'name the application: appId, slug or app');
}

/**
 * The IdP's part of the control API (a Fastify plugin mounted at /sim/saml; JSON; errors
 * `{"error":{"code","message"}}` with 400 invalid_request, 403 refusals, 404 unknown_app):
 *
 * - `POST /sim/saml/login` `{appId | slug | app, user, org?, relayState?, inResponseTo?, acsUrl?, variant?,
 *   overrides?}` → 200 `{binding, acsUrl, SAMLResponse, RelayState, xml, responseId, assertionId,
 *   inResponseTo, orgId, appId, slug, userId, email, variants}`: "sign in as" without a password, with
 *   the same access rules as the SSO URL (ACTIVATED and bound, else 403). `variant` is a name or a list of
 *   names from `GET /sim/saml/variants`; `overrides` are raw response-builder fields (times as ISO strings).
 * - `GET /sim/saml/apps/:app` (id or slug; `?org=`) → the app's IdP facts: entity IDs, SSO and metadata
 *   URLs, ACS URLs, signing mode and algorithm, and the current certificate and private key (PEM,
 *   generated on first use) with its generation and window.
 * - `GET /sim/saml/variants` → `{name: {catalog, expect}}`.
 */
export function idpControlRoutes(idp: SamlIdp) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(async (error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof IdpError) return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      return reply.code(status).send({ error: { code: status < 500 ? 'invalid_request' : 'internal', message: (error as Error).message } });
    });

    app.post('/login', async (request) => {
      const body = (request.body ?? {}) as LoginBody;
      if (typeof body !== 'object' || Array.isArray(body)) throw new IdpError('invalid_request', 'the body must be a JSON object');
      if (typeof body.user !== 'string' || body.user === '') throw new IdpError('invalid_request', 'user (an id, e-mail or username) is required');
      const result = await idp.signIn({
        ...appRef(body),
        user: body.user,
        relayState: body.relayState,
        inResponseTo: body.inResponseTo,
        acsUrl: body.acsUrl,
        variant: body.variant,
        overrides: body.overrides,
      });
      return signInJson(result);
    });

    app.get<{ Params: { app: string }; Querystring: { org?: string } }>('/apps/:app', async (request) => {
      const { tenant, app: application } = idp.app(appRef({ app: request.params.app, org: request.query.org }));
      const pair = await idp.signingPair(tenant, application);
      return {
        orgId: tenant.orgId,
        appId: application._id,
        slug: application.slug,
        idpEntityId: application.saml.idpEntityId,
        spEntityId: application.saml.spEntityId,
        ssoUrl: idp.ssoUrl(application),
        metadataUrl: idp.metadataUrls(tenant, application).advertised,
        metadataUrls: idp.metadataUrls(tenant, application),
        acsUrls: [application.saml.acsUrl, ...application.saml.additionalAcsUrls].filter((u) => u !== ''),
        signing: signingModeOf(application),
        signatureAlgorithm: application.saml.signatureAlgorithm,
        certificate: { generation: pair.generation, notBefore: pair.notBefore, notAfter: pair.notAfter, certificatePem: pair.certificatePem, privateKeyPem: pair.privateKeyPem },
      };
    });

    app.get('/variants', async () => Object.fromEntries(Object.entries(RESPONSE_VARIANTS).map(([name, spec]) => [name, { catalog: spec.catalog, expect: spec.expect }])));
  };
}
