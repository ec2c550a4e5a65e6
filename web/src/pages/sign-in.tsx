import { useState, type FormEvent } from 'react';
import { errorText, saveSession, takeEndedSetupSession } from '../api/client';
import { gatehouse } from '../api/gatehouse';

/** Sign-in with the admin key (GATEHOUSE_ADMIN_KEY); the key is kept in sessionStorage only. */
export function SignIn() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [setupEnded] = useState(takeEndedSetupSession);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const info = await gatehouse.session(key.trim());
      saveSession({ token: key.trim(), kind: info.kind, organizationId: info.organizationId, expiresAt: info.expiresAt });
    } catch (e) {
      setError((e as { status?: number }).status === 401 ? 'That key was not accepted.' : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Gatehouse admin</h1>
        {setupEnded && (
          <p className="notice warning" role="alert">
            Your setup link has expired or was revoked. Ask the app owner for a new one.
          </p>
        )}
        <p className="muted">Sign in with the admin API key printed when Gatehouse first started (GATEHOUSE_ADMIN_KEY).</p>
        <label htmlFor="admin-key">Admin key</label>
        <input id="admin-key" type="password" autoComplete="current-password" required value={key} onChange={(e) => setKey(e.target.value)} />
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
