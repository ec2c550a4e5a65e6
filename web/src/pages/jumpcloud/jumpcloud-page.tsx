import { useEffect, useState } from 'react';
import { jumpcloud, type JumpCloudConnection } from '../../api/jumpcloud';
import { ErrorNote, Loading, NotAvailable, isRouteMissing } from '../../components/notice';
import { ConnectJumpCloud } from './connect-form';
import { Inventory } from './inventory';
import { PullRunner } from './pull-runner';

/** The JumpCloud inventory of an organization: connect with an API key, run a pull, browse what it found. */
export function JumpCloudPage({ orgId }: { orgId: string }) {
  const [connections, setConnections] = useState<JumpCloudConnection[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [pulled, setPulled] = useState(0);

  useEffect(() => {
    jumpcloud.list(orgId).then((page) => {
      setConnections(page.data);
      setSelected((s) => s ?? page.data[0]?.id ?? null);
    }, setError);
  }, [orgId]);

  if (isRouteMissing(error)) return <NotAvailable feature="The JumpCloud directory pull" />;
  if (error) return <ErrorNote error={error} />;
  if (!connections) return <Loading />;
  const connection = connections.find((c) => c.id === selected);

  return (
    <div>
      <h2>JumpCloud inventory</h2>
      {connections.length === 0 ? (
        <ConnectJumpCloud
          orgId={orgId}
          onConnected={(c) => {
            setConnections([c]);
            setSelected(c.id);
          }}
        />
      ) : (
        connections.length > 1 && (
          <div>
            <label htmlFor="jc-connection">Connection</label>
            <select id="jc-connection" value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.orgId ?? c.id}
                </option>
              ))}
            </select>
          </div>
        )
      )}
      {connection && (
        <>
          <PullRunner connectionId={connection.id} onFinished={() => setPulled((n) => n + 1)} />
          <Inventory key={`${connection.id}|${pulled}`} connectionId={connection.id} />
        </>
      )}
    </div>
  );
}
