import type { EventType } from './event-types.js';
import { newId } from './ids.js';
import type { Directory, NewEvent } from './types.js';

export { EVENT_TYPES, type EventType } from './event-types.js';

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
