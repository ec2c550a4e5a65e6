import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ScimError } from '../errors.js';
import type { ResourceTypeDef, SchemaDef } from '../schema/attribute.js';
import { resourceTypes, schemaById, schemas } from '../schema/resource-types.js';
import { URN } from '../schema/urns.js';
import { MAX_RESULTS } from './list-params.js';
import { baseUrlOf, sendList, SCIM_CONTENT_TYPE } from './reply.js';

/** When this server's discovery documents last changed (they are code, not data). */
const DISCOVERY_VERSION_DATE = '2026-11-24T00:00:00.000Z';

function serviceProviderConfig(base: string) {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer Token',
        description: "The directory's bearer token, issued by Gatehouse: Authorization: Bearer <token>",
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig`, created: DISCOVERY_VERSION_DATE, lastModified: DISCOVERY_VERSION_DATE },
  };
}

function resourceTypeResource(type: ResourceTypeDef, base: string) {
  return {
    schemas: [URN.resourceType],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema,
    schemaExtensions: type.schemaExtensions,
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${type.id}` },
  };
}

function schemaResource(schema: SchemaDef, base: string) {
  return {
    schemas: [URN.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  };
}

/** GET-only discovery endpoints (RFC 7644 §4). Query parameters are ignored, as the RFC says. */
export function discoveryRoutes(app: FastifyInstance, publicUrl: string): void {
  const base = (request: FastifyRequest) => baseUrlOf(request, publicUrl);

  app.get('/ServiceProviderConfig', async (request, reply) => reply.type(SCIM_CONTENT_TYPE).send(serviceProviderConfig(base(request))));

  app.get('/ResourceTypes', async (request, reply) =>
    sendList(reply, resourceTypes.length, 1, resourceTypes.map((t) => resourceTypeResource(t, base(request)))),
  );

  app.get<{ Params: { dirId: string; id: string } }>('/ResourceTypes/:id', async (request, reply) => {
    const type = resourceTypes.find((t) => t.id.toLowerCase() === request.params.id.toLowerCase());
    if (!type) throw ScimError.notFound(`no resource type "${request.params.id}"`);
    return reply.type(SCIM_CONTENT_TYPE).send(resourceTypeResource(type, base(request)));
  });

  app.get('/Schemas', async (request, reply) => sendList(reply, schemas.length, 1, schemas.map((s) => schemaResource(s, base(request)))));

  app.get<{ Params: { dirId: string; id: string } }>('/Schemas/:id', async (request, reply) => {
    const schema = schemaById(request.params.id);
    if (!schema) throw ScimError.notFound(`no schema "${request.params.id}"`);
    return reply.type(SCIM_CONTENT_TYPE).send(schemaResource(schema, base(request)));
  });
}
