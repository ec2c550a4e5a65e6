/** The simulator's SAML 2.0 IdP: metadata, signing modes, SP- and IdP-initiated sign-ins, rotation, refusals, variants. */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo, type SamlConfig } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { buildResponse } from '../../sim/idp/response-builder.js';
import { generateSigningPair } from '../../sim/idp/certificates.js';
import { DEMO_PASSWORD } from '../../sim/seed/demo.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import type { Application } from '../../sim/tenant/types.js';

type Rec = Record<string, unknown>;

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const ALICE = 'alice.anders@acme.example';

let sim: Simulator;
let portal: Application;

before(async () => {
  sim = await startSimulator({ seed: 'demo' });
  const app = sim.tenant.appBySlug('acme-portal');
  assert.ok(app);
  portal = app;
});
after(async () => {
  await sim?.stop();
});

function parse(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) } }).parseFromString(xml, 'application/xml');
  assert.deepEqual(errors, [], 'well-formed XML');
  return doc as unknown as Document;
}

async function metadataCert(slug = 'acme-portal'): Promise<string> {
  const text = await (await fetch(`${sim.consoleUrl}/saml2/${slug}/metadata`)).text();
  const body = parse(text).getElementsByTagNameNS(DS, 'X509Certificate').item(0)?.textContent ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A node-saml SP for an app of the simulator. */
function spFor(app: Application, idpCert: string | string[], extra: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    idpCert,
    issuer: app.saml.spEntityId,
    audience: app.saml.spEntityId,
    callbackUrl: app.saml.acsUrl,
    entryPoint: `${sim.consoleUrl}/saml2/${app.slug}`,
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    ...extra,
  });
}

/** The ID of the AuthnRequest in an HTTP-Redirect URL. */
function requestIdOf(url: string): string {
  const xml = inflateRawSync(Buffer.from(new URL(url).searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  return /\bID="([^"]+)"/.exec(xml)?.[1] ?? '';
}

async function control(path: string, body: unknown): Promise<{ status: number; body: Rec }> {
  const response = await fetch(`${sim.consoleUrl}/sim${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Rec };
}

async function signInAs(user: string, extra: Rec = {}, slug = 'acme-portal'): Promise<Rec> {
  const answer = await control('/saml/login', { slug, user, ...extra });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

function setSigning(mode: 'response' | 'assertion' | 'both', algorithm: 'RSA-SHA256' | 'RSA-SHA1'): void {
  sim.tenant.updateApp(portal._id, { saml: { signResponse: mode !== 'assertion', signAssertion: mode !== 'response', signatureAlgorithm: algorithm } });
}

describe('IdP metadata', () => {
  test('md: metadata with the signing cert and both bindings at /saml2/<slug>, served at both URLs as a download', async () => {
    const url = `${sim.consoleUrl}/api/organizations/${sim.orgId}/applications/${portal._id}/metadata.xml`;
    assert.equal(sim.idp.metadataUrls(sim.tenant, portal).advertised, url);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /xml/);
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="JumpCloud-Acme-Portal-Gatehouse-metadata.xml"');
    const text = await response.text();
    assert.match(text, /<md:EntityDescriptor /);
    const doc = parse(text);
    const root = doc.documentElement as unknown as Element;
    assert.equal(root.namespaceURI, MD);
    assert.equal(root.localName, 'EntityDescriptor');
    assert.equal(root.getAttribute('entityID'), 'jumpcloud-acme-portal');
    const idp = doc.getElementsByTagNameNS(MD, 'IDPSSODescriptor').item(0);
    assert.ok(idp);
    assert.equal(idp.getAttribute('protocolSupportEnumeration'), 'urn:oasis:names:tc:SAML:2.0:protocol');
    const key = doc.getElementsByTagNameNS(MD, 'KeyDescriptor').item(0);
    assert.equal(key?.getAttribute('use'), 'signing');
    const services = Array.from({ length: doc.getElementsByTagNameNS(MD, 'SingleSignOnService').length }, (_, i) => doc.getElementsByTagNameNS(MD, 'SingleSignOnService').item(i) as Element);
    assert.deepEqual(
      services.map((s) => [s.getAttribute('Binding'), s.getAttribute('Location')]),
      [
        [POST, `${sim.consoleUrl}/saml2/acme-portal`],
        [REDIRECT, `${sim.consoleUrl}/saml2/acme-portal`],
      ],
    );
    assert.equal(doc.getElementsByTagNameNS(MD, 'NameIDFormat').item(0)?.textContent, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');

    // the certificate: RSA 2048, the app's 5-year window, the same at the alias URL and in the console API
    const pem = await metadataCert();
    const cert = new X509Certificate(pem);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    const app = sim.tenant.app(portal._id);
    assert.equal(new Date(cert.validFrom).toISOString(), app.cert.notBefore);
    assert.equal(new Date(cert.validTo).toISOString(), app.cert.notAfter);
    assert.equal(Date.parse(app.cert.notAfter) - Date.parse(app.cert.notBefore) > 4.9 * 365 * 86_400_000, true);
    assert.equal(app.cert.certificatePem?.replace(/\s+/g, ''), pem.replace(/\s+/g, ''), 'the PEM is filled into the app record');
    const apps = (await (await fetch(`${sim.consoleUrl}/api/applications`, { headers: { 'x-api-key': sim.apiKey } })).json()) as { results: Rec[] };
    const presented = apps.results.find((a) => a._id === portal._id) as { config: { idpCertificate: { value: string } } };
    assert.equal(presented.config.idpCertificate.value.replace(/\s+/g, ''), pem.replace(/\s+/g, ''));
  });

  test('unknown apps and organizations get 404', async () => {
    assert.equal((await fetch(`${sim.consoleUrl}/saml2/no-such-app/metadata`)).status, 404);
    assert.equal((await fetch(`${sim.consoleUrl}/api/organizations/${sim.orgId}/applications/000000000000000000000000/metadata.xml`)).status, 404);
    assert.equal((await fetch(`${sim.consoleUrl}/api/organizations/000000000000000000000000/applications/${portal._id}/metadata.xml`)).status, 404);
  });
});

describe('node-saml accepts the IdP responses', () => {
  for (const mode of ['response', 'assertion', 'both'] as const) {
    for (const algorithm of ['RSA-SHA256', 'RSA-SHA1'] as const) {
      test(`signed ${mode} with ${algorithm}`, async () => {
        setSigning(mode, algorithm);
        const answer = await signInAs(ALICE);
        const xml = String(answer.xml);
        const doc = parse(xml);
        const method = doc.getElementsByTagNameNS(DS, 'SignatureMethod').item(0)?.getAttribute('Algorithm');
        assert.equal(method, algorithm === 'RSA-SHA1' ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
        // each enveloped signature sits right after the Issuer of the element it signs
        const signatures = Array.from({ length: doc.getElementsByTagNameNS(DS, 'Signature').length }, (_, i) => doc.getElementsByTagNameNS(DS, 'Signature').item(i) as Element);
        assert.deepEqual(signatures.map((s) => (s.parentNode as Element).localName).sort(), mode === 'both' ? ['Assertion', 'Response'] : [mode === 'response' ? 'Response' : 'Assertion']);
        for (const s of signatures) {
          let prev = s.previousSibling;
          while (prev && prev.nodeType !== 1) prev = prev.previousSibling;
          assert.equal((prev as Element | null)?.localName, 'Issuer');
        }

        const sp = spFor(portal, await metadataCert(), { wantAssertionsSigned: mode !== 'response', wantAuthnResponseSigned: mode !== 'assertion' });
        const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) });
        assert.ok(profile);
        assert.equal(profile.nameID, ALICE);
        assert.equal(profile.nameIDFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
        assert.equal(profile.issuer, 'jumpcloud-acme-portal');
        assert.equal(profile.email, ALICE);
        assert.equal(profile.firstName, 'Alice');
        assert.equal(profile.lastName, 'Anders');
        assert.deepEqual(profile.groups, ['All Users', 'Engineering']);
        assert.ok(profile.sessionIndex);
      });
    }
  }

  test('a response-only signature fails an SP that wants signed assertions', async () => {
    setSigning('response', 'RSA-SHA256');
    const answer = await signInAs(ALICE);
    const sp = spFor(portal, await metadataCert(), { wantAssertionsSigned: true });
    await assert.rejects(sp.validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) }));
  });

  test('one group gives a single value; apps bound through a direct user binding sign in too', async () => {
    setSigning('both', 'RSA-SHA256');
    const rosa = await signInAs('rosa.rossi');
    const { profile } = await spFor(portal, await metadataCert()).validatePostResponseAsync({ SAMLResponse: String(rosa.SAMLResponse) });
    assert.equal(profile?.nameID, 'rosa.rossi@acme.example');
    assert.deepEqual((profile?.attributes as Rec | undefined)?.groups, ['All Users', 'Contractors']);
    const hana = await signInAs('hana.hoshino@acme.example');
    assert.match(String(hana.xml), /<saml:AttributeValue xsi:type="xs:string">Sales<\/saml:AttributeValue><saml:AttributeValue xsi:type="xs:string">Engineering<\/saml:AttributeValue>/);
  });

  test('NameID field and format, and the response-only default of an app (AWS: constant attribute, no groups)', async () => {
    const aws = sim.tenant.appBySlug('aws-sso');
    assert.ok(aws);
    sim.tenant.updateApp(aws._id, { saml: { nameIdField: 'username', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' } });
    const answer = await signInAs('bruno.brennan@acme.example', {}, 'aws-sso');
    const xml = String(answer.xml);
    assert.equal((xml.match(/<ds:Signature /g) ?? []).length, 1);
    const { profile } = await spFor(aws, await metadataCert('aws-sso'), { wantAuthnResponseSigned: true }).validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) });
    assert.equal(profile?.nameID, 'bruno.brennan');
    assert.equal(profile?.nameIDFormat, 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified');
    assert.equal(profile?.issuer, 'JumpCloud');
    assert.equal(profile?.['https://aws.amazon.com/SAML/Attributes/SessionDuration'], '3600');
    assert.equal(profile?.groups, undefined);
  });
});

describe('SSO URL', () => {
  test('IdP-initiated (portal tile): an auto-posting form to the ACS, or JSON; node-saml accepts it unsolicited', async () => {
    setSigning('response', 'RSA-SHA256');
    const html = await fetch(`${sim.consoleUrl}/saml2/acme-portal?user=${encodeURIComponent(ALICE)}`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    const page = await html.text();
    assert.match(page, /<form method="post" action="http:\/\/127\.0\.0\.1:8080\/sso\/demo\/acs">/);
    assert.match(page, /document\.forms\[0\]\.submit\(\)/);
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(samlResponse);
    assert.doesNotMatch(page, /name="RelayState"/, 'no Default RelayState, no RelayState');
    const sp = spFor(portal, await metadataCert(), { validateInResponseTo: ValidateInResponseTo.ifPresent });
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse });
    assert.equal(profile?.nameID, ALICE);
    assert.equal(profile?.inResponseTo, undefined);

    const json = (await (await fetch(`${sim.consoleUrl}/saml2/acme-portal?user=alice.anders&format=json&RelayState=r1`)).json()) as Rec;
    assert.equal(json.acsUrl, portal.saml.acsUrl);
    assert.equal(json.RelayState, 'r1');
    assert.equal(json.inResponseTo, null);
    assert.equal(typeof json.SAMLResponse, 'string');
  });

  test('SP-initiated over HTTP-Redirect: InResponseTo answers the AuthnRequest, RelayState comes back, node-saml accepts', async () => {
    setSigning('both', 'RSA-SHA256');
    const sp = spFor(portal, await metadataCert(), { validateInResponseTo: ValidateInResponseTo.always });
    const loginUrl = await sp.getAuthorizeUrlAsync('relay-123', undefined, {});
    assert.ok(loginUrl.startsWith(`${sim.consoleUrl}/saml2/acme-portal?SAMLRequest=`));
    const answer = (await (await fetch(`${loginUrl}&user=${encodeURIComponent(ALICE)}&format=json`)).json()) as Rec;
    assert.equal(answer.RelayState, 'relay-123');
    assert.match(String(answer.inResponseTo), /^_/);
    assert.match(String(answer.xml), new RegExp(`<saml:SubjectConfirmationData InResponseTo="${String(answer.inResponseTo)}"`));
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) });
    assert.equal(profile?.inResponseTo, answer.inResponseTo);
    assert.equal(profile?.nameID, ALICE);
    // the request ID is consumed: a replay is refused
    await assert.rejects(sp.validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) }));

    // without a user, the demo login page holds the request
    const page = await fetch(loginUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /name="pending" value="[0-9a-f]{32}"/);
  });

  test('SP-initiated over HTTP-POST (form-encoded SAMLRequest)', async () => {
    const sp = spFor(portal, await metadataCert(), { validateInResponseTo: ValidateInResponseTo.always, authnRequestBinding: 'HTTP-POST', skipRequestCompression: true });
    const message = (await sp.getAuthorizeMessageAsync('relay-post')) as Record<string, string>;
    const form = new URLSearchParams({ ...message, user: 'priya.patel@acme.example', format: 'json' });
    const answer = (await (await fetch(`${sim.consoleUrl}/saml2/acme-portal`, { method: 'POST', body: form })).json()) as Rec;
    assert.equal(answer.RelayState, 'relay-post');
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) });
    assert.equal(profile?.nameID, 'priya.patel@acme.example');
  });

  test('AuthnRequests from another SP or to a foreign ACS URL get 400', async () => {
    const cert = await metadataCert();
    const stranger = new SAML({ idpCert: cert, issuer: 'https://stranger.example', audience: 'https://stranger.example', callbackUrl: portal.saml.acsUrl, entryPoint: `${sim.consoleUrl}/saml2/acme-portal` });
    const wrongIssuer = await fetch(`${await stranger.getAuthorizeUrlAsync('', undefined, {})}&user=alice.anders&format=json`);
    assert.equal(wrongIssuer.status, 400);
    assert.equal(((await wrongIssuer.json()) as { error: Rec }).error.code, 'invalid_request');
    const foreignAcs = spFor(portal, cert, { callbackUrl: 'https://evil.example/acs' });
    const wrongAcs = await fetch(`${await foreignAcs.getAuthorizeUrlAsync('', undefined, {})}&user=alice.anders`);
    assert.equal(wrongAcs.status, 400);
    assert.match(await wrongAcs.text(), /not an ACS URL of this application/);
  });

  test('signed AuthnRequests (option): Redirect and POST signatures by the SP certificate are verified', async () => {
    const spPair = await generateSigningPair({ commonName: 'Gatehouse SP', notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) });
    const cert = await metadataCert();
    sim.tenant.updateApp(portal._id, { saml: { spCertificate: spPair.certificatePem } });
    sim.idp.options.requireSignedAuthnRequests = true;
    try {
      const metadata = await (await fetch(`${sim.consoleUrl}/saml2/acme-portal/metadata`)).text();
      assert.match(metadata, /WantAuthnRequestsSigned="true"/);
      const signer = spFor(portal, cert, { privateKey: spPair.privateKeyPem, signatureAlgorithm: 'sha256' });
      const signedUrl = await signer.getAuthorizeUrlAsync('rs', undefined, {});
      assert.match(signedUrl, /&Signature=/);
      assert.equal((await fetch(`${signedUrl}&user=alice.anders&format=json`)).status, 200);
      const unsigned = await fetch(`${await spFor(portal, cert).getAuthorizeUrlAsync('rs', undefined, {})}&user=alice.anders&format=json`);
      assert.equal(unsigned.status, 400);
      const tampered = await fetch(`${signedUrl.replace('RelayState=rs', 'RelayState=xx')}&user=alice.anders&format=json`);
      assert.equal(tampered.status, 400, 'the signature covers RelayState');
      const postSigner = spFor(portal, cert, { privateKey: spPair.privateKeyPem, signatureAlgorithm: 'sha256', authnRequestBinding: 'HTTP-POST', skipRequestCompression: true });
      const message = (await postSigner.getAuthorizeMessageAsync('rp')) as Record<string, string>;
      const posted = await fetch(`${sim.consoleUrl}/saml2/acme-portal`, { method: 'POST', body: new URLSearchParams({ ...message, user: 'alice.anders', format: 'json' }) });
      assert.equal(posted.status, 200);
    } finally {
      sim.idp.options.requireSignedAuthnRequests = false;
      sim.tenant.updateApp(portal._id, { saml: { spCertificate: null } });
    }
  });

  test('a portal tile of an app with a Login URL redirects there; IdP-initiated sign-ins carry the Default RelayState', async () => {
    const slack = sim.tenant.appBySlug('slack-acme');
    assert.ok(slack);
    sim.tenant.updateApp(slack._id, { saml: { loginUrl: 'https://acme-example.slack.com/sso/start', defaultRelayState: '/home' } });
    try {
      const tile = await fetch(`${sim.consoleUrl}/saml2/slack-acme`, { redirect: 'manual' });
      assert.equal(tile.status, 302);
      assert.equal(tile.headers.get('location'), 'https://acme-example.slack.com/sso/start');
      const asUser = await signInAs('kofi.kumah', {}, 'slack-acme');
      assert.equal(asUser.RelayState, '/home');
    } finally {
      sim.tenant.updateApp(slack._id, { saml: { loginUrl: '', defaultRelayState: '' } });
    }
  });

  test('demo login page: the demo password signs in; a wrong password, a locked account are refused', async () => {
    setSigning('response', 'RSA-SHA256');
    const page = await (await fetch(`${sim.consoleUrl}/saml2/acme-portal`)).text();
    const pending = /name="pending" value="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
    const login = (email: string, password: string) =>
      fetch(`${sim.consoleUrl}/saml2/acme-portal/login`, { method: 'POST', body: new URLSearchParams({ pending, email, password }) });
    const wrong = await login(ALICE, 'nope');
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /data-code="bad_credentials"/);
    const ok = await login(ALICE, DEMO_PASSWORD);
    assert.equal(ok.status, 200);
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(await ok.text())?.[1];
    const { profile } = await spFor(portal, await metadataCert()).validatePostResponseAsync({ SAMLResponse: samlResponse ?? '' });
    assert.equal(profile?.nameID, ALICE);

    const page2 = await (await fetch(`${sim.consoleUrl}/saml2/slack-acme`)).text();
    const pending2 = /name="pending" value="([0-9a-f]+)"/.exec(page2)?.[1] ?? '';
    const locked = await fetch(`${sim.consoleUrl}/saml2/slack-acme/login`, { method: 'POST', body: new URLSearchParams({ pending: pending2, email: 'mateo.morales@acme.example', password: DEMO_PASSWORD }) });
    assert.equal(locked.status, 401);
    assert.match(await locked.text(), /data-code="account_locked"/);
  });
});

describe('access rules', () => {
  test('unbound, suspended, staged and unknown users are refused with 403; unknown apps with 404', async () => {
    const cases: [string, string][] = [
      ['julia.jensen@acme.example', 'not_assigned'],
      ['oscar.olsen@acme.example', 'not_activated'],
      ['quentin.quinn', 'not_activated'],
      ['nobody@acme.example', 'unknown_user'],
    ];
    for (const [user, code] of cases) {
      const answer = await control('/saml/login', { slug: 'acme-portal', user });
      assert.equal(answer.status, 403, user);
      assert.equal((answer.body.error as Rec).code, code, user);
    }
    const html = await fetch(`${sim.consoleUrl}/saml2/acme-portal?user=julia.jensen`);
    assert.equal(html.status, 403);
    assert.match(await html.text(), /Access denied[\s\S]*not assigned to the application/);
    assert.equal((await control('/saml/login', { slug: 'nope', user: ALICE })).status, 404);
  });

  test('a suspension takes effect on the next sign-in', async () => {
    const priya = sim.tenant.userByUsername('priya.patel');
    assert.ok(priya);
    assert.equal((await control('/saml/login', { slug: 'acme-portal', user: priya._id })).status, 200);
    sim.tenant.suspendUser(priya._id);
    try {
      assert.equal((await control('/saml/login', { slug: 'acme-portal', user: priya._id })).status, 403);
    } finally {
      sim.tenant.activateUser(priya._id);
    }
  });
});

describe('certificate rotation', () => {
  test('after "Regenerate certificate" the new key signs: the old cert fails, the new one passes', async () => {
    setSigning('response', 'RSA-SHA256');
    const oldCert = await metadataCert();
    const regenerated = await fetch(`${sim.consoleUrl}/sim/apps/${portal._id}/regenerate-cert`, { method: 'POST' });
    assert.equal(regenerated.status, 200);
    assert.equal(sim.tenant.app(portal._id).cert.generation, 2);
    const answer = await signInAs(ALICE);
    const newCert = await metadataCert();
    assert.notEqual(newCert, oldCert);
    await assert.rejects(spFor(portal, oldCert).validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) }));
    const { profile } = await spFor(portal, newCert).validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) });
    assert.equal(profile?.nameID, ALICE);
    // an SP that trusts both (rollover) accepts
    await spFor(portal, [oldCert, newCert]).validatePostResponseAsync({ SAMLResponse: String((await signInAs(ALICE)).SAMLResponse) });
    assert.equal(new Date(new X509Certificate(newCert).validFrom).toISOString(), sim.tenant.app(portal._id).cert.notBefore);
  });
});

describe('response variants', () => {
  test('node-saml rejects wrong audience, expired, not yet valid, attacker key, tampering, stripped signatures, XSW3, foreign InResponseTo', async () => {
    setSigning('both', 'RSA-SHA256');
    const cert = await metadataCert();
    for (const variant of ['wrong-audience', 'no-audience', 'expired', 'not-yet-valid', 'attacker-key', 'tampered-name-id', 'strip-signatures', 'unsigned', 'xsw3', 'duplicate-assertion', 'error-status']) {
      const answer = await signInAs(ALICE, { variant });
      await assert.rejects(spFor(portal, cert).validatePostResponseAsync({ SAMLResponse: String(answer.SAMLResponse) }), Error, variant);
    }
    // node-saml checks SubjectConfirmationData times only while validating InResponseTo
    const sp = spFor(portal, cert, { validateInResponseTo: ValidateInResponseTo.always });
    const inResponseTo = requestIdOf(await sp.getAuthorizeUrlAsync('', undefined, {}));
    const subjectExpired = await signInAs(ALICE, { variant: 'subject-expired', inResponseTo });
    await assert.rejects(sp.validatePostResponseAsync({ SAMLResponse: String(subjectExpired.SAMLResponse) }), /subject confirmation/i);
    const foreign = await signInAs(ALICE, { variant: 'wrong-in-response-to' });
    await assert.rejects(sp.validatePostResponseAsync({ SAMLResponse: String(foreign.SAMLResponse) }));
  });

  test('variants change exactly their field; combined variants apply in order; overrides are raw fields', async () => {
    const wrong = await signInAs(ALICE, { variant: ['wrong-recipient', 'wrong-destination', 'rsa-sha1'] });
    assert.match(String(wrong.xml), /Destination="https:\/\/evil\.example\/acs"/);
    assert.match(String(wrong.xml), /Recipient="https:\/\/evil\.example\/acs"/);
    assert.match(String(wrong.xml), /xmldsig#rsa-sha1/);
    const over = await signInAs(ALICE, { overrides: { audience: ['https://a.example', 'https://b.example'], lifetimeSeconds: 60 } });
    assert.match(String(over.xml), /<saml:Audience>https:\/\/a\.example<\/saml:Audience><saml:Audience>https:\/\/b\.example<\/saml:Audience>/);
    assert.equal((await control('/saml/login', { slug: 'acme-portal', user: ALICE, variant: 'no-such-variant' })).status, 400);
    const list = (await (await fetch(`${sim.consoleUrl}/sim/saml/variants`)).json()) as Rec;
    assert.ok('xsw3' in list && 'expired' in list);
  });

  test('buildResponse places each signature after its Issuer and signs nothing in mode "none"', async () => {
    const pair = await generateSigningPair({ commonName: 'Test', notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) });
    const base = { issuer: 'idp', destination: 'https://sp/acs', recipient: 'https://sp/acs', audience: 'https://sp', nameId: 'u@x.example' };
    const none = buildResponse({ ...base, signing: { mode: 'none' } });
    assert.doesNotMatch(none.xml, /Signature/);
    const both = buildResponse({ ...base, responseIssuer: null, signing: { mode: 'both', privateKeyPem: pair.privateKeyPem, certificatePem: null } });
    const doc = parse(both.xml);
    const root = doc.documentElement as unknown as Element;
    assert.equal((root.firstChild as Element).localName, 'Signature', 'first in a Response without Issuer');
    assert.equal(doc.getElementsByTagNameNS(DS, 'KeyInfo').length, 0);
    assert.equal(doc.getElementsByTagNameNS(SAML_NS, 'Issuer').length, 1);
    const sp = new SAML({ idpCert: pair.certificatePem, issuer: 'https://sp', audience: 'https://sp', callbackUrl: 'https://sp/acs', wantAssertionsSigned: true, wantAuthnResponseSigned: true });
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: both.base64 });
    assert.equal(profile?.nameID, 'u@x.example');
  });
});
