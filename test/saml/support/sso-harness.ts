/**
 * Test support for SSO: a Gatehouse, the simulator as JumpCloud (its "acme-portal" app pointed at a
 * Gatehouse connection), a cookie-keeping "browser", and a PKCE test client for the OAuth hand-off.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startSimulator, type Simulator } from '../../../sim/simulator.js';
import { adminClient, http, startTestServer, type TestServer } from '../../support/server.js';
import type { TestDialect } from '../../support/databases.js';
import { decodeRedirectRequest } from './authn-request-decode.js';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const SECOND_REDIRECT_URI = 'http://127.0.0.1:9/other-callback';
export const PORTAL_USER = 'bruno.brennan@acme.example';

export interface Connection {
  id: string;
  spEntityId: string;
  acsUrl: string;
  spMetadataUrl: string;
  loginUrl: string;
  oauth: { clientId: string; clientSecret: string };
  [key: string]: unknown;
}

/** A browser: keeps cookies per origin path "/" and never follows redirects by itself. */
export class Browser {
  readonly cookies = new Map<string, string>();

  private cookieHeader(): string | undefined {
    return this.cookies.size === 0 ? undefined : [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, url: string, options: { form?: Record<string, string>; rawBody?: string; contentType?: string; accept?: string } = {}): Promise<{ status: number; location: string | null; text: string; headers: Headers }> {
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (options.accept) headers.accept = options.accept;
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
    }
    const response = await fetch(url, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return { status: response.status, location: response.headers.get('location'), text: await response.text(), headers: response.headers };
  }

  /** POSTs a SAMLResponse to the ACS as the IdP's auto-submitting form would. */
  postResponse(acsUrl: string, samlResponse: string, relayState?: string | null) {
    return this.request('POST', acsUrl, { form: { SAMLResponse: samlResponse, ...(relayState ? { RelayState: relayState } : {}) }, accept: 'application/json' });
  }
}

/** PKCE pair (S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface SsoWorld {
  server: TestServer;
  sim: Simulator;
  admin: ReturnType<typeof adminClient>;
  orgId: string;
  connection: Connection;
  close(): Promise<void>;
}

/** Gatehouse + simulator; the portal app's ACS and entity ID point at a new connection made from its metadata URL. */
export async function startSsoWorld(dialect: TestDialect, options: { allowIdpInitiated?: boolean; env?: Record<string, string> } = {}): Promise<SsoWorld> {
  const server = await startTestServer(dialect, { GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE: '1', ...options.env });
  const sim = await startSimulator({ seed: 'demo' });
  const admin = adminClient(server);
  const org = await admin.organization('Acme');
  const { tenant, app } = sim.idp.app({ slug: 'acme-portal' });
  const metadataUrl = sim.idp.metadataUrls(tenant, app).advertised;
  const r = await admin.call('POST', `/organizations/${org.id}/sso-connections`, {
    idpMetadataUrl: metadataUrl,
    redirectUris: [REDIRECT_URI, SECOND_REDIRECT_URI],
    allowIdpInitiated: options.allowIdpInitiated ?? false,
  });
  assert.equal(r.status, 201, r.text);
  const connection = r.body as Connection;
  tenant.updateApp(app._id, { saml: { acsUrl: connection.acsUrl, spEntityId: connection.spEntityId } });
  return {
    server,
    sim,
    admin,
    orgId: org.id,
    connection,
    async close() {
      await sim.stop();
      await server.close();
    },
  };
}

/** SP-initiated: /oauth/authorize → the IdP (sign in as `user`) → the ACS. Returns the ACS answer and the PKCE verifier. */
export async function spInitiatedLogin(world: SsoWorld, browser: Browser, options: { user?: string; state?: string; redirectUri?: string; variant?: string | string[] } = {}) {
  const { verifier, challenge } = pkce();
  const state = options.state ?? randomBytes(8).toString('hex');
  const redirectUri = options.redirectUri ?? REDIRECT_URI;
  const authorize = await browser.request(
    'GET',
    `${world.server.url}/oauth/authorize?${new URLSearchParams({ client_id: world.connection.oauth.clientId, redirect_uri: redirectUri, response_type: 'code', state, code_challenge: challenge, code_challenge_method: 'S256', connection: world.connection.id })}`,
  );
  assert.equal(authorize.status, 302, authorize.text);
  const idpUrl = new URL(authorize.location!);
  const relayState = idpUrl.searchParams.get('RelayState')!;
  const samlRequest = idpUrl.searchParams.get('SAMLRequest')!;
  const requestId = decodeRedirectRequest(samlRequest);
  let signed: { acsUrl: string; samlResponse: string; relayState: string | null; xml?: string };
  if (options.variant === undefined) {
    // the simulator's SSO URL itself: it checks the AuthnRequest (signature, Issuer, ACS URL) and signs in the user
    idpUrl.searchParams.set('user', options.user ?? PORTAL_USER);
    idpUrl.searchParams.set('format', 'json');
    const r = await http('GET', idpUrl.toString());
    assert.equal(r.status, 200, r.text);
    signed = { acsUrl: r.body.acsUrl, samlResponse: r.body.SAMLResponse, relayState: r.body.RelayState };
  } else {
    signed = await world.sim.idp.signIn({ slug: 'acme-portal', user: options.user ?? PORTAL_USER, inResponseTo: requestId, relayState, variant: options.variant as never });
  }
  const acs = await browser.postResponse(signed.acsUrl, signed.samlResponse, signed.relayState);
  return { acs, verifier, state, redirectUri, relayState, requestId, signed, idpUrl };
}

/** The code (and state) of a successful ACS answer's redirect. */
export function codeOf(location: string | null): { code: string; state: string | null; base: string } {
  assert.ok(location, 'a redirect');
  const url = new URL(location);
  const code = url.searchParams.get('code');
  assert.ok(code, `a code in ${location}`);
  return { code, state: url.searchParams.get('state'), base: `${url.origin}${url.pathname}` };
}

/** The test client's token request (form, client_secret_post by default). */
export function tokenRequest(world: SsoWorld, params: Record<string, string>, options: { basic?: boolean; json?: boolean } = {}) {
  const { clientId, clientSecret } = world.connection.oauth;
  const body: Record<string, string> = { grant_type: 'authorization_code', ...params };
  const headers: Record<string, string> = {};
  if (options.basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  else Object.assign(body, { client_id: clientId, client_secret: clientSecret }, params);
  if (options.json) return http('POST', `${world.server.url}/oauth/token`, { body, headers });
  return http('POST', `${world.server.url}/oauth/token`, { rawBody: new URLSearchParams(body).toString(), contentType: 'application/x-www-form-urlencoded', headers });
}

/** The latest events of the organization of a type. */
export async function eventsOf(world: SsoWorld, type: string): Promise<any[]> {
  const r = await world.admin.call('GET', `/events?organization=${world.orgId}&type=${type}&limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.body.data;
}

/** The reasons of the organization's sso.login.failed events, oldest first (for assertion messages). */
export async function failureReasons(world: SsoWorld): Promise<string[]> {
  return (await eventsOf(world, 'sso.login.failed')).map((e) => `${e.data.reason}: ${e.data.detail}`);
}
