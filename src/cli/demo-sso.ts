import type { Runtime } from '../runtime.js';

/** The redirect URI the demo registers: where a host app on localhost:3000 would take the code. */
export const DEMO_REDIRECT_URI = 'http://localhost:3000/callback';
const DEMO_CONNECTION_NAME = 'Acme Portal (JumpCloud simulator)';

interface SimApp {
  appId: string;
  metadataUrl: string;
}

/**
 * `serve --demo`, SSO part: an SSO connection of the demo organization for the simulator's "acme-portal"
 * app (its IdP metadata read from the simulator), and the app pointed back at it through the simulator's
 * control API (ACS URL, SP entity ID, and the connection's login URL as the portal tile's Login URL).
 * The simulator makes new IdP keys every run, so a restarted demo replaces its connection (and shows the
 * new client secret). Returns the lines to print.
 */
export async function demoSsoConnection(runtime: Runtime, organizationId: string, consoleUrl: string, slug: string): Promise<string[]> {
  const { gatehouse } = runtime;
  const appAnswer = await fetch(`${consoleUrl}/sim/saml/apps/${slug}`, { signal: AbortSignal.timeout(10_000) });
  if (!appAnswer.ok) throw new Error(`the simulator does not know the app "${slug}" (${appAnswer.status})`);
  const app = (await appAnswer.json()) as SimApp;
  const metadata = await fetch(app.metadataUrl, { signal: AbortSignal.timeout(10_000) });
  if (!metadata.ok) throw new Error(`the simulator's metadata URL answered ${metadata.status}`);
  const idpMetadataXml = await metadata.text();

  const existing = await gatehouse.ssoConnections.list(organizationId, 500);
  for (const c of existing.data) if (c.name === DEMO_CONNECTION_NAME) await gatehouse.ssoConnections.delete(c.id);
  const connection = await gatehouse.ssoConnections.create(organizationId, { name: DEMO_CONNECTION_NAME, idpMetadataXml, redirectUris: [DEMO_REDIRECT_URI], allowIdpInitiated: true });

  const patch = await fetch(`${consoleUrl}/sim/apps/${app.appId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ saml: { acsUrl: connection.acsUrl, spEntityId: connection.spEntityId, loginUrl: connection.loginUrl } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!patch.ok) throw new Error(`the simulator refused the app update (${patch.status}: ${await patch.text()})`);

  const base = runtime.gatehouse.config.publicUrl;
  return [
    '',
    `SSO: connection ${connection.id} for the simulator's "${slug}" app (IdP-initiated allowed; the app's ACS, entity ID and Login URL point here).`,
    `  Login URL (the portal tile; signs in at the simulator, password demo users: see sim/README.md): ${connection.loginUrl}`,
    `  OAuth client: client_id ${connection.oauth.clientId}  client_secret ${connection.clientSecret}  (the secret is shown only now)`,
    `  The code lands at ${DEMO_REDIRECT_URI}?code=…; redeem it within 60 s:`,
    `    curl -s ${base}/oauth/token -d grant_type=authorization_code -d code=<code> -d redirect_uri=${DEMO_REDIRECT_URI} -u ${connection.oauth.clientId}:<client_secret>`,
    `  OIDC discovery: ${base}/.well-known/openid-configuration · SP metadata: ${connection.spMetadataUrl}`,
  ];
}
