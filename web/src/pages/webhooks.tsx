import { useState, type FormEvent } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { WebhookEndpoint } from '../api/types';
import { CopyField } from '../components/copy-button';
import { ErrorNote, Loading, Notice } from '../components/notice';
import { Pager } from '../components/pager';
import { useCursorList } from '../components/use-cursor-list';
import { Link } from '../router';
import { EVENT_TYPES } from '../../../src/core/event-types';

/** Webhook endpoints (all, or one organization's) and a form to add one; the signing secret is shown once. */
export function WebhooksPage({ organizationId }: { organizationId: string | null }) {
  const list = useCursorList((cursor) => gatehouse.webhooks({ limit: 50, cursor, organization: organizationId }), organizationId ?? '*');
  const [created, setCreated] = useState<WebhookEndpoint | null>(null);
  return (
    <div>
      <h2>Webhooks</h2>
      {created?.secret && (
        <section className="card highlight" aria-labelledby="secret-title">
          <h3 id="secret-title">Signing secret of {created.url}</h3>
          <Notice kind="warning">Copy the secret now: it is shown only once.</Notice>
          <CopyField label="Signing secret" value={created.secret} secret />
          <button type="button" className="button secondary" onClick={() => setCreated(null)}>
            I have copied the secret
          </button>
        </section>
      )}
      <NewWebhook
        organizationId={organizationId}
        onCreated={(w) => {
          setCreated(w);
          list.reload();
        }}
      />
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p className="muted">No webhook endpoints.</p>
      ) : (
        <table className="table" data-testid="webhooks-table">
          <caption className="visually-hidden">Webhook endpoints</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Organization</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((w) => (
              <tr key={w.id}>
                <td>
                  <Link to={`/webhooks/${encodeURIComponent(w.id)}`}>{w.url}</Link>
                </td>
                <td className="mono small">{w.organizationId ?? 'all'}</td>
                <td>{w.events ? w.events.join(', ') : 'all'}</td>
                <td>
                  <span className={`badge ${w.state === 'enabled' ? 'good' : 'bad'}`}>{w.state}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Webhooks" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </div>
  );
}

function NewWebhook({ organizationId, onCreated }: { organizationId: string | null; onCreated: (w: WebhookEndpoint) => void }) {
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onCreated(await gatehouse.createWebhook({ url: url.trim(), organizationId, events: types.length > 0 ? types : null }));
      setUrl('');
      setTypes([]);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="new-webhook">
      <h3 id="new-webhook">New endpoint</h3>
      <label htmlFor="webhook-url">URL</label>
      <input id="webhook-url" type="url" required maxLength={2048} placeholder="https://app.example.com/gatehouse-hook" value={url} onChange={(e) => setUrl(e.target.value)} />
      <fieldset>
        <legend>Event types (none selected: every type)</legend>
        <div className="checkbox-grid">
          {EVENT_TYPES.map((t) => (
            <label key={t} className="checkbox">
              <input type="checkbox" checked={types.includes(t)} onChange={(e) => setTypes((ts) => (e.target.checked ? [...ts, t] : ts.filter((x) => x !== t)))} />
              <span className="mono small">{t}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" className="button" disabled={url.trim() === ''}>
        Add endpoint
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
