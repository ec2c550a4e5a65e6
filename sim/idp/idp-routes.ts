import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Cloud } from '../tenant/cloud.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Application } from '../tenant/types.js';
import { acsUrlFor, decodeSamlRequest, parseAuthnRequest, verifyPostSignature, verifyRedirectSignature, type AuthnRequest, type RequestBinding } from './authn-request.js';
import { IdpError } from './idp-error.js';
import { autoPostPage, errorPage, loginPage } from './idp-pages.js';
import { PendingSignIns } from './pending-sign-ins.js';
import type { SamlIdp, SignInResult } from './saml-idp.js';
import { checkPassword } from './sign-in-policy.js';

type Params = Record<string, string>;

/** The first string value of each parameter (repeated parameters keep their first value). */
function flat(value: unknown): Params {
  const out: Params = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** true when the caller wants JSON instead of HTML: `format=json`, or an Accept of JSON without HTML. */
function wantsJson(request: FastifyRequest, params: Params): boolean {
  if (params.format === 'json') return true;
  if (params.format === 'html') return false;
  const accept = String(request.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** The JSON form of a sign-in (the `format=json` answer of /saml2/<slug>, and of POST /sim/saml/login). */
export function signInJson(result: SignInResult): Record<string, unknown> {
  const { samlResponse, relayState, ...rest } = result;
  return { binding: 'HTTP-POST', ...rest, SAMLResponse: samlResponse, RelayState: relayState };
}

function sendResult(reply: FastifyReply, result: SignInResult, json: boolean): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (json) return reply.code(200).send(signInJson(result));
  return reply.code(200).type('text/html; charset=utf-8').send(autoPostPage(result.acsUrl, result.samlResponse, result.relayState));
}

function sendError(reply: FastifyReply, error: unknown, json: boolean, app: Application | null): FastifyReply {
  if (!(error instanceof IdpError)) throw error;
  reply.header('cache-control', 'no-store');
  if (json) return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
  return reply.code(error.status).type('text/html; charset=utf-8').send(errorPage(error, app));
}

/**
 * Reads and checks the AuthnRequest of an SP-initiated visit: decoded per binding, parsed, its signature
 * verified against the app's SP certificate when signed requests are required, and its Issuer and ACS URL
 * checked against the app (so the login page is not shown for a request that will fail).
 */
function authnRequestOf(idp: SamlIdp, app: Application, request: FastifyRequest, params: Params, binding: RequestBinding): AuthnRequest {
  const samlRequest = params.SAMLRequest ?? '';
  const rawQuery = (request.raw.url ?? '').split('?')[1] ?? '';
  const signedByQuery = binding === 'HTTP-Redirect' && params.Signature !== undefined;
  const xml = decodeSamlRequest(samlRequest, binding);
  const authn = parseAuthnRequest(xml, binding, signedByQuery);
  if (idp.options.requireSignedAuthnRequests) {
    const cert = app.saml.spCertificate;
    if (!cert) throw new IdpError('invalid_request', 'signed AuthnRequests are required but the application has no SP certificate');
    const valid = binding === 'HTTP-Redirect' ? verifyRedirectSignature(rawQuery, cert) : verifyPostSignature(xml, cert);
    if (!valid) throw new IdpError('invalid_request', 'the AuthnRequest signature is missing or invalid');
  }
  acsUrlFor(authn, app, { checkIssuer: idp.options.checkRequestIssuer, checkAcsUrl: idp.options.checkRequestAcsUrl });
  return authn;
}

/** Is the console API key in x-api-key allowed to read this organization? */
function apiKeyReaches(cloud: Cloud, request: FastifyRequest, orgId: string): boolean {
  const key = cloud.keys.get(String(request.headers['x-api-key'] ?? ''));
  return key !== undefined && key.orgIds.includes(orgId);
}

/**
 * The IdP's browser-facing routes (a Fastify plugin, registered at the root; form bodies are parsed here
 * only):
 *
 * - `GET|POST /saml2/<slug>`: the SSO URL of both bindings.
 *   - With `SAMLRequest` (deflated on GET = HTTP-Redirect, plain or deflated on POST = HTTP-POST; plus
 *     `RelayState`, `SigAlg`, `Signature`): SP-initiated. The request's Issuer must be the app's SP Entity
 *     ID and its ACS URL one of the app's; the response answers it (InResponseTo = its ID).
 *   - Without: IdP-initiated (the user-portal tile). An app with a Login URL redirects there (302) instead,
 *     unless `user` is given; RelayState defaults to the app's Default RelayState.
 *   - `user=<id|email|username>` (simulator only, `allowUserParameter`) signs that user in without a
 *     password; otherwise the demo login page is shown.
 *   - The answer is the auto-submitting form POSTing `SAMLResponse` (+ `RelayState`) to the ACS URL, or,
 *     with `format=json` (or `Accept: application/json`), `{acsUrl, SAMLResponse, RelayState, xml, …}`.
 *   - Refusals (user not ACTIVATED, not bound to the app, unknown user): a JumpCloud-like error page with
 *     403 (JSON `{"error":{"code","message"}}`); bad requests 400; unknown slug 404.
 *   - `?org=<orgId>` picks the organization (default: the primary one, then any with that slug).
 * - `POST /saml2/<slug>/login` `{pending, email, password}`: the demo login page's form (the password is
 *   the user's simulator-only `password`; locked accounts and expired passwords are refused).
 * - `GET /saml2/<slug>/metadata` and `GET /api/organizations/<orgId>/applications/<appId>/metadata.xml`:
 *   the app's IdP metadata, as the download `JumpCloud-<name>-metadata.xml` (the second needs `x-api-key`
 *   only with `metadataRequiresApiKey`).
 */
export function idpRoutes(idp: SamlIdp, cloud: Cloud) {
  const pending = new PendingSignIns();

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const findApp = (request: FastifyRequest, slug: string): { tenant: Tenant; app: Application } => {
      const org = flat(request.query).org;
      return idp.app({ slug, orgId: org || undefined });
    };

    const sso = async (request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply, binding: RequestBinding) => {
      const params = { ...flat(request.query), ...(binding === 'HTTP-POST' ? flat(request.body) : {}) };
      const json = wantsJson(request, params);
      let found: { tenant: Tenant; app: Application } | null = null;
      try {
        found = findApp(request, request.params.slug);
        const { tenant, app: application } = found;
        let authn: AuthnRequest | null = null;
        if (params.SAMLRequest !== undefined) authn = authnRequestOf(idp, application, request, params, binding);
        const user = idp.options.allowUserParameter ? params.user : undefined;
        if (!authn && !user && idp.options.honorLoginUrl && application.saml.loginUrl !== '') return reply.redirect(application.saml.loginUrl, 302);
        const relayState = params.RelayState ?? null;
        if (user) return sendResult(reply, await idp.signIn({ orgId: tenant.orgId, appId: application._id, user, authnRequest: authn, relayState }), json);
        if (json) throw new IdpError('invalid_request', 'no user: pass user=<id|email|username> or sign in on the login page');
        const id = pending.add({ orgId: tenant.orgId, appId: application._id, authnRequest: authn, relayState });
        return reply.code(200).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(loginPage(application, `/saml2/${application.slug}/login`, id));
      } catch (error) {
        return sendError(reply, error, json, found?.app ?? null);
      }
    };

    app.get<{ Params: { slug: string } }>('/saml2/:slug', (request, reply) => sso(request, reply, 'HTTP-Redirect'));
    app.post<{ Params: { slug: string } }>('/saml2/:slug', (request, reply) => sso(request, reply, 'HTTP-POST'));

    app.post<{ Params: { slug: string } }>('/saml2/:slug/login', async (request, reply) => {
      const params = flat(request.body);
      const entry = pending.get(params.pending ?? '');
      let application: Application | null = null;
      try {
        if (!entry) throw new IdpError('invalid_request', 'this sign-in has expired; go back to the application and start again');
        const { tenant, app: found } = idp.app({ orgId: entry.orgId, appId: entry.appId });
        application = found;
        let user;
        try {
          user = checkPassword(tenant, params.email ?? '', params.password ?? '');
        } catch (error) {
          if (!(error instanceof IdpError)) throw error;
          return reply.code(error.status).type('text/html; charset=utf-8').send(loginPage(found, `/saml2/${found.slug}/login`, params.pending ?? '', error, params.email ?? ''));
        }
        const result = await idp.signIn({ orgId: tenant.orgId, appId: found._id, user: user._id, authnRequest: entry.authnRequest, relayState: entry.relayState });
        pending.delete(params.pending ?? '');
        return sendResult(reply, result, false);
      } catch (error) {
        return sendError(reply, error, false, application);
      }
    });

    const sendMetadata = async (reply: FastifyReply, tenant: Tenant, application: Application) => {
      const xml = await idp.metadata(tenant, application);
      return reply
        .code(200)
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${idp.metadataFileName(application)}"`)
        .send(xml);
    };

    app.get<{ Params: { slug: string } }>('/saml2/:slug/metadata', async (request, reply) => {
      try {
        const { tenant, app: application } = findApp(request, request.params.slug);
        return await sendMetadata(reply, tenant, application);
      } catch (error) {
        return sendError(reply, error, true, null);
      }
    });

    app.get<{ Params: { id: string; appId: string } }>('/api/organizations/:id/applications/:appId/metadata.xml', async (request, reply) => {
      if (idp.options.metadataRequiresApiKey && !apiKeyReaches(cloud, request, request.params.id)) return reply.code(401).send({ message: 'Unauthorized' });
      try {
        const { tenant, app: application } = idp.app({ orgId: request.params.id, appId: request.params.appId });
        return await sendMetadata(reply, tenant, application);
      } catch (error) {
        return sendError(reply, error, true, null);
      }
    });
  };
}
