import { useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import { DirectoryScoped } from '../components/directory-scoped';
import { ErrorNote, Loading } from '../components/notice';
import { Pager } from '../components/pager';
import { useCursorList } from '../components/use-cursor-list';
import { useDebounced } from '../components/use-debounced';
import { Link, setQuery } from '../router';

/** A directory's groups with their member counts; search by name. */
export function GroupsPage({ orgId }: { orgId: string }) {
  return (
    <DirectoryScoped orgId={orgId} title="Groups">
      {(dirId, query) => <GroupList orgId={orgId} dirId={dirId} initialSearch={query.get('q') ?? ''} />}
    </DirectoryScoped>
  );
}

function GroupList({ orgId, dirId, initialSearch }: { orgId: string; dirId: string; initialSearch: string }) {
  const [search, setSearch] = useState(initialSearch);
  const text = useDebounced(search.trim());
  const list = useCursorList((cursor) => gatehouse.groups(dirId, { limit: 50, cursor, search: text }), `${dirId}|${text}`);
  return (
    <>
      <div className="filters" role="search" aria-label="Filter groups">
        <div>
          <label htmlFor="group-search">Search</label>
          <input
            id="group-search"
            type="search"
            maxLength={200}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setQuery({ q: e.target.value.trim() });
            }}
          />
        </div>
      </div>
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading what="Loading groups" />
      ) : list.items.length === 0 ? (
        <p className="muted">No groups match.</p>
      ) : (
        <table className="table" data-testid="groups-table">
          <caption className="visually-hidden">Groups</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Members</th>
              <th scope="col">External id</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((g) => (
              <tr key={g.id}>
                <td>
                  <Link to={`/orgs/${encodeURIComponent(orgId)}/groups/${encodeURIComponent(dirId)}/${encodeURIComponent(g.id)}`}>{g.name}</Link>
                </td>
                <td>{g.memberCount.toLocaleString()}</td>
                <td className="mono small">{g.externalId ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Groups" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </>
  );
}
