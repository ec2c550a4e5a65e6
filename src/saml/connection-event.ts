import type { EventType } from '../core/events.js';
import { newId } from '../core/ids.js';
import type { NewEvent } from '../core/types.js';
import type { SsoConnectionRow } from '../store/repositories/sso-connections.js';

/** The connection as certificate events name it. */
export function connectionRef(row: Pick<SsoConnectionRow, 'id' | 'name' | 'organization_id'>): { id: string; name: string; organizationId: string } {
  return { id: row.id, name: row.name, organizationId: row.organization_id };
}

/** Builds one event of an SSO connection (organization event, no directory); append it in the change's transaction. */
export function connectionEvent(row: Pick<SsoConnectionRow, 'id' | 'name' | 'organization_id'>, type: EventType, data: Record<string, unknown>, at: string): NewEvent {
  return { id: newId('evt'), type, organizationId: row.organization_id, directoryId: null, occurredAt: at, data: { connection: connectionRef(row), ...data }, previous: null };
}
