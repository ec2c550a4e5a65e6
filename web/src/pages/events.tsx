import { useEffect, useRef, useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { GatehouseEvent } from '../api/types';
import { JsonView } from '../components/json-view';
import { ErrorNote, formatTime } from '../components/notice';

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
];

const PAGE = 100;
const KEEP = 2000;

/**
 * The live event log: pages through the events oldest first, then follows new ones every 2 seconds
 * (keeping the last 2,000 in the page). Filter by type and directory; each row opens the event's JSON.
 */
export function EventsPage({ organizationId }: { organizationId: string | null }) {
  const [type, setType] = useState('');
  const [directory, setDirectory] = useState('');
  const [events, setEvents] = useState<GatehouseEvent[]>([]);
  const [following, setFollowing] = useState(true);
  const [caughtUp, setCaughtUp] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const after = useRef<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    after.current = undefined;
    setEvents([]);
    setCaughtUp(false);
    const pull = async () => {
      try {
        const page = await gatehouse.events({ organization: organizationId, directory: directory.trim(), type, after: after.current, limit: PAGE });
        if (!live) return;
        setError(null);
        if (page.data.length > 0) {
          after.current = page.data[page.data.length - 1]!.id;
          setEvents((es) => [...es, ...page.data].slice(-KEEP));
        }
        if (page.next) {
          timer = setTimeout(() => void pull(), 0);
          return;
        }
        setCaughtUp(true);
      } catch (e) {
        if (live) setError(e);
      }
      if (live && following) timer = setTimeout(() => void pull(), 2000);
    };
    void pull();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [organizationId, type, directory, following]);

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
        {events.length.toLocaleString()} events shown{caughtUp ? (following ? ', following new events' : '') : ', loading…'}
      </p>
      <ol className="event-log" data-testid="event-log" reversed>
        {[...events].reverse().map((e) => (
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
