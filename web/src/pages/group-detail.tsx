import { useEffect, useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { DirectoryGroup } from '../api/types';
import { ErrorNote, Loading } from '../components/notice';
import { Pager } from '../components/pager';
import { useCursorList } from '../components/use-cursor-list';
import { Link } from '../router';

/** One group and its members, 50 a page (a 100,000-member group pages like any list). */
export function GroupDetailPage({ orgId, dirId, groupId }: { orgId: string; dirId: string; groupId: string }) {
  const [group, setGroup] = useState<DirectoryGroup | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    gatehouse.group(dirId, groupId).then(setGroup, setError);
  }, [dirId, groupId]);
  const members = useCursorList((cursor) => gatehouse.members(dirId, groupId, { limit: 50, cursor }), `${dirId}|${groupId}`);
  const base = `/orgs/${encodeURIComponent(orgId)}`;
  return (
    <div>
      <p className="breadcrumb">
        <Link to={`${base}/groups?dir=${encodeURIComponent(dirId)}`}>Groups</Link> /
      </p>
      <ErrorNote error={error} />
      <h2>{group?.name ?? groupId}</h2>
      {group && <p className="muted">{group.memberCount.toLocaleString()} members</p>}
      <h3>Members</h3>
      <ErrorNote error={members.error} />
      {members.loading && members.items.length === 0 ? (
        <Loading what="Loading members" />
      ) : members.items.length === 0 ? (
        <p className="muted">No members.</p>
      ) : (
        <table className="table" data-testid="members-table">
          <caption className="visually-hidden">Members</caption>
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">E-mail</th>
              <th scope="col">State</th>
              <th scope="col">Roles</th>
            </tr>
          </thead>
          <tbody>
            {members.items.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`${base}/users/${encodeURIComponent(dirId)}/${encodeURIComponent(u.id)}`}>{u.userName}</Link>
                </td>
                <td>{u.email ?? '—'}</td>
                <td>{u.state}</td>
                <td>{u.roles.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Members" page={members.pageNumber} hasPrev={members.hasPrev} hasNext={members.hasNext} onPrev={members.prev} onNext={members.next} />
    </div>
  );
}
