import { useState, type FormEvent } from 'react';
import { gatehouse } from '../api/gatehouse';
import { ErrorNote, Loading, formatTime } from '../components/notice';
import { Pager } from '../components/pager';
import { useCursorList } from '../components/use-cursor-list';
import { Link, navigate } from '../router';

/** Every organization (one per customer), oldest first, and a form to add one. */
export function OrganizationsPage() {
  const list = useCursorList((cursor) => gatehouse.organizations({ limit: 50, cursor }), 'orgs');
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const [error, setError] = useState<unknown>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const org = await gatehouse.createOrganization(
        name.trim(),
        domains.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean),
      );
      navigate(`/orgs/${encodeURIComponent(org.id)}/scim`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section>
      <h1>Organizations</h1>
      <form className="card inline-form" onSubmit={(e) => void create(e)} aria-labelledby="new-org">
        <h2 id="new-org">New organization</h2>
        <div className="fields">
          <div>
            <label htmlFor="org-name">Name</label>
            <input id="org-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div>
            <label htmlFor="org-domains">Domains (optional, comma separated)</label>
            <input id="org-domains" value={domains} onChange={(e) => setDomains(e.target.value)} placeholder="acme.com" />
          </div>
          <button type="submit" className="button" disabled={name.trim() === ''}>
            Create organization
          </button>
        </div>
        <ErrorNote error={error} />
      </form>
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p className="muted">No organizations yet.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Organizations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Domains</th>
              <th scope="col">Id</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((org) => (
              <tr key={org.id}>
                <td>
                  <Link to={`/orgs/${encodeURIComponent(org.id)}`}>{org.name}</Link>
                </td>
                <td>{org.domains.join(', ') || '—'}</td>
                <td className="mono small">{org.id}</td>
                <td>{formatTime(org.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Organizations" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </section>
  );
}
