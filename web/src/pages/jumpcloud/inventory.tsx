import { useState } from 'react';
import { jumpcloud, type AppAccess, type InventoryItem, type InventoryKind } from '../../api/jumpcloud';
import { JsonView } from '../../components/json-view';
import { ErrorNote, Loading } from '../../components/notice';
import { Pager } from '../../components/pager';
import { useCursorList } from '../../components/use-cursor-list';
import { Drift } from './drift';
import { Findings } from './findings';

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

/** What the last pull found, one kind per tab (50 a page), its findings and the drift against SCIM. */
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
        {tab === 'findings' ? <Findings connectionId={connectionId} /> : tab === 'drift' ? <Drift connectionId={connectionId} /> : <InventoryList key={tab} connectionId={connectionId} kind={tab} />}
      </div>
    </section>
  );
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** The line shown for a record of each kind (the details button shows all of it). */
function summary(kind: InventoryKind, item: InventoryItem): { title: string; detail: string } {
  switch (kind) {
    case 'users':
      return { title: text(item.username ?? item.email ?? item.id), detail: [text(item.email), text(item.state), item.mfaConfigured ? 'MFA' : 'no MFA'].filter(Boolean).join(' · ') };
    case 'admins':
      return { title: text(item.email ?? item.id), detail: [text(item.roleName), item.enableMultiFactor ? 'MFA required' : 'MFA not required', item.totpEnrolled ? 'TOTP enrolled' : 'TOTP not enrolled', item.suspended ? 'suspended' : ''].filter(Boolean).join(' · ') };
    case 'roles':
      return { title: text(item.name ?? item.id), detail: item.isCustom ? 'custom role' : 'built-in role' };
    case 'groups':
      return { title: text(item.name ?? item.id), detail: `${text(item.memberCount ?? 0)} members (${text(item.effectiveMemberCount ?? 0)} effective)` };
    case 'applications':
      return {
        title: text(item.label ?? item.name ?? item.id),
        detail: [text(item.type).toUpperCase(), `${text(item.accessUserCount ?? 0)} users through ${text(item.accessGroupCount ?? 0)} groups`, item.certificateExpiresAt ? `IdP certificate until ${new Date(text(item.certificateExpiresAt)).toLocaleDateString()}` : '']
          .filter(Boolean)
          .join(' · '),
      };
  }
}

/** An app logo: https (or a data image) only, as the portal's Content-Security-Policy allows. */
function logoOf(item: InventoryItem): string | undefined {
  const url = item.logoUrl;
  return typeof url === 'string' && /^(https:|data:image\/)/.test(url) ? url : undefined;
}

function InventoryList({ connectionId, kind }: { connectionId: string; kind: InventoryKind }) {
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const list = useCursorList((cursor) => jumpcloud.inventory(connectionId, kind, { limit: 50, cursor, includeDeleted: includeDeleted ? 'true' : undefined }), `${connectionId}|${kind}|${includeDeleted}`);
  const [open, setOpen] = useState<string | null>(null);
  const [access, setAccess] = useState<{ appId: string; value?: AppAccess; error?: unknown } | null>(null);
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={includeDeleted} onChange={(e) => setIncludeDeleted(e.target.checked)} /> Include records gone from JumpCloud
      </label>
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p className="muted">Nothing here yet. Run a pull.</p>
      ) : (
        <ul className="inventory" data-testid={`inventory-${kind}`}>
          {list.items.map((item) => {
            const { title, detail } = summary(kind, item);
            const logo = kind === 'applications' ? logoOf(item) : undefined;
            return (
              <li key={item.id}>
                <div className="inventory-row">
                  {kind === 'applications' && (logo ? <img src={logo} alt="" width={24} height={24} className="logo" /> : <span className="logo placeholder" aria-hidden="true" />)}
                  <span>{title}</span>
                  <span className="muted small">{detail}</span>
                  {item.deletedAt && <span className="badge bad">gone since {new Date(item.deletedAt).toLocaleDateString()}</span>}
                  <button type="button" className="button secondary small" aria-expanded={open === item.id} onClick={() => setOpen(open === item.id ? null : item.id)}>
                    Details
                  </button>
                  {kind === 'applications' && (
                    <button
                      type="button"
                      className="button secondary small"
                      aria-expanded={access?.appId === item.id}
                      onClick={() =>
                        access?.appId === item.id
                          ? setAccess(null)
                          : void jumpcloud.access(connectionId, item.id).then(
                              (value) => setAccess({ appId: item.id, value }),
                              (error: unknown) => setAccess({ appId: item.id, error }),
                            )
                      }
                    >
                      Who can reach it
                    </button>
                  )}
                </div>
                {open === item.id && <JsonView value={item} label={`Details of ${title}`} />}
                {access?.appId === item.id && (access.value ? <AccessView title={title} access={access.value} /> : <ErrorNote error={access.error} />)}
              </li>
            );
          })}
        </ul>
      )}
      <Pager label="Inventory" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </>
  );
}

/** Who can reach an application: its bound groups and users, and every user with the groups that grant access. */
function AccessView({ title, access }: { title: string; access: AppAccess }) {
  return (
    <div className="card" data-testid="app-access" aria-label={`Who can reach ${title}`} role="region">
      <p>
        {access.counts.users} users can reach {title}: bound groups {access.boundGroups.map((g) => g.name ?? g.id).join(', ') || 'none'}; bound users{' '}
        {access.boundUsers.map((u) => u.username ?? u.id).join(', ') || 'none'}.
      </p>
      {access.users.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Through</th>
            </tr>
          </thead>
          <tbody>
            {access.users.slice(0, 200).map((u) => {
              const groups = u.viaGroups.map((g) => access.groups.find((x) => x.id === g)?.name ?? g);
              return (
                <tr key={u.id}>
                  <td>{u.username ?? u.id}</td>
                  <td>{[u.direct ? 'bound directly' : '', ...groups].filter(Boolean).join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {access.users.length > 200 && <p className="muted small">The first 200 of {access.users.length} users.</p>}
    </div>
  );
}
