import { useEffect, useState } from 'react';
import { sso, type SsoConnection } from '../../api/sso';
import { ErrorNote, Loading } from '../../components/notice';
import { SsoConnectionCard } from './sso-connection-card';
import { SsoConnectionForm } from './sso-connection-form';

/** SSO: the organization's SAML connections, or the form to create one. */
export function SsoPage({ orgId }: { orgId: string }) {
  const [connections, setConnections] = useState<SsoConnection[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<SsoConnection | null>(null);
  const [adding, setAdding] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    sso.list(orgId, { limit: 100 }).then((page) => setConnections(page.data), setError);
  }, [orgId, reloads]);

  if (error) return <ErrorNote error={error} />;
  if (!connections) return <Loading />;

  return (
    <div>
      <h2>Single sign-on (SAML)</h2>
      {(connections.length === 0 || adding) && (
        <SsoConnectionForm
          orgId={orgId}
          onCreated={(c) => {
            setCreated(c);
            setAdding(false);
            setReloads((n) => n + 1);
          }}
        />
      )}
      {connections.map((c) => (
        <SsoConnectionCard key={c.id} connection={c} clientSecret={created?.id === c.id ? created.oauth?.clientSecret : undefined} />
      ))}
      {connections.length > 0 && !adding && (
        <button type="button" className="button secondary" onClick={() => setAdding(true)}>
          Add another connection
        </button>
      )}
    </div>
  );
}
