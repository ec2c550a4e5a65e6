import { useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import { DirectoryScoped } from '../components/directory-scoped';
import { ErrorNote, Loading } from '../components/notice';
import { Pager } from '../components/pager';
import { useCursorList } from '../components/use-cursor-list';
import { useDebounced } from '../components/use-debounced';
import { Link, setQuery } from '../router';

/** A directory's users: search (userName, e-mail, name), filter by state, 50 a page. */
export function UsersPage({ orgId }: { orgId: string }) {
  return (
    <DirectoryScoped orgId={orgId} title="Users">
      {(dirId, query) => <UserList orgId={orgId} dirId={dirId} initialSearch={query.get('q') ?? ''} state={query.get('state') ?? ''} />}
    </DirectoryScoped>
  );
}

function UserList({ orgId, dirId, initialSearch, state }: { orgId: string; dirId: string; initialSearch: string; state: string }) {
  const [search, setSearch] = useState(initialSearch);
  const text = useDebounced(search.trim());
  const list = useCursorList((cursor) => gatehouse.users(dirId, { limit: 50, cursor, search: text, state }), `${dirId}|${text}|${state}`);
  return (
    <>
      <div className="filters" role="search" aria-label="Filter users">
        <div>
          <label htmlFor="user-search">Search</label>
          <input
            id="user-search"
            type="search"
            maxLength={200}
            placeholder="userName, e-mail or name"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setQuery({ q: e.target.value.trim() });
            }}
          />
        </div>
        <div>
          <label htmlFor="user-state">State</label>
          <select id="user-state" value={state} onChange={(e) => setQuery({ state: e.target.value })}>
            <option value="">All</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </div>
      </div>
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading what="Loading users" />
      ) : list.items.length === 0 ? (
        <p className="muted">No users match.</p>
      ) : (
        <table className="table" data-testid="users-table" aria-busy={list.loading}>
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">State</th>
              <th scope="col">Groups</th>
              <th scope="col">Roles</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/orgs/${encodeURIComponent(orgId)}/users/${encodeURIComponent(dirId)}/${encodeURIComponent(u.id)}`}>{u.userName}</Link>
                </td>
                <td>{u.displayName ?? ([u.firstName, u.lastName].filter(Boolean).join(' ') || '—')}</td>
                <td>{u.email ?? '—'}</td>
                <td>
                  <span className={`badge ${u.state === 'active' ? 'good' : ''}`}>{u.state}</span>
                </td>
                <td>{u.groups.map((g) => g.name).join(', ') || '—'}</td>
                <td>{u.roles.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Users" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </>
  );
}
