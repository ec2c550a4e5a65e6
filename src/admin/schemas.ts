/** JSON Schemas of the admin API: request validation, response serialisation and the OpenAPI document. */

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export const idParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: { type: 'string', minLength: 1, maxLength: 100 } },
  }) as const;

export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'page size (default 50, max 500)' },
  cursor: { type: 'string', maxLength: 512, description: 'the `next` value of the previous page' },
} as const;

export const organizationSchema = {
  $id: 'Organization',
  type: 'object',
  required: ['id', 'name', 'domains', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    domains: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const directorySchema = {
  $id: 'Directory',
  type: 'object',
  required: ['id', 'organizationId', 'provider', 'name', 'state', 'scim', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    organizationId: { type: 'string' },
    provider: { type: 'string', enum: ['jumpcloud', 'okta', 'entra', 'generic'] },
    name: { type: 'string' },
    state: { type: 'string' },
    userCount: { type: 'integer' },
    activeUserCount: { type: 'integer' },
    groupCount: { type: 'integer' },
    deletedUserCount: { type: 'integer', description: 'soft-deleted users (SCIM DELETE), not counted in userCount' },
    settings: { $ref: 'DirectorySettings#' },
    activity: {
      type: 'object',
      description: "SCIM requests authenticated with this directory's token (counted in memory, stored every few seconds)",
      required: ['lastRequestAt', 'lastSuccessAt', 'requestCount', 'errorCount', 'lastError'],
      properties: {
        lastRequestAt: { type: ['string', 'null'], format: 'date-time' },
        lastSuccessAt: { type: ['string', 'null'], format: 'date-time' },
        requestCount: { type: 'integer' },
        errorCount: { type: 'integer', description: 'answers with a 4xx or 5xx status' },
        lastError: {
          type: ['object', 'null'],
          required: ['status', 'message', 'at'],
          properties: { status: { type: 'integer' }, message: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
        },
      },
    },
    scim: {
      type: 'object',
      required: ['endpoint'],
      properties: {
        endpoint: { type: 'string', description: 'the Endpoint URL / Base URL to paste into the identity provider' },
        token: { type: 'string', description: 'the bearer token: present only in the answer that issued it' },
        tokenHint: { type: 'string', description: 'the last four characters of the current token' },
        tokenCreatedAt: { type: 'string', format: 'date-time' },
      },
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const enumOrNull = (values: readonly string[]) => ({ type: ['string', 'null'], enum: [...values, null] }) as const;

/**
 * A directory's provisioning settings (src/scim/dialects): in a directory, the effective values (its
 * provider dialect's defaults with its overrides); in `PATCH /api/directories/:dirId`, the keys to change
 * (`null` resets one to the dialect's default).
 */
export const directorySettingsSchema = {
  $id: 'DirectorySettings',
  type: 'object',
  additionalProperties: false,
  properties: {
    userDelete: { ...enumOrNull(['soft', 'hard']), description: 'SCIM DELETE of a user: soft (state `deleted`, revived by a later POST) or hard' },
    onSuspend: { ...enumOrNull(['deactivate', 'deactivate-and-remove-memberships']), description: '`active:false`: deactivate, or also remove from every group' },
    orphanedMembers: { ...enumOrNull(['deactivate', 'keep']), description: 'members left in no group when their group is emptied or deleted' },
    groupNameConflict: { ...enumOrNull(['takeover', 'conflict']), description: 'POST /Groups with an existing name: adopt that group, or 409' },
    unmatchedFilter: { ...enumOrNull(['create', 'noTarget']), description: 'PATCH add/replace through a value filter matching nothing' },
    testConnection: {
      type: ['object', 'null'],
      additionalProperties: false,
      description: 'recognising and purging Test Connection users and groups',
      properties: {
        purge: { type: ['boolean', 'null'] },
        userNames: { type: ['array', 'null'], maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 256 }, description: 'the test e-mails/userNames given to the IdP' },
        windowSeconds: { type: ['integer', 'null'], minimum: 0, maximum: 3600, description: 'deleted/deactivated this soon after creation, in no group: a test user; empty untouched groups this old: test groups' },
      },
    },
  },
} as const;

const groupRef = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const directoryUserSchema = {
  $id: 'DirectoryUser',
  type: 'object',
  required: ['id', 'directoryId', 'userName', 'state', 'groups', 'roles', 'raw', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    directoryId: { type: 'string' },
    externalId: nullableString,
    userName: { type: 'string' },
    email: nullableString,
    emails: { type: 'array', items: { type: 'string' } },
    firstName: nullableString,
    lastName: nullableString,
    displayName: nullableString,
    state: { type: 'string', enum: ['active', 'inactive', 'deleted'], description: '`deleted`: soft-deleted by SCIM DELETE (listed only with `?state=deleted`)' },
    groups: { type: 'array', items: groupRef },
    roles: { type: 'array', items: { type: 'string' } },
    raw: { type: 'object', additionalProperties: true, description: 'the SCIM body as last received (never a password)' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const directoryGroupSchema = {
  $id: 'DirectoryGroup',
  type: 'object',
  required: ['id', 'directoryId', 'name', 'memberCount', 'raw', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    directoryId: { type: 'string' },
    externalId: nullableString,
    name: { type: 'string' },
    memberCount: { type: 'integer' },
    raw: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const eventSchema = {
  $id: 'Event',
  type: 'object',
  required: ['id', 'type', 'organizationId', 'directoryId', 'occurredAt', 'data'],
  properties: {
    id: { type: 'string', description: 'unique; the idempotency key' },
    type: { type: 'string' },
    organizationId: nullableString,
    directoryId: nullableString,
    occurredAt: { type: 'string', format: 'date-time' },
    data: { type: 'object', additionalProperties: true, description: 'the resource after the change' },
    previous: { type: 'object', additionalProperties: true, description: 'for updates: the changed fields before the change' },
  },
} as const;

/** `{"data":[…],"next":…}` of items of the named schema. */
export function pageOf(ref: string) {
  return {
    type: 'object',
    required: ['data', 'next'],
    properties: { data: { type: 'array', items: { $ref: `${ref}#` } }, next: { type: ['string', 'null'] } },
  } as const;
}

export const sharedSchemas = [errorSchema, directorySettingsSchema, organizationSchema, directorySchema, directoryUserSchema, directoryGroupSchema, eventSchema];

/** Error responses every authenticated route may give. */
export const errorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
} as const;
