import { DomainError, notFound } from './errors.js';
import { EVENT_TYPES } from './events.js';
import type { EventRecord, Page } from './types.js';
import type { Store } from '../store/store.js';

export interface EventFeedQuery {
  organizationId?: string;
  directoryId?: string;
  types?: string[];
  /** id of the last event already seen: the feed continues strictly after it */
  after?: string;
  limit: number;
  /**
   * newest first (the portal's live log opens at the tail); `next` is then the id of the oldest event of
   * the page, to pass as `before` for the page of older events
   */
  newestFirst?: boolean;
  /** id of an event: only events strictly before it */
  before?: string;
}

/** The public event object (CONTRACT.md "Event"). */
export interface PublicEvent {
  id: string;
  type: string;
  organizationId: string | null;
  directoryId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

export function presentEvent(e: EventRecord): PublicEvent {
  return {
    id: e.id,
    type: e.type,
    organizationId: e.organizationId,
    directoryId: e.directoryId,
    occurredAt: e.occurredAt,
    data: e.data,
    ...(e.previous ? { previous: e.previous } : {}),
  };
}

/** The event log, oldest first, in commit order of the outbox. */
export class EventFeed {
  constructor(private readonly store: Store) {}

  async list(query: EventFeedQuery): Promise<Page<PublicEvent>> {
    const unknown = query.types?.find((t) => !(EVENT_TYPES as readonly string[]).includes(t));
    if (unknown !== undefined) throw new DomainError('invalid', `unknown event type "${unknown}"`);
    let afterSeq: number | undefined;
    if (query.after !== undefined) {
      const anchor = await this.store.events.get(query.after);
      if (!anchor) throw new DomainError('invalid', `"after" is not the id of an event`);
      afterSeq = anchor.seq;
    }
    let beforeSeq: number | undefined;
    if (query.before !== undefined) {
      const anchor = await this.store.events.get(query.before);
      if (!anchor) throw new DomainError('invalid', `"before" is not the id of an event`);
      beforeSeq = anchor.seq;
    }
    const rows = await this.store.events.list({
      ...(afterSeq !== undefined ? { afterSeq } : {}),
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      ...(query.newestFirst ? { newestFirst: true } : {}),
      ...(query.organizationId !== undefined ? { organizationId: query.organizationId } : {}),
      ...(query.directoryId !== undefined ? { directoryId: query.directoryId } : {}),
      ...(query.types !== undefined ? { types: query.types } : {}),
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { data: page.map(presentEvent), next: rows.length > query.limit && last ? last.id : null };
  }

  async get(id: string): Promise<PublicEvent> {
    const event = await this.store.events.get(id);
    if (!event) throw notFound('event');
    return presentEvent(event);
  }
}
