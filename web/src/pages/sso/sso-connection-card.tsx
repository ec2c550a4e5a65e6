import { useState } from 'react';
import { certificateExpiries, pkce, sso, testCallbackUrl, type SsoConnection } from '../../api/sso';
import { CopyField } from '../../components/copy-button';
import { ErrorNote, NotAvailable, Notice, formatTime, isRouteMissing } from '../../components/notice';

const WARN_DAYS = 30;

/** One SAML connection: SP metadata, login URL, a test sign-in, certificate renewal and expiry warnings. */
export function SsoConnectionCard({ connection: initial, clientSecret }: { connection: SsoConnection; clientSecret: string | undefined }) {
  const [connection, setConnection] = useState(initial);
  const [renewing, setRenewing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const now = Date.now();
  const expiring = certificateExpiries(connection).filter((c) => new Date(c.notAfter).getTime() - now < WARN_DAYS * 86_400_000);

  const testSignIn = async () => {
    setError(null);
    try {
      const { verifier, challenge } = await pkce();
      const state = crypto.randomUUID();
      sessionStorage.setItem(`gatehouse.sso-test.${state}`, JSON.stringify({ connectionId: connection.id, verifier }));
      const params = new URLSearchParams({
        client_id: connection.oauth?.clientId ?? '',
        redirect_uri: testCallbackUrl(),
        response_type: 'code',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        connection: connection.id,
      });
      // same origin: the new tab starts with a copy of this tab's sessionStorage (the PKCE state)
      window.open(`/oauth/authorize?${params.toString()}`, '_blank');
    } catch (e) {
      setError(e);
    }
  };

  const renew = async (step: 'renew' | 'confirm') => {
    setError(null);
    try {
      setConnection(step === 'renew' ? await sso.renewCertificate(connection.id) : await sso.confirmCertificate(connection.id));
      setRenewing(step === 'renew');
    } catch (e) {
      setError(e);
    }
  };

  return (
    <article className="card" aria-labelledby={`sso-${connection.id}`} data-testid="sso-connection">
      <h3 id={`sso-${connection.id}`}>SAML connection {connection.idpEntityId ? `to ${connection.idpEntityId}` : connection.id}</h3>
      {expiring.map((c) => (
        <Notice key={c.what} kind="warning">
          {c.what} {new Date(c.notAfter).getTime() < now ? 'expired' : 'expires'} {formatTime(c.notAfter)}. Renew it before sign-ins fail.
        </Notice>
      ))}
      {clientSecret && (
        <>
          <Notice kind="warning">Copy the OAuth client secret now: it is shown only once.</Notice>
          <CopyField label="OAuth client secret" value={clientSecret} secret />
        </>
      )}
      <CopyField label="SP entity ID" value={connection.spEntityId} />
      <CopyField label="ACS URL" value={connection.acsUrl} />
      <CopyField label="Login URL" value={connection.loginUrl} />
      {connection.oauth && <CopyField label="OAuth client ID" value={connection.oauth.clientId} />}
      <div className="actions">
        <a className="button secondary" href={connection.spMetadataUrl} download>
          Download SP metadata
        </a>
        <button type="button" className="button" onClick={() => void testSignIn()}>
          Test sign-in
        </button>
        {!renewing && (
          <button type="button" className="button secondary" onClick={() => void renew('renew')}>
            Renew Certificate
          </button>
        )}
      </div>
      {renewing && (
        <div className="card highlight" role="dialog" aria-labelledby={`renew-${connection.id}`}>
          <h4 id={`renew-${connection.id}`}>Certificate renewal</h4>
          <p>
            A new SP certificate is ready{connection.pendingSpCertificate?.notAfter ? ` (valid until ${formatTime(connection.pendingSpCertificate.notAfter)})` : ''}. Download the SP
            metadata again and upload it to the application in JumpCloud, then confirm.
          </p>
          <button type="button" className="button" onClick={() => void renew('confirm')}>
            Confirm Certificate Renewal
          </button>
          <button type="button" className="button secondary" onClick={() => setRenewing(false)}>
            Later
          </button>
        </div>
      )}
      {isRouteMissing(error) ? <NotAvailable feature="Certificate renewal" /> : <ErrorNote error={error} />}
      <p className="muted small">Created {formatTime(connection.createdAt)}</p>
    </article>
  );
}
