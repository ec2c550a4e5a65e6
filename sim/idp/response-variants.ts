import type { SigningPair } from './certificates.js';
import type { ResponseOptions } from './response-builder.js';
import type { ResponseMutation } from './response-mutations.js';
import { CONFIRMATION, STATUS } from './saml-xml.js';

/** What variants may need besides the options: the response's "now" and a key the SP does not trust. */
export interface VariantContext {
  now: Date;
  /** a signing pair that is not any app's (made on first use) */
  attackerPair(): Promise<SigningPair>;
}

interface VariantSpec {
  /** the saml-security.md section of the case */
  catalog: string;
  /** what an SP must do with it (with node-saml alone, where that differs) */
  expect: string;
  apply(o: ResponseOptions, ctx: VariantContext): ResponseOptions | Promise<ResponseOptions>;
}

const EVIL = 'https://evil.example';
const minutes = (ctx: VariantContext, n: number): Date => new Date(ctx.now.getTime() + n * 60_000);
const mutate = (o: ResponseOptions, ...m: ResponseMutation[]): ResponseOptions => ({ ...o, mutations: [...(o.mutations ?? []), ...m] });
const evilNameId = (nameId: string): string => `admin@${nameId.includes('@') ? nameId.slice(nameId.indexOf('@') + 1) : 'example.com'}`;

/**
 * Named changes to a valid response: the signing modes JumpCloud offers, and the attack-catalog cases of
 * saml-security.md §5 that an IdP can produce. Each applies to the options of a valid response (as the IdP
 * would send it) and changes one thing; several can be combined in order (`['sign-assertion', 'rsa-sha1']`).
 * `expect` says what a correct SP does; "node-saml accepts" marks the gaps Gatehouse's own checks close.
 */
export const RESPONSE_VARIANTS = {
  // ---- signing modes and algorithms (JumpCloud options; valid) ----
  'sign-response': { catalog: '§5.2', expect: 'ACCEPT (JumpCloud default)', apply: (o) => ({ ...o, signing: { ...o.signing, mode: 'response' } }) },
  'sign-assertion': { catalog: '§5.2', expect: 'ACCEPT', apply: (o) => ({ ...o, signing: { ...o.signing, mode: 'assertion' } }) },
  'sign-both': { catalog: '§5.2', expect: 'ACCEPT', apply: (o) => ({ ...o, signing: { ...o.signing, mode: 'both' } }) },
  'rsa-sha1': { catalog: '§5.4', expect: 'REJECT by default (node-saml accepts); JumpCloud offers it', apply: (o) => ({ ...o, signing: { ...o.signing, algorithm: 'RSA-SHA1', digest: 'sha1' } }) },
  'sha1-digest': { catalog: '§5.4', expect: 'REJECT (node-saml accepts)', apply: (o) => ({ ...o, signing: { ...o.signing, algorithm: 'RSA-SHA256', digest: 'sha1' } }) },
  'no-key-info': { catalog: '§5.4', expect: 'ACCEPT (trusted key, KeyInfo is ignored)', apply: (o) => ({ ...o, signing: { ...o.signing, certificatePem: null } }) },
  // ---- signature presence and keys ----
  unsigned: { catalog: '§5.2', expect: 'REJECT', apply: (o) => ({ ...o, signing: { ...o.signing, mode: 'none' } }) },
  'strip-signatures': { catalog: '§5.2', expect: 'REJECT', apply: (o) => mutate(o, { type: 'strip-signatures' }) },
  'attacker-key': {
    catalog: '§5.4',
    expect: 'REJECT (certificate substitution)',
    apply: async (o, ctx) => {
      const pair = await ctx.attackerPair();
      return { ...o, signing: { ...o.signing, privateKeyPem: pair.privateKeyPem, certificatePem: pair.certificatePem } };
    },
  },
  'tampered-name-id': { catalog: '§5.2', expect: 'REJECT (digest)', apply: (o) => mutate(o, { type: 'set-text', element: 'NameID', value: evilNameId(o.nameId) }) },
  'comment-in-name-id': {
    catalog: '§5.3',
    expect: 'REJECT, or at least never the truncated identity (node-saml accepts the full text)',
    apply: (o) => ({ ...mutate(o, { type: 'insert-comment', element: 'NameID', at: o.nameId.length }), nameId: `${o.nameId}.evil.example` }),
  },
  xsw3: { catalog: '§5.1', expect: 'REJECT', apply: (o) => mutate(o, { type: 'xsw3', nameId: evilNameId(o.nameId) }) },
  'duplicate-assertion': { catalog: '§5.5', expect: 'REJECT', apply: (o) => mutate(o, { type: 'duplicate-assertion' }) },
  doctype: { catalog: '§5.6', expect: 'REJECT (node-saml accepts)', apply: (o) => mutate(o, { type: 'doctype' }) },
  // ---- conditions, binding, replay ----
  'wrong-audience': { catalog: '§5.5', expect: 'REJECT', apply: (o) => ({ ...o, audience: `${EVIL}/sp` }) },
  'no-audience': { catalog: '§5.5', expect: 'REJECT', apply: (o) => ({ ...o, audience: null }) },
  'wrong-recipient': { catalog: '§5.5', expect: 'REJECT (node-saml accepts)', apply: (o) => ({ ...o, recipient: `${EVIL}/acs` }) },
  'no-recipient': { catalog: '§5.5', expect: 'REJECT (node-saml accepts)', apply: (o) => ({ ...o, recipient: null }) },
  'wrong-destination': { catalog: '§5.5', expect: 'REJECT (node-saml accepts)', apply: (o) => ({ ...o, destination: `${EVIL}/acs` }) },
  'no-destination': { catalog: '§5.5', expect: 'ACCEPT when unsigned envelope allows it; policy', apply: (o) => ({ ...o, destination: null }) },
  'wrong-issuer': { catalog: '§5.5', expect: 'REJECT (node-saml accepts)', apply: (o) => ({ ...o, assertionIssuer: `${EVIL}/idp` }) },
  'holder-of-key': { catalog: '§5.5', expect: 'REJECT (node-saml accepts)', apply: (o) => ({ ...o, confirmationMethod: CONFIRMATION.holderOfKey }) },
  expired: {
    catalog: '§5.5',
    expect: 'REJECT',
    apply: (o, ctx) => ({ ...o, issueInstant: minutes(ctx, -15), authnInstant: minutes(ctx, -15), notBefore: minutes(ctx, -15), notOnOrAfter: minutes(ctx, -10), subjectNotOnOrAfter: minutes(ctx, -10) }),
  },
  'subject-expired': { catalog: '§5.5', expect: 'REJECT (node-saml only when it validates InResponseTo)', apply: (o, ctx) => ({ ...o, subjectNotOnOrAfter: minutes(ctx, -10) }) },
  'not-yet-valid': { catalog: '§5.5', expect: 'REJECT', apply: (o, ctx) => ({ ...o, notBefore: minutes(ctx, 10) }) },
  stale: {
    catalog: '§5.5',
    expect: 'REJECT with maxAssertionAgeMs',
    apply: (o, ctx) => ({ ...o, issueInstant: minutes(ctx, -120), authnInstant: minutes(ctx, -120), notBefore: minutes(ctx, -120), notOnOrAfter: minutes(ctx, 60), subjectNotOnOrAfter: minutes(ctx, 60) }),
  },
  'wrong-in-response-to': { catalog: '§5.5', expect: 'REJECT', apply: (o) => ({ ...o, inResponseTo: '_never_issued_request_id' }) },
  unsolicited: { catalog: '§5.5', expect: 'ACCEPT only when IdP-initiated is allowed', apply: (o) => ({ ...o, inResponseTo: null }) },
  'strip-response-in-response-to': {
    catalog: '§5.5',
    expect: 'REJECT (node-saml accepts with ifPresent); needs an unsigned Response',
    apply: (o) => mutate(o, { type: 'remove-attribute', element: 'Response', attribute: 'InResponseTo' }),
  },
  'error-status': {
    catalog: '§5.5',
    expect: 'REJECT, no session',
    apply: (o) => ({ ...o, status: { code: STATUS.requester, subCode: STATUS.requestDenied, message: 'The user is not allowed to access this application' } }),
  },
} satisfies Record<string, VariantSpec>;

/** The name of a {@link RESPONSE_VARIANTS} entry. */
export type ResponseVariantName = keyof typeof RESPONSE_VARIANTS;

/** true for a known variant name. */
export function isVariantName(name: string): name is ResponseVariantName {
  return Object.hasOwn(RESPONSE_VARIANTS, name);
}

/** Applies the named variants in order. */
export async function applyVariants(options: ResponseOptions, names: readonly ResponseVariantName[], ctx: VariantContext): Promise<ResponseOptions> {
  let out = options;
  for (const name of names) out = await (RESPONSE_VARIANTS[name] as VariantSpec).apply(out, ctx);
  return out;
}
