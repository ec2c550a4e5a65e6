import { patchMessage, SCIM, sortedKeys } from './scim-schema.js';

/** What a group body is made of: the JumpCloud group (`name` → displayName) and our member ids. */
export interface GroupBodyInput {
  /** the JumpCloud group `name` */
  name: string;
  /** the JumpCloud group id, sent as `externalId` when `sendGroupExternalId` */
  jumpcloudId: string;
  sendExternalId: boolean;
}

function base(input: GroupBodyInput): Record<string, unknown> {
  return { schemas: [SCIM.group], displayName: input.name, ...(input.sendExternalId ? { externalId: input.jumpcloudId } : {}) };
}

/** `POST /Groups`: displayName, members `[{value}]` (minimal member objects, §A.4), externalId per option. */
export function groupCreateBody(input: GroupBodyInput, memberIds: readonly string[]): Record<string, unknown> {
  return sortedKeys({ ...base(input), members: memberIds.map((value) => ({ value })) });
}

/**
 * `PUT /Groups/{id}` of a rename: `{schemas, id, displayName}` without `members` (a PUT without members
 * must leave the membership alone; Gatehouse documents exactly that). With `members` (an array) it is the
 * "PUT with an empty member list" of the unbind strategy.
 */
export function groupPutBody(input: GroupBodyInput, id: string, members?: readonly string[]): Record<string, unknown> {
  return sortedKeys({ ...base(input), id, ...(members === undefined ? {} : { members: members.map((value) => ({ value })) }) });
}

/** `PATCH /Groups/{id}` replacing displayName (the 'patch' rename option). */
export function groupRenamePatch(name: string): Record<string, unknown> {
  return patchMessage([{ op: 'replace', path: 'displayName', value: name }]);
}

/**
 * `PATCH /Groups/{id}` adding or removing members with a value array, never a filter path (§A.4):
 * `{"op":"add"|"remove","path":"members","value":[{"value":"<our user id>"}]}`.
 */
export function memberPatch(op: 'add' | 'remove', memberIds: readonly string[]): Record<string, unknown> {
  return patchMessage([{ op, path: 'members', value: memberIds.map((value) => ({ value })) }]);
}
