import type { FastifyInstance } from 'fastify';
import type { ConnectionInput } from '../saml/connections.js';
import type { Gatehouse } from '../gatehouse.js';
import { errorResponses, idParam, pageQuery } from './schemas.js';
import { idpCertificateSchema, spKeySchema } from './sso-schemas.js';

const nullableString = { type: ['string', 'null'] } as const;
const str = { type: 'string' } as const;

const mappingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { email: nullableString, firstName: nullableString, lastName: nullableString, groups: nullableString },
  description: 'SAML attribute names for the profile fields; unset fields try the usual names (email, mail, firstName, givenName, …)',
} as const;

const connectionSchema = {
  type: 'object',
  properties: {
    id: str,
    organizationId: str,
    name: str,
    state: { type: 'string', enum: ['active', 'inactive'] },
    spEntityId: str,
    acsUrl: str,
    spMetadataUrl: str,
    loginUrl: { type: 'string', description: 'SP-initiated start: the "Login URL" of the JumpCloud portal tile' },
    idp: {
      type: 'object',
      properties: {
        entityId: str,
        ssoUrl: str,
        metadataUrl: nullableString,
        metadataFetchedAt: nullableString,
        lastRefreshAt: { type: ['string', 'null'], description: 'the last re-read of the metadata URL (periodic or POST …/idp-metadata/refresh)' },
        lastRefreshError: { type: ['string', 'null'], description: 'why that re-read failed; null when it succeeded (a failure changes no trusted certificate)' },
      },
    },
    idpCertificates: { type: 'array', items: idpCertificateSchema },
    spKeys: { type: 'array', items: spKeySchema },
    allowIdpInitiated: { type: 'boolean' },
    wantAssertionsSigned: { type: 'boolean' },
    wantResponseSigned: { type: 'boolean' },
    allowSha1: { type: 'boolean' },
    refuseDeactivatedUsers: { type: 'boolean' },
    attributeMapping: { type: 'object', properties: { email: str, firstName: str, lastName: str, groups: str } },
    redirectUris: { type: 'array', items: str },
    oauth: {
      type: 'object',
      properties: {
        clientId: str,
        clientSecretHint: { type: 'string', description: 'the last four characters of the client secret' },
        clientSecret: { type: 'string', description: 'present only in the answer that created the connection' },
      },
    },
    createdAt: str,
    updatedAt: str,
  },
} as const;

const settings = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  allowIdpInitiated: { type: 'boolean', description: 'accept unsolicited (IdP-initiated) responses; off by default' },
  redirectUris: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 2048 }, description: 'registered OAuth redirect URIs (exact match); the first is the default for IdP-initiated logins' },
  attributeMapping: { anyOf: [mappingSchema, { type: 'null' }] },
  wantAssertionsSigned: { type: 'boolean', description: 'require a signed Assertion (default: Response or Assertion signed)' },
  wantResponseSigned: { type: 'boolean', description: 'require a signed Response' },
  allowSha1: { type: 'boolean', description: 'legacy: accept RSA-SHA1 / SHA-1 signatures (refused by default)' },
  refuseDeactivatedUsers: { type: 'boolean', description: 'refuse logins of users that SCIM provisioning deactivated (default true)' },
  state: { type: 'string', enum: ['active', 'inactive'] },
  idpEntityId: { type: 'string', minLength: 1, maxLength: 1024 },
  idpSsoUrl: { type: 'string', minLength: 1, maxLength: 2048 },
} as const;

const createBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...settings,
    idpMetadataXml: { type: 'string', minLength: 1, maxLength: 1_048_576, description: 'the IdP metadata document (JumpCloud "Export Metadata")' },
    idpMetadataUrl: { type: 'string', minLength: 1, maxLength: 2048, description: 'https URL of the IdP metadata (fetched now: 5 s timeout, 1 MB cap, no redirects, no private addresses)' },
    idpCertificates: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 16384 }, description: 'PEM signing certificates (with idpEntityId and idpSsoUrl)' },
  },
} as const;

const patchBody = { type: 'object', additionalProperties: false, properties: settings } as const;

/** Admin routes of SAML SSO connections (secrets never returned, except the client secret at creation). */
export function ssoConnectionRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const connections = gatehouse.ssoConnections;

  app.post<{ Params: { orgId: string }; Body: ConnectionInput }>(
    '/organizations/:orgId/sso-connections',
    {
      schema: {
        tags: ['sso'],
        summary: 'Create a SAML SSO connection from IdP metadata (XML or URL) or fields; the OAuth client secret appears only here',
        params: idParam('orgId'),
        body: createBody,
        response: { 201: connectionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { clientSecret, ...connection } = await connections.create(request.params.orgId, request.body);
      return reply.code(201).send({ ...connection, oauth: { ...connection.oauth, clientSecret } });
    },
  );

  app.get<{ Params: { orgId: string }; Querystring: { limit: number; cursor?: string } }>(
    '/organizations/:orgId/sso-connections',
    {
      schema: {
        tags: ['sso'],
        summary: "List an organization's SSO connections, oldest first",
        params: idParam('orgId'),
        querystring: { type: 'object', properties: pageQuery },
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: connectionSchema }, next: nullableString } }, ...errorResponses },
      },
    },
    async (request) => connections.list(request.params.orgId, request.query.limit, request.query.cursor),
  );

  app.get<{ Params: { id: string } }>(
    '/sso-connections/:id',
    { schema: { tags: ['sso'], summary: 'Get an SSO connection', params: idParam('id'), response: { 200: connectionSchema, ...errorResponses } } },
    async (request) => connections.get(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: ConnectionInput }>(
    '/sso-connections/:id',
    { schema: { tags: ['sso'], summary: 'Change the settings of an SSO connection', params: idParam('id'), body: patchBody, response: { 200: connectionSchema, ...errorResponses } } },
    async (request) => connections.update(request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    '/sso-connections/:id',
    { schema: { tags: ['sso'], summary: 'Delete an SSO connection (its codes and tokens go with it)', params: idParam('id'), response: { 204: { type: 'null' }, ...errorResponses } } },
    async (request, reply) => {
      await connections.delete(request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/oauth/signing-keys/rotate',
    {
      schema: {
        tags: ['sso'],
        summary: 'Replace the id_token signing key now (the old key stays in the JWKS for a day)',
        response: { 200: { type: 'object', properties: { kid: str } }, ...errorResponses },
      },
    },
    async () => ({ kid: await gatehouse.oauthSigningKeys.rotate() }),
  );
}
