/**
 * Every case of the attack catalog (saml-security.md §5.1–5.10), black-box over HTTP against the ACS:
 * REJECT cases get a 4xx, no code, the one uniform error, and an sso.login.failed event naming the layer
 * that stopped them; valid cases get a 302 with a code. Responses come from the test IdP
 * (support/test-idp.ts: xml-crypto signatures over @peculiar/x509 keys, tampered after signing).
 */
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { applyVariants, type ResponseVariantName } from '../../sim/idp/response-variants.js';
import type { ResponseOptions } from '../../sim/idp/response-builder.js';
import { generateSigningPair } from '../../sim/idp/certificates.js';
import { dialects } from '../support/databases.js';
import { Browser, REDIRECT_URI, SECOND_REDIRECT_URI, codeOf, eventsOf, pkce, startSsoWorld, type Connection, type SsoWorld } from './support/sso-harness.js';
import { decodeRedirectRequest } from './support/authn-request-decode.js';
import {
  EVIL,
  NS_DS,
  NS_SAML,
  NS_SAMLP,
  assertion,
  attackerPair,
  base64,
  build,
  evilize,
  first,
  removeSignature,
  response,
  signatureOf,
  validOptions,
} from './support/test-idp.js';

type Answer = { status: number; location: string | null; text: string };

const UNIFORM = /The sign-in could not be completed/;

for (const dialect of dialects) {
  describe(`SAML attack catalog (${dialect})`, () => {
    let world: SsoWorld;
    /** IdP-initiated allowed (most envelope/XML cases need no login start) */
    let open: Connection;
    let sha1: Connection;
    let strict: Connection;
    let responseStrict: Connection;
    let other: Connection;
    let portalCert: string;

    const create = async (body: Record<string, unknown>): Promise<Connection> => {
      const r = await world.admin.call('POST', `/organizations/${world.orgId}/sso-connections`, body);
      assert.equal(r.status, 201, r.text);
      return r.body as Connection;
    };

    before(async () => {
      world = await startSsoWorld(dialect);
      const { tenant, app } = world.sim.idp.app({ slug: 'acme-portal' });
      portalCert = (await world.sim.idp.signingPair(tenant, app)).certificatePem;
      const fields = { idpEntityId: app.saml.idpEntityId, idpSsoUrl: world.sim.idp.ssoUrl(app), idpCertificates: [portalCert], redirectUris: [REDIRECT_URI, SECOND_REDIRECT_URI], allowIdpInitiated: true };
      open = await create(fields);
      sha1 = await create({ ...fields, allowSha1: true });
      strict = await create({ ...fields, wantAssertionsSigned: true });
      responseStrict = await create({ ...fields, wantResponseSigned: true });
      const slack = world.sim.idp.app({ slug: 'slack-acme' });
      other = await create({ ...fields, idpCertificates: [(await world.sim.idp.signingPair(slack.tenant, slack.app)).certificatePem] });
    });
    after(async () => world.close());

    const unsolicited = (c: Connection = open, extra: Partial<ResponseOptions> = {}) =>
      validOptions(world, { acsUrl: c.acsUrl, audience: c.spEntityId, inResponseTo: null }).then((o) => ({ ...o, ...extra }));

    const variant = async (o: ResponseOptions, ...names: ResponseVariantName[]) => applyVariants(o, names, { now: new Date(), attackerPair });

    async function lastReason(): Promise<string> {
      const events = await eventsOf(world, 'sso.login.failed');
      return events.length === 0 ? '' : `${events[events.length - 1].data.reason}: ${events[events.length - 1].data.detail}`;
    }

    async function post(c: Connection, samlResponse: string, relayState?: string | null, browser = new Browser()): Promise<Answer> {
      return browser.postResponse(c.acsUrl, samlResponse, relayState);
    }

    async function rejected(answer: Answer, reason?: RegExp, status?: number): Promise<void> {
      const why = await lastReason();
      assert.ok(answer.status >= 400 && answer.status < 500, `expected a 4xx, got ${answer.status} (${answer.location ?? ''}) ${why}`);
      if (status !== undefined) assert.equal(answer.status, status, why);
      assert.equal(answer.location, null);
      assert.match(answer.text, UNIFORM);
      assert.doesNotMatch(answer.text, /signature|digest|InResponseTo|Recipient|Issuer/i, 'the browser never learns the reason');
      if (reason) assert.match(why, reason);
    }

    async function accepted(answer: Answer): Promise<URL> {
      assert.equal(answer.status, 302, `${answer.text} ${await lastReason()}`);
      codeOf(answer.location);
      return new URL(answer.location!);
    }

    /** A browser that started an SP-initiated login on connection `c` (its cookie, AuthnRequest id, RelayState handle). */
    async function started(c: Connection, browser = new Browser()) {
      const { challenge } = pkce();
      const r = await browser.request('GET', `${world.server.url}/oauth/authorize?${new URLSearchParams({ client_id: c.oauth.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', state: 's1', code_challenge: challenge, code_challenge_method: 'S256' })}`);
      assert.equal(r.status, 302, r.text);
      const url = new URL(r.location!);
      return { browser, requestId: decodeRedirectRequest(url.searchParams.get('SAMLRequest')!), relayState: url.searchParams.get('RelayState')! };
    }
    const solicited = async (c: Connection, requestId: string, extra: Partial<ResponseOptions> = {}) =>
      ({ ...(await validOptions(world, { acsUrl: c.acsUrl, audience: c.spEntityId, inResponseTo: requestId })), ...extra });

    // ---------------------------------------------------------------- baselines
    describe('baselines (ACCEPT)', () => {
      it('response signed (JumpCloud default), assertion signed, both signed, no KeyInfo', async () => {
        for (const mode of ['sign-response', 'sign-assertion', 'sign-both', 'no-key-info'] as const) {
          await accepted(await post(open, build(await variant(await unsolicited(), mode))));
        }
      });
      it('valid base64 wrapped with CRLF every 76 characters (§5.7)', async () => {
        const b64 = build(await unsolicited());
        await accepted(await post(open, b64.replace(/.{76}/g, '$&\r\n')));
      });
      it('the algorithm hook is installed in this process (pinned-engine regression guard)', async () => {
        const { algorithmHookInstalled } = await import('../../src/saml/algorithm-hook.js');
        assert.equal(algorithmHookInstalled(), true);
      });
    });

    // ---------------------------------------------------------------- §5.1 XSW
    describe('§5.1 XML signature wrapping (REJECT)', () => {
      const responseSigned = async () => variant(await unsolicited(), 'sign-both');
      const assertionSigned = async () => variant(await unsolicited(), 'sign-assertion');
      const cases: [string, () => Promise<ResponseOptions>, (doc: Document) => void, RegExp][] = [
        ['XSW1: clone of the Response inside its Signature', responseSigned, (doc) => {
          const r = response(doc);
          const clone = r.cloneNode(true) as Element;
          removeSignature(clone);
          evilize(r);
          r.setAttribute('ID', '_evil_response_ID');
          signatureOf(r).appendChild(clone);
        }, /assertion_count|signature_position|duplicate_id/],
        ['XSW2: clone of the Response before its Signature', responseSigned, (doc) => {
          const r = response(doc);
          const clone = r.cloneNode(true) as Element;
          removeSignature(clone);
          evilize(r);
          r.setAttribute('ID', '_evil_response_ID');
          r.insertBefore(clone, signatureOf(r));
        }, /assertion_count|duplicate_id/],
        ['XSW3: evil assertion before the signed one', assertionSigned, (doc) => {
          const a = assertion(doc);
          const e = a.cloneNode(true) as Element;
          evilize(e);
          e.setAttribute('ID', '_evil_assertion_ID');
          removeSignature(e);
          a.parentNode!.insertBefore(e, a);
        }, /assertion_count/],
        ['XSW4: signed assertion moved inside an evil one', assertionSigned, (doc) => {
          const a = assertion(doc);
          const e = a.cloneNode(true) as Element;
          evilize(e);
          e.setAttribute('ID', '_evil_assertion_ID');
          removeSignature(e);
          response(doc).appendChild(e);
          e.appendChild(a);
        }, /assertion_count/],
        ['XSW5: evilized signed assertion plus a clean unsigned copy', assertionSigned, (doc) => {
          const a = assertion(doc);
          const clean = a.cloneNode(true) as Element;
          removeSignature(clean);
          evilize(a);
          a.setAttribute('ID', '_evil');
          response(doc).appendChild(clean);
        }, /assertion_count/],
        ['XSW6: clean copy inside the assertion signature', assertionSigned, (doc) => {
          const a = assertion(doc);
          const clean = a.cloneNode(true) as Element;
          removeSignature(clean);
          evilize(a);
          a.setAttribute('ID', '_evil');
          signatureOf(a).appendChild(clean);
        }, /assertion_count/],
        ['XSW7: evil clone with the same ID in samlp:Extensions', assertionSigned, (doc) => {
          const a = assertion(doc);
          const ext = doc.createElementNS(NS_SAMLP, 'samlp:Extensions');
          const e = a.cloneNode(true) as Element;
          removeSignature(e);
          evilize(e);
          ext.appendChild(e);
          a.parentNode!.insertBefore(ext, a);
        }, /assertion_count|duplicate_id/],
        ['XSW8: evilized in place, clean copy in ds:Object of its Signature', assertionSigned, (doc) => {
          const a = assertion(doc);
          const clean = a.cloneNode(true) as Element;
          removeSignature(clean);
          evilize(a);
          const object = doc.createElementNS(NS_DS, 'ds:Object');
          object.appendChild(clean);
          signatureOf(a).appendChild(object);
        }, /assertion_count|duplicate_id/],
        ['XSW-advice: genuine signed assertion inside an evil assertion\'s Advice', assertionSigned, (doc) => {
          const a = assertion(doc);
          const e = a.cloneNode(true) as Element;
          removeSignature(e);
          evilize(e);
          e.setAttribute('ID', '_evil');
          const advice = doc.createElementNS(NS_SAML, 'saml:Advice');
          a.parentNode!.replaceChild(e, a);
          advice.appendChild(a);
          e.insertBefore(advice, first(e, NS_SAML, 'AuthnStatement'));
        }, /assertion_count/],
        ['XSW-SCD: genuine signed assertion inside SubjectConfirmationData', assertionSigned, (doc) => {
          const a = assertion(doc);
          const e = a.cloneNode(true) as Element;
          removeSignature(e);
          evilize(e);
          e.setAttribute('ID', '_evil');
          a.parentNode!.replaceChild(e, a);
          first(e, NS_SAML, 'SubjectConfirmationData').appendChild(a);
        }, /assertion_count/],
        ['hidden signed assertion in Extensions + forged one with the same ID and a copied signature', assertionSigned, (doc) => {
          const a = assertion(doc);
          const forged = a.cloneNode(true) as Element;
          evilize(forged);
          const ext = doc.createElementNS(NS_SAMLP, 'samlp:Extensions');
          a.parentNode!.replaceChild(forged, a);
          ext.appendChild(a);
          response(doc).insertBefore(ext, forged);
        }, /assertion_count|duplicate_id/],
        ['decoy signature with the same SignatureValue holding a forged assertion in Extensions', responseSigned, (doc) => {
          const r = response(doc);
          const decoy = signatureOf(r).cloneNode(true) as Element;
          const object = doc.createElementNS(NS_DS, 'ds:Object');
          const forged = assertion(doc).cloneNode(true) as Element;
          removeSignature(forged);
          evilize(forged);
          forged.setAttribute('ID', '_forged');
          object.appendChild(forged);
          decoy.appendChild(object);
          const ext = doc.createElementNS(NS_SAMLP, 'samlp:Extensions');
          ext.appendChild(decoy);
          r.insertBefore(ext, first(doc, NS_SAMLP, 'Status'));
        }, /assertion_count|signature_position/],
        ['signature relocation: the assertion signature moved to the Response', assertionSigned, (doc) => {
          const a = assertion(doc);
          const sig = signatureOf(a);
          a.removeChild(sig);
          response(doc).insertBefore(sig, first(doc, NS_SAMLP, 'Status'));
        }, /saml_validation/],
        ['id/Id twin: a wrapper with lower-case id equal to the signed ID', assertionSigned, (doc) => {
          const a = assertion(doc);
          const ext = doc.createElementNS(NS_SAMLP, 'samlp:Extensions');
          ext.setAttribute('id', a.getAttribute('ID')!);
          response(doc).insertBefore(ext, a);
        }, /duplicate_id/],
        ['CVE-2022-41912: an unsigned clone assertion appended (ID + _attack)', assertionSigned, (doc) => {
          const a = assertion(doc);
          const clone = a.cloneNode(true) as Element;
          removeSignature(clone);
          evilize(clone);
          clone.setAttribute('ID', `${a.getAttribute('ID')}_attack`);
          response(doc).appendChild(clone);
        }, /assertion_count/],
      ];
      for (const [name, options, mutation, reason] of cases) {
        it(name, async () => rejected(await post(open, build(await options(), mutation)), reason));
      }
      it('parser differential (CVE-2025-25291/25292): DOCTYPE/comment splice', async () => {
        const xml = Buffer.from(build(await assertionSigned()), 'base64').toString('utf8');
        await rejected(await post(open, base64(`<!DOCTYPE x [<!ENTITY a "b">]>${xml}`)), /doctype|entity/);
        await rejected(await post(open, build(await assertionSigned(), { type: 'insert-comment', element: 'Issuer', at: 3 })), /comment_or_pi/);
      });
      it('libxml2 entity quirk (CVE-2025-23369): entity-defined ID plus a signature copy in ds:Object', async () => {
        const xml = Buffer.from(build(await assertionSigned()), 'base64').toString('utf8');
        const attack = `<!DOCTYPE samlp:Response [<!ENTITY id "_evil">]>` + xml.replace(/ID="(_[^"]+)"/, 'ID="&id;"');
        await rejected(await post(open, base64(attack)), /doctype|entity/);
      });
    });

    // ---------------------------------------------------------------- §5.2
    describe('§5.2 signature presence and coverage', () => {
      it('signature stripping: REJECT whatever the flags', async () => {
        await rejected(await post(open, build(await variant(await unsolicited(), 'strip-signatures'))), /saml_validation/);
        await rejected(await post(open, build(await variant(await unsolicited(), 'unsigned'))), /saml_validation/);
      });
      it('unsigned assertion in a signed Response: ACCEPT by default, REJECT when the connection wants signed assertions', async () => {
        await accepted(await post(open, build(await variant(await unsolicited(), 'sign-response'))));
        await rejected(await post(strict, build(await variant(await unsolicited(strict), 'sign-response'))), /saml_validation/);
        await accepted(await post(strict, build(await variant(await unsolicited(strict), 'sign-assertion'))));
      });
      it('a connection that wants a signed Response refuses an assertion-only signature', async () => {
        await rejected(await post(responseStrict, build(await variant(await unsolicited(responseStrict), 'sign-assertion'))), /saml_validation/);
        await accepted(await post(responseStrict, build(await variant(await unsolicited(responseStrict), 'sign-response'))));
      });
      it('signed assertion in an unsigned Response: ACCEPT; the unsigned envelope tampered (Destination) REJECT', async () => {
        await accepted(await post(open, build(await variant(await unsolicited(), 'sign-assertion'))));
        await rejected(await post(open, build(await variant(await unsolicited(), 'sign-assertion'), { type: 'set-attribute', element: 'Response', attribute: 'Destination', value: 'https://evil.example/acs' })), /wrong_destination/);
      });
      it('anything modified inside the signed assertion or signed Response: REJECT (digest)', async () => {
        await rejected(await post(open, build(await variant(await unsolicited(), 'sign-assertion', 'tampered-name-id'))), /saml_validation/);
        await rejected(await post(open, build(await variant(await unsolicited(), 'sign-response', 'tampered-name-id'))), /saml_validation/);
      });
      it('void canonicalization: the assertion namespace rewritten after signing', async () => {
        const xml = Buffer.from(build(await variant(await unsolicited(), 'sign-assertion')), 'base64').toString('utf8');
        await rejected(await post(open, base64(xml.replace('<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"', '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion\u0080"'))));
      });
    });

    // ---------------------------------------------------------------- §5.3
    describe('§5.3 comment and text-node injection', () => {
      it('comment in NameID after signing: REJECT (pre-gate)', async () => {
        await rejected(await post(open, build(await variant(await unsolicited(), 'comment-in-name-id'))), /comment_or_pi/);
      });
      it('comment in the email attribute: REJECT', async () => {
        const o = await variant(await unsolicited(), 'sign-assertion');
        await rejected(await post(open, build(o, { type: 'insert-comment', element: 'AttributeValue', at: 5 })), /comment_or_pi/);
      });
      it('processing instruction inside NameID: REJECT', async () => {
        await rejected(await post(open, build(await unsolicited(), (doc) => {
          const nameId = first(doc, NS_SAML, 'NameID');
          nameId.insertBefore(doc.createProcessingInstruction('x', 'y'), nameId.firstChild);
        })), /comment_or_pi/);
      });
      it('CDATA split of NameID: never the truncated identity', async () => {
        const o = { ...(await unsolicited()), nameId: 'bruno.brennan@acme.example.evil.example' };
        const xml = Buffer.from(build(o), 'base64').toString('utf8').replace('bruno.brennan@acme.example.evil.example', 'bruno.brennan@acme.example<![CDATA[]]>.evil.example');
        const answer = await post(open, base64(xml));
        if (answer.status === 302) {
          const { code } = codeOf(answer.location);
          const { tokenRequest } = await import('./support/sso-harness.js');
          const t = await tokenRequest({ ...world, connection: open } as SsoWorld, { code, redirect_uri: REDIRECT_URI });
          const info = await fetch(`${world.server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${t.body.access_token}` } }).then((r) => r.json());
          assert.equal(info.name_id, 'bruno.brennan@acme.example.evil.example');
        } else await rejected(answer);
      });
    });

    // ---------------------------------------------------------------- §5.4
    describe('§5.4 key and algorithm attacks', () => {
      it('certificate substitution: attacker key and cert in KeyInfo', async () => {
        await rejected(await post(open, build(await variant(await unsolicited(), 'attacker-key'))), /saml_validation/);
      });
      it('trusted cert in KeyInfo but the attacker key; KeyInfo RetrievalMethod to an external URI', async () => {
        const pair = await attackerPair();
        const o = await unsolicited();
        await rejected(await post(open, build({ ...o, signing: { ...o.signing, privateKeyPem: pair.privateKeyPem, certificatePem: portalCert } })), /saml_validation/);
        await rejected(await post(open, build({ ...o, signing: { ...o.signing, privateKeyPem: pair.privateKeyPem, certificatePem: null } }, (doc) => {
          const sig = signatureOf(response(doc));
          const keyInfo = doc.createElementNS(NS_DS, 'ds:KeyInfo');
          const retrieval = doc.createElementNS(NS_DS, 'ds:RetrievalMethod');
          retrieval.setAttribute('URI', 'http://127.0.0.1:9/attacker.cer');
          keyInfo.appendChild(retrieval);
          sig.appendChild(keyInfo);
        })), /saml_validation/);
      });
      it('cross-tenant key: signed with a key another connection trusts', async () => {
        const slack = world.sim.idp.app({ slug: 'slack-acme' });
        const slackPair = await world.sim.idp.signingPair(slack.tenant, slack.app);
        const o = await unsolicited();
        await rejected(await post(open, build({ ...o, signing: { ...o.signing, privateKeyPem: slackPair.privateKeyPem, certificatePem: slackPair.certificatePem } })), /saml_validation/);
        // and the portal's genuine response at the connection that trusts only the other key
        await rejected(await post(other, build(await unsolicited(other))), /saml_validation/);
      });
      it('RSA-SHA1 and a SHA-1 digest: REJECT by default, ACCEPT with the per-connection legacy switch', async () => {
        await rejected(await post(open, build(await variant(await unsolicited(), 'rsa-sha1'))), /algorithm_refused: rsa-sha1/);
        await rejected(await post(open, build(await variant(await unsolicited(), 'sha1-digest'))), /algorithm_refused: sha1 digest/);
        await accepted(await post(sha1, build(await variant(await unsolicited(sha1), 'rsa-sha1'))));
      });
      it('HMAC or unknown SignatureMethod: REJECT', async () => {
        for (const uri of ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', 'urn:bogus:none']) {
          await rejected(await post(open, build(await unsolicited(), (doc) => first(doc, NS_DS, 'SignatureMethod').setAttribute('Algorithm', uri))), /algorithm_refused|saml_validation/);
        }
      });
      it('XSLT transform: REJECT, nothing executed', async () => {
        await rejected(await post(open, build(await unsolicited(), (doc) => {
          const transforms = first(doc, NS_DS, 'Transforms');
          const t = doc.createElementNS(NS_DS, 'ds:Transform');
          t.setAttribute('Algorithm', 'http://www.w3.org/TR/1999/REC-xslt-19991116');
          transforms.appendChild(t);
        })), /algorithm_refused|saml_validation/);
      });
      it('multiple SignedInfo (CVE-2025-29774): REJECT', async () => {
        await rejected(await post(open, build(await unsolicited(), (doc) => {
          const signedInfo = first(doc, NS_DS, 'SignedInfo');
          signedInfo.parentNode!.insertBefore(signedInfo.cloneNode(true), signedInfo);
        })));
      });
      it('comment in DigestValue (CVE-2025-29775): REJECT', async () => {
        await rejected(await post(open, build(await unsolicited(), { type: 'insert-comment', element: 'DigestValue', at: 4 })), /comment_or_pi/);
      });
      it('an expired but still trusted IdP certificate: ACCEPT (metadata trusts keys, not X.509 validity)', async () => {
        const expired = await generateSigningPair({ commonName: 'Old IdP', notBefore: new Date(Date.now() - 2 * 365 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
        const { app } = world.sim.idp.app({ slug: 'acme-portal' });
        const c = await create({ idpEntityId: app.saml.idpEntityId, idpSsoUrl: 'https://sso.example/saml2/x', idpCertificates: [expired.certificatePem], redirectUris: [REDIRECT_URI], allowIdpInitiated: true });
        const o = await unsolicited(c);
        await accepted(await post(c, build({ ...o, signing: { ...o.signing, privateKeyPem: expired.privateKeyPem, certificatePem: expired.certificatePem } })));
      });
    });

    // ---------------------------------------------------------------- §5.5
    describe('§5.5 conditions, binding and replay', () => {
      const simple: [string, ResponseVariantName[], RegExp][] = [
        ['wrong Audience', ['wrong-audience'], /saml_validation/],
        ['missing AudienceRestriction', ['no-audience'], /saml_validation/],
        ['wrong Recipient', ['wrong-recipient'], /wrong_recipient/],
        ['missing Recipient', ['no-recipient'], /no_recipient/],
        ['wrong Destination', ['wrong-destination'], /wrong_destination/],
        ['wrong Destination on a signed Response', ['sign-both', 'wrong-destination'], /wrong_destination/],
        ['wrong assertion Issuer', ['wrong-issuer'], /wrong_issuer/],
        ['holder-of-key SubjectConfirmation', ['holder-of-key'], /not_bearer/],
        ['expired Conditions', ['expired'], /saml_validation/],
        ['expired SubjectConfirmationData (node-saml checks it only with InResponseTo)', ['subject-expired'], /subject_expired|saml_validation/],
        ['NotBefore in the future', ['not-yet-valid'], /saml_validation/],
        ['stale: IssueInstant older than the maximum assertion age', ['stale'], /saml_validation/],
        ['error Status', ['error-status'], /idp_status/],
        ['multiple assertions (signed + copy)', ['duplicate-assertion'], /assertion_count/],
      ];
      for (const [name, names, reason] of simple) {
        it(`${name}: REJECT`, async () => rejected(await post(open, build(await variant(await unsolicited(), ...names))), reason));
      }
      it('sender-vouches SubjectConfirmation: REJECT', async () => {
        await rejected(await post(open, build(await unsolicited(open, { confirmationMethod: 'urn:oasis:names:tc:SAML:2.0:cm:sender-vouches' }))), /not_bearer/);
      });
      it('NotBefore 30 s ahead, within the 60 s skew: ACCEPT', async () => {
        await accepted(await post(open, build(await unsolicited(open, { notBefore: new Date(Date.now() + 30_000) }))));
      });
      it('boundary: NotOnOrAfter exactly one skew ago (exclusive): REJECT', async () => {
        const at = new Date(Date.now() - 60_000);
        await rejected(await post(open, build(await unsolicited(open, { notOnOrAfter: at, subjectNotOnOrAfter: at }))), /saml_validation/);
      });
      it('InResponseTo for a request never issued: REJECT', async () => {
        const s = await started(world.connection);
        await rejected(await post(world.connection, build(await solicited(world.connection, '_never_issued')), s.relayState, s.browser), /saml_validation|unknown_in_response_to/);
      });
      it('InResponseTo from another browser: REJECT', async () => {
        const s = await started(world.connection);
        await rejected(await post(world.connection, build(await solicited(world.connection, s.requestId)), s.relayState, new Browser()), /other_browser/);
      });
      it('InResponseTo of another connection: REJECT', async () => {
        const s = await started(open);
        await rejected(await post(world.connection, build(await solicited(world.connection, s.requestId)), s.relayState, s.browser), /saml_validation|unknown_in_response_to/);
      });
      it('stripped unsigned Response@InResponseTo while the signed SCD keeps it (ifPresent bypass): REJECT', async () => {
        // a connection allowing IdP-initiated logins validates InResponseTo "ifPresent": the post-check closes the gap
        const s = await started(open);
        const o = await variant(await solicited(open, '_unknown_request'), 'sign-assertion', 'strip-response-in-response-to');
        await rejected(await post(open, build(o), s.relayState, s.browser), /unknown_in_response_to/);
      });
      it('unsolicited when the connection does not allow it: REJECT; when allowed: ACCEPT once', async () => {
        await rejected(await post(world.connection, build(await unsolicited(world.connection))), /saml_validation|unsolicited/);
        const b64 = build(await unsolicited());
        await accepted(await post(open, b64));
        await rejected(await post(open, b64), /replay/);
      });
      it('replay of a solicited response: 2nd REJECT', async () => {
        const s = await started(world.connection);
        const b64 = build(await solicited(world.connection, s.requestId));
        await accepted(await post(world.connection, b64, s.relayState, s.browser));
        await rejected(await post(world.connection, b64, s.relayState, s.browser));
      });
      it('replay (concurrent, unsolicited): 10 identical POSTs, exactly one ACCEPT', async () => {
        const b64 = build(await unsolicited());
        const answers = await Promise.all(Array.from({ length: 10 }, () => post(open, b64)));
        assert.deepEqual(answers.map((a) => a.status).sort(), [302, ...Array(9).fill(400)]);
      });
      it('replay (concurrent, solicited): 10 identical POSTs from the same browser, exactly one ACCEPT', async () => {
        const s = await started(world.connection);
        const b64 = build(await solicited(world.connection, s.requestId));
        const answers = await Promise.all(Array.from({ length: 10 }, () => post(world.connection, b64, s.relayState, s.browser)));
        assert.equal(answers.filter((a) => a.status === 302).length, 1);
      });
    });

    // ---------------------------------------------------------------- §5.6
    describe('§5.6 XML parser attacks', () => {
      const xmlOf = async () => Buffer.from(build(await unsolicited()), 'base64').toString('utf8');
      it('DOCTYPE only', async () => rejected(await post(open, build(await variant(await unsolicited(), 'doctype'))), /doctype/));
      it('internal entity', async () => {
        const xml = (await xmlOf()).replace(/(<saml:NameID[^>]*>)[^<]+/, '$1&x;');
        await rejected(await post(open, base64(`<!DOCTYPE r [<!ENTITY x "admin">]>${xml}`)), /doctype/);
      });
      it('XXE (file and http SYSTEM entities)', async () => {
        for (const system of ['file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/']) {
          const xml = (await xmlOf()).replace(/(<saml:NameID[^>]*>)[^<]+/, '$1&xxe;');
          await rejected(await post(open, base64(`<!DOCTYPE r [<!ENTITY xxe SYSTEM "${system}">]>${xml}`)), /doctype/);
        }
      });
      it('billion laughs: refused fast', async () => {
        let dtd = '<!ENTITY l0 "lol">';
        for (let i = 1; i < 10; i++) dtd += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
        const started = performance.now();
        await rejected(await post(open, base64(`<!DOCTYPE r [${dtd}]><r>&l9;</r>`)), /doctype/);
        assert.ok(performance.now() - started < 1000);
      });
      it('an ENTITY declaration without a DOCTYPE keyword', async () => rejected(await post(open, base64('<!ENTITY x "y"><samlp:Response/>')), /entity|malformed/));
      it('numeric character reference flood (1 MB): 413 before parsing', async () => {
        const answer = await post(open, base64(`<r>${'&#65;'.repeat(200_000)}</r>`));
        assert.equal(answer.status, 413);
      });
      it('multiple roots', async () => rejected(await post(open, base64(`${await xmlOf()}<x/>`)), /multiple_roots|malformed/));
      it('processing instruction or comment inside the assertion', async () => {
        await rejected(await post(open, build(await unsolicited(), (doc) => assertion(doc).appendChild(doc.createComment('x')))), /comment_or_pi/);
        await rejected(await post(open, build(await unsolicited(), (doc) => assertion(doc).appendChild(doc.createProcessingInstruction('x', 'y')))), /comment_or_pi/);
      });
      it('deep nesting (10,000 levels) and an attribute flood (50,000 attributes): refused in bounded time', async () => {
        const t0 = performance.now();
        await rejected(await post(open, base64(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`)), /too_deep|malformed|not_a_response/);
        const attrs = Array.from({ length: 50_000 }, (_, i) => `a${i}="1"`).join(' ');
        const answer = await post(open, base64(`<samlp:Response xmlns:samlp="${NS_SAMLP}" ${attrs}/>`));
        assert.ok(answer.status === 400 || answer.status === 413, String(answer.status));
        assert.ok(performance.now() - t0 < 5000);
      });
      it('oversized SAMLResponse (5 MB): 413 before parsing', async () => {
        const answer = await post(open, base64(`<r>${'x'.repeat(5 * 1024 * 1024)}</r>`)).catch((e: Error) => ({ status: 413, location: null, text: String(e) }));
        assert.equal(answer.status, 413);
        assert.equal(answer.location, null);
        assert.match(await lastReason(), /BODY_TOO_LARGE/);
      });
      it('decoded size cap: 600 KB of valid base64 inside the 1 MB body limit is 413', async () => {
        const answer = await post(open, base64(`<r>${'x'.repeat(600 * 1024)}</r>`));
        assert.equal(answer.status, 413);
        assert.match(await lastReason(), /response_too_large/);
      });
    });

    // ---------------------------------------------------------------- §5.7
    describe('§5.7 encoding and transport', () => {
      it('malformed base64 (junk characters, bad padding, URL-safe alphabet, %-remnants): REJECT', async () => {
        const good = build(await unsolicited());
        for (const bad of [`${good.slice(0, 40)}*!${good.slice(40)}`, `${good}=`, good.replace(/\+/g, '-').replace(/\//g, '_') + (/[+/]/.test(good) ? '' : '-'), `${good.slice(0, 40)}%3D${good.slice(40)}`]) {
          await rejected(await post(open, bad), /malformed_base64/);
        }
      });
      it('UTF-16 with BOM, and a UTF-8 BOM: REJECT', async () => {
        const xml = Buffer.from(build(await unsolicited()), 'base64').toString('utf8');
        await rejected(await post(open, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]).toString('base64')), /not_utf8/);
        await rejected(await post(open, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]).toString('base64')), /bom/);
      });
      it('a deflated SAMLResponse on POST: REJECT (never inflated)', async () => {
        const xml = Buffer.from(build(await unsolicited()), 'base64');
        await rejected(await post(open, deflateRawSync(xml).toString('base64')), /not_utf8|malformed_xml/);
      });
      it('SAMLResponse twice, or as SAMLResponse[]: REJECT', async () => {
        const b64 = encodeURIComponent(build(await unsolicited()));
        const browser = new Browser();
        await rejected(await browser.request('POST', open.acsUrl, { rawBody: `SAMLResponse=${b64}&SAMLResponse=${b64}`, accept: 'application/json' }), /parameter_pollution/);
        await rejected(await browser.request('POST', open.acsUrl, { rawBody: `SAMLResponse%5B%5D=${b64}`, accept: 'application/json' }), /no_saml_response/);
      });
      it('a form body with a broken %-escape, a non-form content type, or an empty body: REJECT with the uniform error', async () => {
        const browser = new Browser();
        for (const [body, type] of [['SAMLResponse=%E0%A4%A', 'application/x-www-form-urlencoded'], ['{"SAMLResponse":"x"}', 'application/json'], ['', 'application/x-www-form-urlencoded']] as const) {
          const answer = await browser.request('POST', open.acsUrl, { rawBody: body, contentType: type, accept: 'application/json' });
          assert.ok(answer.status >= 400 && answer.status < 500, `${type}: ${answer.status}`);
          assert.match(answer.text, UNIFORM);
        }
      });
      it('GET (or PUT) to the ACS: 405', async () => {
        const browser = new Browser();
        const get = await browser.request('GET', `${open.acsUrl}?SAMLResponse=${encodeURIComponent(build(await unsolicited()))}`);
        assert.equal(get.status, 405);
        assert.equal(get.headers.get('allow'), 'POST');
        assert.equal((await browser.request('PUT', open.acsUrl)).status, 405);
      });
    });

    // ---------------------------------------------------------------- §5.8
    describe('§5.8 RelayState and redirects', () => {
      const hostile = ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', 'x'.repeat(2048)];
      it('SP-initiated: a RelayState other than the login handle is REJECT', async () => {
        for (const relay of hostile) {
          const s = await started(world.connection);
          await rejected(await post(world.connection, build(await solicited(world.connection, s.requestId)), relay, s.browser), /relay_state_mismatch|relay_state_invalid/);
        }
      });
      it('IdP-initiated: a hostile RelayState never redirects off the registered redirect URI', async () => {
        for (const relay of hostile.slice(0, 4)) {
          const url = await accepted(await post(open, build(await unsolicited()), relay));
          assert.equal(`${url.origin}${url.pathname}`, REDIRECT_URI);
        }
        await rejected(await post(open, build(await unsolicited()), hostile[4]), /relay_state_invalid/);
      });
      it('IdP-initiated: a RelayState equal to a registered redirect URI picks it', async () => {
        const url = await accepted(await post(open, build(await unsolicited()), SECOND_REDIRECT_URI));
        assert.equal(`${url.origin}${url.pathname}`, SECOND_REDIRECT_URI);
        assert.equal(url.searchParams.get('state'), null);
      });
      it('a login handle replayed after use, or used from another browser: REJECT', async () => {
        const s = await started(world.connection);
        await accepted(await post(world.connection, build(await solicited(world.connection, s.requestId)), s.relayState, s.browser));
        await rejected(await post(world.connection, build(await solicited(world.connection, s.requestId)), s.relayState, s.browser), /unknown_in_response_to|saml_validation/);
        const t = await started(world.connection);
        await rejected(await post(world.connection, build(await solicited(world.connection, t.requestId)), t.relayState, new Browser()), /other_browser/);
      });
    });

    // ---------------------------------------------------------------- §5.9
    describe('§5.9 encrypted assertions (the SP publishes no encryption key: every EncryptedAssertion is refused)', () => {
      const encrypted = (body: string) => (doc: Document) => {
        const a = assertion(doc);
        const enc = doc.createElementNS(NS_SAML, 'saml:EncryptedAssertion');
        const data = doc.createElementNS('http://www.w3.org/2001/04/xmlenc#', 'xenc:EncryptedData');
        data.textContent = body;
        enc.appendChild(data);
        a.parentNode!.replaceChild(enc, a);
      };
      for (const name of ['signed-then-encrypted (AES-256-GCM)', 'unsigned assertion encrypted, unsigned Response', 'AES-CBC / 3DES / rsa-1_5', 'bit-flipped or truncated CipherValue', 'two Assertions inside']) {
        it(`${name}: REJECT`, async () => rejected(await post(open, build(await variant(await unsolicited(), 'sign-response'), encrypted(name))), /encrypted_assertion/));
      }
    });

    // ---------------------------------------------------------------- §5.10
    describe('§5.10 misconfiguration (fail closed)', () => {
      it('a connection without an IdP certificate cannot be created', async () => {
        const r = await world.admin.call('POST', `/organizations/${world.orgId}/sso-connections`, { idpEntityId: 'x', idpSsoUrl: 'https://idp.example/sso', idpCertificates: [] });
        assert.equal(r.status, 400);
      });
      it('metadata with several IdPs needs the entityID picked', async () => {
        const { tenant, app } = world.sim.idp.app({ slug: 'acme-portal' });
        const one = (await world.sim.idp.metadata(tenant, app)).replace(/<\?xml[^>]*\?>/, '');
        const two = one.replace(/entityID="[^"]+"/, 'entityID="second-idp"');
        const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${one}${two}</md:EntitiesDescriptor>`;
        const refused = await world.admin.call('POST', `/organizations/${world.orgId}/sso-connections`, { idpMetadataXml: xml });
        assert.equal(refused.status, 400, refused.text);
        const picked = await world.admin.call('POST', `/organizations/${world.orgId}/sso-connections`, { idpMetadataXml: xml, idpEntityId: 'second-idp' });
        assert.equal(picked.status, 201, picked.text);
        assert.equal(picked.body.idp.entityId, 'second-idp');
      });
      it('an inactive connection refuses every response', async () => {
        const c = await create({ idpEntityId: world.sim.idp.app({ slug: 'acme-portal' }).app.saml.idpEntityId, idpSsoUrl: 'https://idp.example/sso', idpCertificates: [portalCert], redirectUris: [REDIRECT_URI], allowIdpInitiated: true, state: 'inactive' });
        await rejected(await post(c, build(await unsolicited(c))), /connection_inactive/);
      });
      it('the evil identity never appears in a success event', async () => {
        const events = await eventsOf(world, 'sso.login.succeeded');
        assert.ok(events.length > 0);
        for (const e of events) assert.notEqual(e.data.user.email, EVIL);
      });
    });

    // ---------------------------------------------------------------- the ACS's one transaction
    describe('the request id, login request, replay record, code and event commit together', () => {
      const successesOf = async (c: Connection) => (await eventsOf(world, 'sso.login.succeeded')).filter((e: { data: { connectionId: string } }) => e.data.connectionId === c.id).length;

      it('a refusal after the replay record (redirect URI unregistered meanwhile) issues no code, and the response stays spent', async () => {
        const c = await create({ idpEntityId: world.sim.idp.app({ slug: 'acme-portal' }).app.saml.idpEntityId, idpSsoUrl: 'https://idp.example/sso', idpCertificates: [portalCert], redirectUris: [REDIRECT_URI, SECOND_REDIRECT_URI] });
        const s = await started(c);
        const samlResponse = build(await solicited(c, s.requestId));
        assert.equal((await world.admin.call('PATCH', `/sso-connections/${c.id}`, { redirectUris: [SECOND_REDIRECT_URI] })).status, 200);
        await rejected(await post(c, samlResponse, s.relayState, s.browser), /redirect_uri_unregistered/);
        assert.equal((await world.admin.call('PATCH', `/sso-connections/${c.id}`, { redirectUris: [REDIRECT_URI, SECOND_REDIRECT_URI] })).status, 200);
        await rejected(await post(c, samlResponse, s.relayState, s.browser), /saml_validation|unknown_in_response_to|replay/);
        assert.equal(await successesOf(c), 0, 'no login succeeded');
      });

      it('a response posted from another browser spends its request: the right browser cannot use it afterwards', async () => {
        const c = await create({ idpEntityId: world.sim.idp.app({ slug: 'acme-portal' }).app.saml.idpEntityId, idpSsoUrl: 'https://idp.example/sso', idpCertificates: [portalCert], redirectUris: [REDIRECT_URI] });
        const s = await started(c);
        const samlResponse = build(await solicited(c, s.requestId));
        await rejected(await post(c, samlResponse, s.relayState, new Browser()), /other_browser/);
        await rejected(await post(c, samlResponse, s.relayState, s.browser), /saml_validation|unknown_in_response_to/);
        assert.equal(await successesOf(c), 0);
      });

      it('a change through this node applies to the very next response (the ACS connection cache is dropped)', async () => {
        const c = await create({ idpEntityId: world.sim.idp.app({ slug: 'acme-portal' }).app.saml.idpEntityId, idpSsoUrl: 'https://idp.example/sso', idpCertificates: [portalCert], redirectUris: [REDIRECT_URI], allowIdpInitiated: true });
        await accepted(await post(c, build(await unsolicited(c))));
        assert.equal((await world.admin.call('PATCH', `/sso-connections/${c.id}`, { state: 'inactive' })).status, 200);
        await rejected(await post(c, build(await unsolicited(c))), /connection_inactive/);
        assert.equal((await world.admin.call('PATCH', `/sso-connections/${c.id}`, { state: 'active' })).status, 200);
        await accepted(await post(c, build(await unsolicited(c))));
        assert.equal((await world.admin.call('PATCH', `/sso-connections/${c.id}`, { allowIdpInitiated: false })).status, 200);
        await rejected(await post(c, build(await unsolicited(c))), /unsolicited|saml_validation/);
        assert.equal((await world.admin.call('DELETE', `/sso-connections/${c.id}`)).status, 204);
        const gone = await post(c, build(await unsolicited(c)));
        assert.equal(gone.status, 404);
      });

      it('a solicited login commits once: the same response again is refused, one success event', async () => {
        const c = await create({ idpEntityId: world.sim.idp.app({ slug: 'acme-portal' }).app.saml.idpEntityId, idpSsoUrl: 'https://idp.example/sso', idpCertificates: [portalCert], redirectUris: [REDIRECT_URI] });
        const s = await started(c);
        const samlResponse = build(await solicited(c, s.requestId));
        const answers = await Promise.all(Array.from({ length: 5 }, () => post(c, samlResponse, s.relayState, s.browser)));
        assert.equal(answers.filter((a) => a.status === 302).length, 1, answers.map((a) => a.status).join(','));
        await rejected(await post(c, samlResponse, s.relayState, s.browser), /saml_validation|unknown_in_response_to|replay/);
        assert.equal(await successesOf(c), 1);
      });
    });
  });
}
