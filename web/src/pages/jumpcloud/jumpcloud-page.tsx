import { useEffect, useState } from 'react';
import { jumpcloud, type JumpCloudConnection } from '../../api/jumpcloud';
import { ErrorNote, Loading, formatTime } from '../../components/notice';
import { ConnectJumpCloud } from './connect-form';
import { Inventory } from './inventory';
import { PullRunner } from './pull-runner';

/** The JumpCloud inventory of an organization: connect with an API key, run a pull, browse what it found. */
export function JumpCloudPage({ orgId }: { orgId: string }) {
  const [connections, setConnections] = useState<JumpCloudConnection[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [pulled, setPulled] = useState(0);
  // the list has no runs: the selected connection is read again with its latest run
  const [detail, setDetail] = useState<JumpCloudConnection | null>(null);

  useEffect(() => {
    jumpcloud.list(orgId).then((page) => {
      setConnections(page.data);
      setSelected((s) => s ?? page.data[0]?.id ?? null);
    }, setError);
  }, [orgId]);

  useEffect(() => {
    setDetail(null);
    if (selected) jumpcloud.get(selected).then(setDetail, setError);
  }, [selected]);

  if (error) return <ErrorNote error={error} />;
  if (!connections) return <Loading />;
  const connection = detail?.id === selected ? detail : undefined;

  return (
    <div>
      <h2>JumpCloud inventory</h2>
      {connections.length > 1 && (
        <div>
          <label htmlFor="jc-connection">Connection</label>
          <select id="jc-connection" value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.orgId ?? c.apiBaseUrl})
              </option>
            ))}
          </select>
        </div>
      )}
      {(connections.length === 0 || adding) && (
        <ConnectJumpCloud
          orgId={orgId}
          onConnected={(c) => {
            setConnections([...connections, c]);
            setSelected(c.id);
            setAdding(false);
          }}
        />
      )}
      {connection && (
        <>
          <p className="muted small" data-testid="jc-connection">
            {connection.name} · {connection.apiBaseUrl}
            {connection.orgId ? ` · organization ${connection.orgId}` : ''} · key …{connection.apiKeyHint} · {connection.syncIntervalMinutes ? `pulled every ${connection.syncIntervalMinutes} minutes` : 'pulled on demand'} · connected{' '}
            {formatTime(connection.createdAt)}
          </p>
          <PullRunner key={connection.id} connectionId={connection.id} lastRun={connection.lastRun} onFinished={() => setPulled((n) => n + 1)} />
          <Inventory key={`${connection.id}|${pulled}`} connectionId={connection.id} />
        </>
      )}
      {connections.length > 0 && !adding && (
        <button type="button" className="button secondary" onClick={() => setAdding(true)}>
          Connect another JumpCloud organization
        </button>
      )}
    </div>
  );
}
