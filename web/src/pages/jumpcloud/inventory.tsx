import { useState } from 'react';
import { jumpcloud, type Finding, type InventoryItem, type InventoryKind } from '../../api/jumpcloud';
import type { Page } from '../../api/types';
import { JsonView } from '../../components/json-view';
import { ErrorNote, Loading, NotAvailable, isRouteMissing } from '../../components/notice';
import { Pager } from '../../components/pager';
import { useCursorList } from '../../components/use-cursor-list';

type Tab = InventoryKind | 'findings' | 'drift';
const TABS: { id: Tab; label: string }[] = [
  { id: 'users', label: 'Users' },
  { id: 'admins', label: 'Admins' },
  { id: 'roles', label: 'Roles' },
  { id: 'groups', label: 'Groups' },
  { id: 'applications', label: 'Applications' },
  { id: 'findings', label: 'Findings' },
  { id: 'drift', label: 'Drift' },
];

/** What the last pull found, one kind per tab, 50 a page. */
export function Inventory({ connectionId }: { connectionId: string }) {
  const [tab, setTab] = useState<Tab>('users');
  return (
    <section aria-labelledby="inventory-title">
      <h3 id="inventory-title">Inventory</h3>
      <div className="tabs" role="tablist" aria-label="Inventory">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`inv-tab-${t.id}`} aria-selected={tab === t.id} aria-controls="inventory-panel" onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div id="inventory-panel" role="tabpanel" aria-labelledby={`inv-tab-${tab}`}>
        <InventoryList key={tab} connectionId={connectionId} tab={tab} />
      </div>
    </section>
  );
}

function fetcher(connectionId: string, tab: Tab): (cursor: string | undefined) => Promise<Page<InventoryItem | Finding>> {
  if (tab === 'findings') return (cursor) => jumpcloud.findings(connectionId, { limit: 50, cursor });
  if (tab === 'drift') return (cursor) => jumpcloud.drift(connectionId, { limit: 50, cursor });
  return (cursor) => jumpcloud.inventory(connectionId, tab, { limit: 50, cursor });
}

function label(item: Record<string, unknown>): string {
  for (const key of ['displayName', 'displayname', 'name', 'username', 'email', 'title', 'message', 'type', 'kind']) {
    const v = item[key];
    if (typeof v === 'string' && v) return v;
  }
  return String(item.id ?? item._id ?? '');
}

function logoOf(item: Record<string, unknown>): string | undefined {
  const logo = item.logo as { url?: string } | string | undefined;
  const url = typeof logo === 'string' ? logo : logo?.url;
  return url && /^(https:|data:image\/)/.test(url) ? url : undefined;
}

function InventoryList({ connectionId, tab }: { connectionId: string; tab: Tab }) {
  const list = useCursorList(fetcher(connectionId, tab), `${connectionId}|${tab}`);
  const [open, setOpen] = useState<string | null>(null);
  const [access, setAccess] = useState<{ appId: string; value: unknown } | null>(null);
  if (isRouteMissing(list.error)) return <NotAvailable feature={`The ${tab} list`} />;
  return (
    <>
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p className="muted">Nothing here yet. Run a pull.</p>
      ) : (
        <ul className="inventory" data-testid={`inventory-${tab}`}>
          {list.items.map((item, i) => {
            const id = String(item.id ?? item._id ?? i);
            const logo = tab === 'applications' ? logoOf(item) : undefined;
            const severity = typeof item.severity === 'string' ? item.severity : undefined;
            return (
              <li key={id}>
                <div className="inventory-row">
                  {tab === 'applications' && (logo ? <img src={logo} alt="" width={24} height={24} className="logo" /> : <span className="logo placeholder" aria-hidden="true" />)}
                  <span>{label(item)}</span>
                  {severity && <span className={`badge ${severity === 'high' || severity === 'critical' ? 'bad' : ''}`}>{severity}</span>}
                  <button type="button" className="button secondary small" aria-expanded={open === id} onClick={() => setOpen(open === id ? null : id)}>
                    Details
                  </button>
                  {tab === 'applications' && (
                    <button
                      type="button"
                      className="button secondary small"
                      onClick={() => void jumpcloud.access(connectionId, id).then((value) => setAccess({ appId: id, value }), (e: unknown) => setAccess({ appId: id, value: { error: String(e) } }))}
                    >
                      Who can reach it
                    </button>
                  )}
                </div>
                {open === id && <JsonView value={item} label={`Details of ${label(item)}`} />}
                {access?.appId === id && <JsonView value={access.value} label={`Who can reach ${label(item)}`} />}
              </li>
            );
          })}
        </ul>
      )}
      <Pager label="Inventory" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </>
  );
}
