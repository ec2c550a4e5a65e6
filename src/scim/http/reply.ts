import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceSchema } from '../schema/resource-types.js';
import { projectResource } from '../resource/project.js';
import { URN } from '../schema/urns.js';
import type { Projection } from './list-params.js';
import { etagOf } from './representation.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** The SCIM base URL of the directory in this request (what `meta.location` is built on). */
export function baseUrlOf(request: FastifyRequest, publicUrl: string): string {
  return `${publicUrl}/scim/v2/${request.directory!.id}`;
}

/**
 * Projects a resource built from a stored document. Without `attributes`/`excludedAttributes` there is
 * nothing to select: stored documents hold only schema attributes and never a `returned: never` one
 * (normalizeResource drops the password), and no attribute of our schemas is `returned: request`.
 */
export function projectStored(resource: Record<string, unknown>, schema: ResourceSchema, projection: Projection): Record<string, unknown> {
  if (projection.attributes === undefined && projection.excludedAttributes === undefined) return resource;
  return projectResource(resource, schema, projection);
}

/** Sends one resource with its ETag, projected as the client asked. */
export function sendResource(
  reply: FastifyReply,
  status: number,
  resource: Record<string, unknown>,
  version: number,
  schema: ResourceSchema,
  projection: Projection,
): FastifyReply {
  return reply
    .code(status)
    .type(SCIM_CONTENT_TYPE)
    .header('etag', etagOf(version))
    .send(projectStored(resource, schema, projection));
}

/** A ListResponse (RFC 7644 §3.4.2). `Resources` is always present, possibly empty. */
export function sendList(reply: FastifyReply, total: number, startIndex: number, resources: Record<string, unknown>[]): FastifyReply {
  return reply.code(200).type(SCIM_CONTENT_TYPE).send({
    schemas: [URN.listResponse],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  });
}
