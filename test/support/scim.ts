/**
 * Shared helpers of the black-box SCIM suites (test/http/scim-*.test.ts): a directory with its SCIM client,
 * the SCIM Error assertions, the event log seen through the admin API, and the wire URNs.
 */
import assert from 'node:assert/strict';
import { adminClient, scimClient, type HttpResult, type TestServer } from './server.js';

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export type Scim = ReturnType<typeof scimClient>;
export type Admin = ReturnType<typeof adminClient>;

export interface ScimDirectory {
  admin: Admin;
  orgId: string;
  dirId: string;
  endpoint: string;
  token: string;
  scim: Scim;
}

/** A new organization (unless one is given) with one SCIM directory, and a client for it. */
export async function scimDirectory(server: TestServer, provider = 'generic', orgId?: string): Promise<ScimDirectory> {
  const admin = adminClient(server);
  const org = orgId ?? (await admin.organization(`Org ${provider} ${Math.random().toString(36).slice(2, 8)}`)).id;
  const dir = await admin.directory(org, provider);
  return { admin, orgId: org, dirId: dir.id, endpoint: dir.scim.endpoint, token: dir.scim.token, scim: scimClient(dir.scim.endpoint, dir.scim.token) };
}

const STACK_TRACE = /\bat [^\n]*\((?:file:|node:|\/)[^)]*:\d+:\d+\)|\bat [^\n]*\.(?:ts|js|mjs):\d+|node_modules\//;

/** The SCIM content type on a response (RFC 7644 §3.1, checklist D6). */
export function assertScimContentType(r: HttpResult, label = ''): void {
  assert.match(r.headers.get('content-type') ?? '', /^application\/scim\+json(;\s*charset=utf-8)?$/i, `${label} content-type: ${r.headers.get('content-type')}`);
}

/**
 * A SCIM Error response (RFC 7644 §3.12, checklist E1): the status, the Error schema, `status` as a string,
 * `detail`, `scimType` when expected (`null` = must be absent), the SCIM content type, no stack trace.
 */
export function assertScimError(r: HttpResult, status: number, scimType?: string | null, label = ''): void {
  const where = `${label} → ${r.status} ${r.text.slice(0, 400)}`;
  assert.equal(r.status, status, where);
  assertScimContentType(r, where);
  assert.ok(r.body && typeof r.body === 'object', `${where}: a JSON body`);
  assert.deepEqual(r.body.schemas, [URN.error], where);
  assert.equal(r.body.status, String(status), `${where}: status is a string`);
  assert.equal(typeof r.body.detail, 'string', `${where}: has a detail`);
  if (scimType === null) assert.equal(r.body.scimType, undefined, `${where}: no scimType`);
  else if (scimType !== undefined) assert.equal(r.body.scimType, scimType, where);
  assert.doesNotMatch(r.text, STACK_TRACE, `${where}: leaks a stack trace`);
}

/** A successful SCIM answer with the expected status and the SCIM content type. */
export function assertOk(r: HttpResult, status = 200, label = ''): void {
  assert.equal(r.status, status, `${label} → ${r.status} ${r.text.slice(0, 600)}`);
  if (status !== 204 && status !== 304) assertScimContentType(r, label);
}

export function patchOp(...operations: unknown[]): { schemas: string[]; Operations: unknown[] } {
  return { schemas: [URN.patchOp], Operations: operations };
}

export function searchRequest(fields: Record<string, unknown>): Record<string, unknown> {
  return { schemas: [URN.searchRequest], ...fields };
}

export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [URN.user], userName, ...extra };
}

export function groupBody(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [URN.group], displayName, ...extra };
}

/** Creates a user and returns its SCIM representation (fails the test unless 201). */
export async function createUser(scim: Scim, userName: string, extra: Record<string, unknown> = {}): Promise<any> {
  const r = await scim('POST', '/Users', userBody(userName, extra));
  assertOk(r, 201, `create user ${userName}`);
  return r.body;
}

export async function createGroup(scim: Scim, displayName: string, memberIds: string[] = [], extra: Record<string, unknown> = {}): Promise<any> {
  const members = memberIds.map((value) => ({ value }));
  const r = await scim('POST', '/Groups', groupBody(displayName, { ...(members.length > 0 ? { members } : {}), ...extra }));
  assertOk(r, 201, `create group ${displayName}`);
  return r.body;
}

export interface GatehouseEvent {
  id: string;
  type: string;
  organizationId: string | null;
  directoryId: string | null;
  occurredAt: string;
  data: any;
  previous?: Record<string, unknown>;
}

/** Every event of a directory strictly after `after` (an event id), oldest first. */
export async function directoryEvents(admin: Admin, dirId: string, after?: string): Promise<GatehouseEvent[]> {
  const out: GatehouseEvent[] = [];
  let cursor = after;
  for (;;) {
    const r = await admin.call('GET', `/events?directory=${dirId}&limit=500${cursor ? `&after=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.body.data);
    if (!r.body.next) return out;
    cursor = r.body.next;
  }
}

/** The id of a directory's latest event (a directory always has `directory.created`). */
export async function lastEventId(admin: Admin, dirId: string): Promise<string> {
  const all = await directoryEvents(admin, dirId);
  const last = all[all.length - 1];
  assert.ok(last, 'the directory has events');
  return last.id;
}

/** Runs `work` and returns the events it wrote to the directory. */
export async function eventsDuring(d: ScimDirectory, work: () => Promise<unknown>): Promise<GatehouseEvent[]> {
  const mark = await lastEventId(d.admin, d.dirId);
  await work();
  return directoryEvents(d.admin, d.dirId, mark);
}

export function types(events: GatehouseEvent[]): string[] {
  return events.map((e) => e.type);
}

/** The directory user as the admin API shows it now. */
export async function adminUser(d: ScimDirectory, userId: string): Promise<any> {
  const r = await d.admin.call('GET', `/directories/${d.dirId}/users/${userId}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

export async function adminGroup(d: ScimDirectory, groupId: string): Promise<any> {
  const r = await d.admin.call('GET', `/directories/${d.dirId}/groups/${groupId}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** The ids of a group's members, from the admin API. */
export async function adminMemberIds(d: ScimDirectory, groupId: string): Promise<string[]> {
  const r = await d.admin.call('GET', `/directories/${d.dirId}/groups/${groupId}/members?limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.body.data.map((u: { id: string }) => u.id).sort();
}

/** Asserts the events each carry this directory's ids and the given types, in order. */
export function assertEventTypes(events: GatehouseEvent[], d: ScimDirectory, expected: string[], label = ''): void {
  assert.deepEqual(types(events), expected, label);
  for (const e of events) {
    assert.equal(e.directoryId, d.dirId, `${label}: ${e.type} directoryId`);
    assert.equal(e.organizationId, d.orgId, `${label}: ${e.type} organizationId`);
    assert.match(e.id, /^evt_/);
    assert.ok(!Number.isNaN(Date.parse(e.occurredAt)), `${label}: ${e.type} occurredAt`);
  }
}

/** A SCIM resource's `meta.version` and `meta.lastModified`, read fresh. */
export async function versionOf(scim: Scim, path: string): Promise<{ version: string; lastModified: string; etag: string | null }> {
  const r = await scim('GET', path);
  assertOk(r, 200, `GET ${path}`);
  return { version: r.body.meta.version, lastModified: r.body.meta.lastModified, etag: r.headers.get('etag') };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const q = encodeURIComponent;
