import { newId } from './ids.js';
import type { Directory, NewEvent } from './types.js';

/** Event types, CONTRACT.md. */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.user_added',
  'group.user_removed',
  'directory.created',
  'directory.token_rotated',
  'organization.created',
  'role_mappings.updated',
  'webhook.endpoint_disabled',
  'directory.updated',
  'jumpcloud.sync_finished',
  'jumpcloud.sync_failed',
  'jumpcloud.finding_opened',
  'jumpcloud.finding_resolved',
  'sso.login.succeeded',
  'sso.login.failed',
  'connection.certificate_expiring',
  'connection.certificate_renewal_started',
  'connection.certificate_added',
  'connection.certificate_renewal_confirmed',
  'connection.certificate_renewal_cancelled',
  'connection.sp_key_created',
  'connection.sp_key_activated',
  'connection.sp_key_retired',
  'connection.metadata_refresh_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Builds one event of a directory; the caller appends it in the transaction of the change. */
export function directoryEvent(
  directory: Pick<Directory, 'id' | 'organizationId'>,
  type: EventType,
  data: object,
  at: string,
  previous: Record<string, unknown> | null = null,
): NewEvent {
  return {
    id: newId('evt'),
    type,
    organizationId: directory.organizationId,
    directoryId: directory.id,
    occurredAt: at,
    data: data as Record<string, unknown>,
    previous,
  };
}

/** The top-level fields of `before` that differ in `after`, with their old values. */
export function previousValues(before: object, after: object, ignore: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (ignore.includes(key)) continue;
    if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) out[key] = b[key] ?? null;
  }
  return out;
}
