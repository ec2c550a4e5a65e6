import { useEffect, useRef, useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { GatehouseEvent } from '../api/types';
import { JsonView } from '../components/json-view';
import { ErrorNote, formatTime } from '../components/notice';
import { EVENT_TYPES } from '../../../src/core/event-types';

const PAGE = 100;
const KEEP = 2000;

/**
 * The live event log: opens at the newest events (one page, whatever the log's size), follows new ones
 * every 2 seconds, and loads older ones on demand (at most 2,000 kept in the page). Filter by type and
 * directory; each row opens the event's JSON.
 */
export function EventsPage({ organizationId }: { organizationId: string | null }) {
  const [type, setType] = useState('');
  const [directory, setDirectory] = useState('');
  /** newest first */
  const [events, setEvents] = useState<GatehouseEvent[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const newest = useRef<string | undefined>(undefined);
  const filters = { organization: organizationId, directory: directory.trim(), type };

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    newest.current = undefined;
    setEvents([]);
    setOlder(null);
    setLoaded(false);
    const follow = async () => {
      try {
        if (newest.current === undefined) {
          const page = await gatehouse.events({ ...filters, order: 'newest', limit: PAGE });
          if (!live) return;
          newest.current = page.data[0]?.id ?? '';
          setEvents(page.data);
          setOlder(page.next);
          setLoaded(true);
        } else {
          // everything after the newest seen, oldest first, page after page
          for (;;) {
            const page = await gatehouse.events({ ...filters, after: newest.current || undefined, limit: PAGE });
            if (!live) return;
            if (page.data.length > 0) {
              newest.current = page.data[page.data.length - 1]!.id;
              setEvents((es) => [...[...page.data].reverse(), ...es].slice(0, KEEP));
            }
            if (!page.next) break;
          }
        }
        setError(null);
      } catch (e) {
        if (live) setError(e);
      }
      if (live && following) timer = setTimeout(() => void follow(), 2000);
    };
    void follow();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [organizationId, type, directory, following]);

  const loadOlder = async () => {
    if (!older) return;
    try {
      const page = await gatehouse.events({ ...filters, order: 'newest', before: older, limit: PAGE });
      setEvents((es) => [...es, ...page.data].slice(0, KEEP));
      setOlder(page.next);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div>
      <h2>Events</h2>
      <div className="filters" role="search" aria-label="Filter events">
        <div>
          <label htmlFor="event-type">Type</label>
          <select id="event-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="event-directory">Directory id</label>
          <input id="event-directory" value={directory} maxLength={100} onChange={(e) => setDirectory(e.target.value)} placeholder="dir_…" />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={following} onChange={(e) => setFollowing(e.target.checked)} /> Follow live
        </label>
      </div>
      <ErrorNote error={error} />
      <p className="muted small" role="status" aria-live="polite">
        {loaded ? `${events.length.toLocaleString()} events shown, newest first${following ? '; following new events' : ''}` : 'Loading…'}
      </p>
      <ol className="event-log" data-testid="event-log">
        {events.map((e) => (
          <li key={e.id}>
            <button type="button" className="event-row" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
              <span className="mono event-type">{e.type}</span>
              <span className="event-subject">{describe(e)}</span>
              <span className="muted small">{formatTime(e.occurredAt)}</span>
            </button>
            {open === e.id && <JsonView value={e} label={`Event ${e.id}`} />}
          </li>
        ))}
      </ol>
      {older && (
        <button type="button" className="button secondary" onClick={() => void loadOlder()}>
          Load older events
        </button>
      )}
    </div>
  );
}

function describe(event: GatehouseEvent): string {
  const d = event.data as Record<string, unknown>;
  const user = d.user as Record<string, unknown> | undefined;
  const group = d.group as Record<string, unknown> | undefined;
  if (user && group) return `${String(user.userName ?? user.id)} ↔ ${String(group.name ?? group.id)}`;
  return String(d.userName ?? d.name ?? d.id ?? '');
}
