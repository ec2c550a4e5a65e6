import { useEffect, useState } from 'react';
import { gatehouse } from '../api/gatehouse';
import type { WebhookDelivery, WebhookEndpoint } from '../api/types';
import { CopyField } from '../components/copy-button';
import { ErrorNote, Loading, Notice, formatTime } from '../components/notice';
import { Pager } from '../components/pager';
import { useCursorList } from '../components/use-cursor-list';
import { Link, navigate } from '../router';

/** One endpoint: enable/disable, rotate the secret, delete; its deliveries with each attempt, and redelivery. */
export function WebhookDetailPage({ id }: { id: string }) {
  const [endpoint, setEndpoint] = useState<WebhookEndpoint | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [state, setState] = useState('');
  const [open, setOpen] = useState<WebhookDelivery | null>(null);
  const deliveries = useCursorList((cursor) => gatehouse.deliveries(id, { limit: 50, cursor, state }), `${id}|${state}`);

  useEffect(() => {
    gatehouse.webhook(id).then(setEndpoint, setError);
  }, [id]);

  const act = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    }
  };

  if (!endpoint) return error ? <ErrorNote error={error} /> : <Loading />;
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/webhooks">Webhooks</Link> /
      </p>
      <h1 className="break">{endpoint.url}</h1>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <span className={`badge ${endpoint.state === 'enabled' ? 'good' : 'bad'}`}>{endpoint.state}</span> {endpoint.disabledReason ?? ''}
        </dd>
        <dt>Organization</dt>
        <dd className="mono">{endpoint.organizationId ?? 'all'}</dd>
        <dt>Events</dt>
        <dd>{endpoint.events ? endpoint.events.join(', ') : 'all'}</dd>
        <dt>Secret</dt>
        <dd className="mono">…{endpoint.secretHint}</dd>
      </dl>
      <div className="actions">
        <button type="button" className="button secondary" onClick={() => void act(async () => setEndpoint(await gatehouse.updateWebhook(id, { enabled: endpoint.state !== 'enabled' })))}>
          {endpoint.state === 'enabled' ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            void act(async () => {
              const rotated = await gatehouse.rotateWebhookSecret(id);
              setEndpoint(rotated);
              setSecret(rotated.secret ?? null);
            })
          }
        >
          Rotate secret
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() =>
            void act(async () => {
              if (!window.confirm('Delete this endpoint and its deliveries?')) return;
              await gatehouse.deleteWebhook(id);
              navigate('/webhooks');
            })
          }
        >
          Delete
        </button>
      </div>
      {secret && (
        <div className="card highlight">
          <Notice kind="warning">The new secret is shown only once; the old one has stopped working.</Notice>
          <CopyField label="Signing secret" value={secret} secret />
        </div>
      )}
      <ErrorNote error={error} />

      <h2>Deliveries</h2>
      <div className="filters">
        <div>
          <label htmlFor="delivery-state">State</label>
          <select id="delivery-state" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">All</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="failed">Failed</option>
          </select>
        </div>
        <button type="button" className="button secondary small" onClick={deliveries.reload}>
          Refresh
        </button>
      </div>
      <ErrorNote error={deliveries.error} />
      {deliveries.items.length === 0 ? (
        deliveries.loading ? <Loading /> : <p className="muted">No deliveries.</p>
      ) : (
        <table className="table" data-testid="deliveries-table">
          <caption className="visually-hidden">Deliveries</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last status</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.items.map((d) => (
              <tr key={d.id}>
                <td>
                  <span className="mono small">{d.eventType}</span>
                  <br />
                  <span className="mono small muted">{d.eventId}</span>
                </td>
                <td>
                  <span className={`badge ${d.state === 'delivered' ? 'good' : d.state === 'failed' ? 'bad' : ''}`}>{d.state}</span>
                </td>
                <td>{d.attempts}</td>
                <td>{d.lastStatus ?? d.lastError ?? '—'}</td>
                <td>{formatTime(d.createdAt)}</td>
                <td className="row-actions">
                  <button type="button" className="button secondary small" onClick={() => void act(async () => setOpen(await gatehouse.delivery(id, d.id)))} aria-label={`Attempts of delivery ${d.id}`}>
                    Attempts
                  </button>
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() =>
                      void act(async () => {
                        await gatehouse.redeliver(id, d.id);
                        deliveries.reload();
                      })
                    }
                    aria-label={`Redeliver ${d.id}`}
                  >
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Deliveries" page={deliveries.pageNumber} hasPrev={deliveries.hasPrev} hasNext={deliveries.hasNext} onPrev={deliveries.prev} onNext={deliveries.next} />
      {open && (
        <section className="card" aria-labelledby="attempts-title">
          <h3 id="attempts-title">Attempts of {open.eventType}</h3>
          <ol className="attempts">
            {(open.attemptLog ?? []).map((a) => (
              <li key={a.id}>
                #{a.attempt} — {a.status ?? 'no answer'} in {a.durationMs} ms at {formatTime(a.at)}
                {a.error ? ` — ${a.error}` : ''}
                {a.responseSnippet ? <pre className="json">{a.responseSnippet}</pre> : null}
              </li>
            ))}
          </ol>
          <button type="button" className="button secondary small" onClick={() => setOpen(null)}>
            Close
          </button>
        </section>
      )}
    </section>
  );
}
