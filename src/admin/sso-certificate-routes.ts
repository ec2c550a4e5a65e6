import type { FastifyInstance } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';
import type { RenewalInput } from '../saml/certificate-renewal.js';
import { errorResponses } from './schemas.js';
import { idpCertificateSchema, spKeySchema } from './sso-schemas.js';

const str = { type: 'string' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const id = { type: 'string', minLength: 1, maxLength: 100 } as const;

const connectionParams = { type: 'object', required: ['id'], properties: { id } } as const;
const certificateParams = { type: 'object', required: ['id', 'certId'], properties: { id, certId: id } } as const;
const keyParams = { type: 'object', required: ['id', 'keyId'], properties: { id, keyId: id } } as const;

const idpCertificatesView = {
  type: 'object',
  properties: {
    connectionId: str,
    renewal: {
      type: ['object', 'null'],
      description: 'the renewal in progress: its certificate is trusted beside the old ones until confirmed or cancelled',
      properties: { startedAt: str, certificateId: nullableString, awaitingCertificate: { type: 'boolean', description: 'started from the metadata URL before the IdP published its new certificate' } },
    },
    metadataRefresh: {
      type: 'object',
      properties: { url: nullableString, lastRefreshAt: nullableString, lastSuccessAt: nullableString, lastRefreshError: nullableString, nextRefreshAt: nullableString },
    },
    certificates: { type: 'array', items: idpCertificateSchema },
  },
} as const;

const spKeysView = { type: 'object', properties: { connectionId: str, spKeys: { type: 'array', items: spKeySchema } } } as const;

const renewalBody = {
  type: 'object',
  additionalProperties: false,
  maxProperties: 1,
  minProperties: 1,
  properties: {
    certificate: { type: 'string', minLength: 1, maxLength: 16_384, description: 'the new IdP signing certificate (PEM or base64 DER): RSA ≥ 2048 bits or EC P-256/P-384/P-521, not expired' },
    certificateId: { ...id, description: 'a pending certificate of the connection (found by a metadata refresh)' },
    fromMetadata: { type: 'boolean', enum: [true], description: 're-read the metadata URL now; if no new certificate is published yet, the renewal waits for it' },
  },
} as const;

/**
 * Admin routes of the certificate lifecycle of SSO connections: IdP certificate renewal (JumpCloud "Renew
 * Certificate" / "Confirm Certificate Renewal"), the metadata refresh, and SP key rollover.
 */
export function ssoCertificateRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const { renewal, spKeys, refresher } = gatehouse.ssoCertificates;
  const tags = ['sso'];

  app.get<{ Params: { id: string } }>(
    '/sso-connections/:id/idp-certificates',
    { schema: { tags, summary: 'The IdP certificates of a connection, the renewal in progress and the metadata refresh state', params: connectionParams, response: { 200: idpCertificatesView, ...errorResponses } } },
    async (request) => renewal.view(request.params.id),
  );

  app.post<{ Params: { id: string }; Body: RenewalInput }>(
    '/sso-connections/:id/idp-certificates/renewal',
    {
      schema: {
        tags,
        summary: '"Renew Certificate": trust a new IdP certificate beside the current ones until the renewal is confirmed or cancelled',
        params: connectionParams,
        body: renewalBody,
        response: { 201: idpCertificatesView, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await renewal.start(request.params.id, request.body)),
  );

  app.post<{ Params: { id: string } }>(
    '/sso-connections/:id/idp-certificates/renewal/confirm',
    { schema: { tags, summary: '"Confirm Certificate Renewal": the new certificate becomes the only trusted one; the old ones are removed', params: connectionParams, response: { 200: idpCertificatesView, ...errorResponses } } },
    async (request) => renewal.confirm(request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/sso-connections/:id/idp-certificates/renewal',
    { schema: { tags, summary: 'Cancel the renewal: the new certificate is removed, the old ones are trusted as before', params: connectionParams, response: { 200: idpCertificatesView, ...errorResponses } } },
    async (request) => renewal.cancel(request.params.id),
  );

  app.post<{ Params: { id: string; certId: string } }>(
    '/sso-connections/:id/idp-certificates/:certId/dismiss',
    { schema: { tags, summary: 'Dismiss a pending certificate (kept as removed, so a refresh does not bring it back)', params: certificateParams, response: { 200: idpCertificatesView, ...errorResponses } } },
    async (request) => renewal.dismiss(request.params.id, request.params.certId),
  );

  app.post<{ Params: { id: string } }>(
    '/sso-connections/:id/idp-metadata/refresh',
    { schema: { tags, summary: 'Re-read the IdP metadata URL now (new certificates become pending, or trusted beside the old one when a renewal waits for them)', params: connectionParams, response: { 200: idpCertificatesView, ...errorResponses } } },
    async (request) => refresher.refreshOne(request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/sso-connections/:id/sp-keys',
    { schema: { tags, summary: 'The SP signing keys of a connection (certificates only)', params: connectionParams, response: { 200: spKeysView, ...errorResponses } } },
    async (request) => spKeys.list(request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/sso-connections/:id/sp-keys',
    { schema: { tags, summary: 'Generate the next SP signing key: published in the SP metadata beside the active one, signs nothing yet', params: connectionParams, response: { 201: spKeySchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await spKeys.create(request.params.id)),
  );

  app.post<{ Params: { id: string; keyId: string } }>(
    '/sso-connections/:id/sp-keys/:keyId/activate',
    { schema: { tags, summary: 'Switch AuthnRequest signing to this key; the active one becomes retiring (still published)', params: keyParams, response: { 200: spKeysView, ...errorResponses } } },
    async (request) => spKeys.activate(request.params.id, request.params.keyId),
  );

  app.post<{ Params: { id: string; keyId: string } }>(
    '/sso-connections/:id/sp-keys/:keyId/retire',
    { schema: { tags, summary: 'Retire a key that does not sign: it leaves the SP metadata', params: keyParams, response: { 200: spKeysView, ...errorResponses } } },
    async (request) => spKeys.retire(request.params.id, request.params.keyId),
  );
}
