import { useState, type FormEvent } from 'react';
import { jumpcloud, type JumpCloudConnection } from '../../api/jumpcloud';
import { ErrorNote } from '../../components/notice';

/** Connect a JumpCloud tenant with a read-only administrator's API key (stored encrypted, never shown again). */
export function ConnectJumpCloud({ orgId, onConnected }: { orgId: string; onConnected: (c: JumpCloudConnection) => void }) {
  const [apiKey, setApiKey] = useState('');
  const [apiBaseUrl, setApiBaseUrl] = useState('https://console.jumpcloud.com');
  const [jcOrgId, setJcOrgId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onConnected(await jumpcloud.connect(orgId, { apiKey: apiKey.trim(), apiBaseUrl: apiBaseUrl.trim(), ...(jcOrgId.trim() ? { orgId: jcOrgId.trim() } : {}) }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="jc-connect">
      <h3 id="jc-connect">Connect JumpCloud</h3>
      <p className="muted small">Use the API key of a read-only JumpCloud administrator (My API Key in the JumpCloud console).</p>
      <label htmlFor="jc-api-key">API key</label>
      <input id="jc-api-key" type="password" autoComplete="off" required value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
      <label htmlFor="jc-base-url">API base URL (us, eu, in, or a URL)</label>
      <input id="jc-base-url" type="text" required value={apiBaseUrl} onChange={(e) => setApiBaseUrl(e.target.value)} />
      <label htmlFor="jc-org-id">JumpCloud organization id (multi-tenant keys only)</label>
      <input id="jc-org-id" value={jcOrgId} onChange={(e) => setJcOrgId(e.target.value)} />
      <button type="submit" className="button" disabled={apiKey.trim() === ''}>
        Connect
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
