import { useEffect, useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { DirectoryUser } from '../api/types';
import { JsonView } from '../components/json-view';
import { ErrorNote, Loading, formatTime } from '../components/notice';
import { Link } from '../router';

/** One user: profile, state, groups, effective roles, and the raw SCIM body as last received. */
export function UserDetailPage({ orgId, dirId, userId }: { orgId: string; dirId: string; userId: string }) {
  const [user, setUser] = useState<DirectoryUser | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    gatehouse.user(dirId, userId).then(setUser, setError);
  }, [dirId, userId]);
  const base = `/orgs/${encodeURIComponent(orgId)}`;
  if (error) return <ErrorNote error={error} />;
  if (!user) return <Loading />;
  return (
    <div>
      <p className="breadcrumb">
        <Link to={`${base}/users?dir=${encodeURIComponent(dirId)}`}>Users</Link> /
      </p>
      <h2>{user.userName}</h2>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{user.displayName ?? ([user.firstName, user.lastName].filter(Boolean).join(' ') || '—')}</dd>
        <dt>E-mail</dt>
        <dd>{user.email ?? '—'}</dd>
        <dt>State</dt>
        <dd>{user.state}</dd>
        <dt>External id</dt>
        <dd className="mono">{user.externalId ?? '—'}</dd>
        <dt>Id</dt>
        <dd className="mono">{user.id}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(user.updatedAt)}</dd>
      </dl>
      <h3>Roles</h3>
      {user.roles.length === 0 ? (
        <p className="muted">No roles.</p>
      ) : (
        <ul className="chips" aria-label="Roles">
          {user.roles.map((r) => (
            <li key={r} className="badge">
              {r}
            </li>
          ))}
        </ul>
      )}
      <h3>Groups</h3>
      {user.groups.length === 0 ? (
        <p className="muted">Not a member of any group.</p>
      ) : (
        <ul>
          {user.groups.map((g) => (
            <li key={g.id}>
              <Link to={`${base}/groups/${encodeURIComponent(dirId)}/${encodeURIComponent(g.id)}`}>{g.name}</Link>
            </li>
          ))}
        </ul>
      )}
      <h3>Raw attributes</h3>
      <JsonView value={user.raw} label="Raw SCIM attributes" />
    </div>
  );
}
