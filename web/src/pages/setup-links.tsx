import { useState, type FormEvent } from 'react';
import { gatehouse } from '../api/gatehouse';
import { CopyField } from '../components/copy-button';
import { ErrorNote, Loading, Notice, formatTime } from '../components/notice';
import { Pager } from '../components/pager';
import { useCursorList } from '../components/use-cursor-list';

/** Self-serve setup links for the customer's IT admin: one organization, SCIM and SSO setup only, expiring. */
export function SetupLinksPage({ orgId }: { orgId: string }) {
  const [hours, setHours] = useState(72);
  const [url, setUrl] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useCursorList((cursor) => gatehouse.setupLinks(orgId, { limit: 50, cursor }), orgId);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const link = await gatehouse.createSetupLink(orgId, hours);
      setUrl({ url: link.url, expiresAt: link.expiresAt });
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div>
      <h2>Setup links</h2>
      <p className="muted">
        Send a setup link to your customer's IT admin: it opens this portal restricted to this organization's SCIM provisioning, SSO, users, groups,
        role mapping and events — nothing else — until it expires or you revoke it.
      </p>
      <form className="card inline-form" onSubmit={(e) => void create(e)}>
        <div className="fields">
          <div>
            <label htmlFor="link-hours">Expires after (hours)</label>
            <input id="link-hours" type="number" min={1} max={720} required value={hours} onChange={(e) => setHours(Number(e.target.value))} />
          </div>
          <button type="submit" className="button">
            Create setup link
          </button>
        </div>
        <ErrorNote error={error} />
      </form>
      {url && (
        <div className="card highlight" data-testid="setup-link">
          <Notice kind="warning">Copy the link now: it is shown only once. It expires {formatTime(url.expiresAt)}.</Notice>
          <CopyField label="Setup link" value={url.url} secret />
        </div>
      )}
      <h3>Issued links</h3>
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Setup links</caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((l) => {
              const state = l.revokedAt ? 'revoked' : new Date(l.expiresAt) <= new Date() ? 'expired' : 'active';
              return (
                <tr key={l.id}>
                  <td>{formatTime(l.createdAt)}</td>
                  <td>{formatTime(l.expiresAt)}</td>
                  <td>
                    <span className={`badge ${state === 'active' ? 'good' : ''}`}>{state}</span>
                  </td>
                  <td>
                    {state === 'active' && (
                      <button
                        type="button"
                        className="button secondary small"
                        onClick={() => void gatehouse.revokeSetupLink(l.id).then(list.reload, setError)}
                        aria-label={`Revoke the link created ${formatTime(l.createdAt)}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager label="Setup links" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </div>
  );
}
