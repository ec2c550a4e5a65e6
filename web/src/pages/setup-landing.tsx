import { useEffect, useState } from 'react';
import { errorText, saveSession } from '../api/client';
import { gatehouse } from '../api/gatehouse';
import { navigate } from '../router';

/**
 * Where a setup link lands: `/admin/setup#token=…` (a fragment, so the token never reaches a server log).
 * The token is checked, kept in sessionStorage, and removed from the address bar.
 */
export function SetupLanding() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (!token) {
      setError('This setup link is incomplete. Ask the app owner for a new one.');
      return;
    }
    gatehouse
      .session(token)
      .then((info) => {
        if (info.kind !== 'setup' || !info.organizationId) throw new Error('This is not a setup link.');
        saveSession({ token, kind: 'setup', organizationId: info.organizationId, expiresAt: info.expiresAt });
        navigate(`/orgs/${encodeURIComponent(info.organizationId)}/scim`, { replace: true });
      })
      .catch((e: unknown) => {
        window.history.replaceState(null, '', '/admin/setup');
        setError((e as { status?: number }).status === 401 ? 'This setup link has expired or was revoked. Ask the app owner for a new one.' : errorText(e));
      });
  }, []);
  return (
    <main id="main" className="signin">
      <div className="card">
        <h1>Organization setup</h1>
        {error ? (
          <p className="notice error" role="alert">
            {error}
          </p>
        ) : (
          <p role="status">Opening your setup pages…</p>
        )}
      </div>
    </main>
  );
}
