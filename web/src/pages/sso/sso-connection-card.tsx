import { useEffect, useState } from 'react';
import { certificateExpiries, pkce, sso, testCallbackUrl, type IdpCertificatesView, type RenewalInput, type SpKey, type SsoConnection } from '../../api/sso';
import { CopyField } from '../../components/copy-button';
import { ErrorNote, Notice, formatTime } from '../../components/notice';

/** The server warns (connection.certificate_expiring) at 60, 30, 7 and 1 days; the page from 60 days. */
const WARN_DAYS = 60;

/** One SAML connection: SP metadata, login URL, a test sign-in, certificate renewal (IdP and SP side), expiry warnings. */
export function SsoConnectionCard({ connection: initial, clientSecret }: { connection: SsoConnection; clientSecret: string | undefined }) {
  const [connection, setConnection] = useState(initial);
  const [view, setView] = useState<IdpCertificatesView | null>(null);
  const [renewing, setRenewing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = connection.id;

  useEffect(() => {
    sso.idpCertificates(id).then(setView, setError);
  }, [id]);

  /** Runs an action, then reloads the connection and its certificates. */
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      const [c, v] = await Promise.all([sso.get(id), sso.idpCertificates(id)]);
      setConnection(c);
      setView(v);
    } catch (e) {
      setError(e);
    }
  };

  const now = Date.now();
  const expiring = certificateExpiries({ idpCertificates: view?.certificates ?? connection.idpCertificates, spKeys: connection.spKeys }).filter((c) => new Date(c.notAfter).getTime() - now < WARN_DAYS * 86_400_000);

  const testSignIn = async () => {
    setError(null);
    try {
      const callback = testCallbackUrl();
      if (!connection.redirectUris.includes(callback)) setConnection(await sso.update(id, { redirectUris: [...connection.redirectUris, callback] }));
      const { verifier, challenge } = await pkce();
      const state = crypto.randomUUID();
      sessionStorage.setItem(`gatehouse.sso-test.${state}`, JSON.stringify({ connectionId: id, verifier }));
      const params = new URLSearchParams({ client_id: connection.oauth.clientId, redirect_uri: callback, response_type: 'code', state, code_challenge: challenge, code_challenge_method: 'S256', connection: id });
      // same origin: the new tab starts with a copy of this tab's sessionStorage (the PKCE state)
      window.open(`/oauth/authorize?${params.toString()}`, '_blank');
    } catch (e) {
      setError(e);
    }
  };

  const renewal = view?.renewal ?? null;
  return (
    <article className="card" aria-labelledby={`sso-${id}`} data-testid="sso-connection">
      <h3 id={`sso-${id}`}>SAML connection to {connection.idp.entityId}</h3>
      {expiring.map((c) => (
        <Notice key={c.what} kind="warning">
          {c.what} {new Date(c.notAfter).getTime() < now ? 'expired' : 'expires'} {formatTime(c.notAfter)}. Renew it before sign-ins fail.
        </Notice>
      ))}
      {connection.idp.lastRefreshError && <Notice kind="warning">The last read of the IdP metadata URL failed: {connection.idp.lastRefreshError}</Notice>}
      {clientSecret && (
        <>
          <Notice kind="warning">Copy the OAuth client secret now: it is shown only once.</Notice>
          <CopyField label="OAuth client secret" value={clientSecret} secret />
        </>
      )}
      <CopyField label="SP entity ID" value={connection.spEntityId} />
      <CopyField label="ACS URL" value={connection.acsUrl} />
      <CopyField label="Login URL" value={connection.loginUrl} />
      <CopyField label="OAuth client ID" value={connection.oauth.clientId} />
      <p className="muted small">
        In JumpCloud&apos;s SAML application: upload the SP metadata (or paste the SP entity ID and ACS URL), and set the Login URL so the user portal tile starts the sign-in.
        Test sign-in uses this portal&apos;s callback ({testCallbackUrl()}) as a redirect URI and adds it when missing.
      </p>
      <div className="actions">
        <a className="button secondary" href={connection.spMetadataUrl} download>
          Download SP metadata
        </a>
        <button type="button" className="button" onClick={() => void testSignIn()}>
          Test sign-in
        </button>
        {!renewing && !renewal && (
          <button type="button" className="button secondary" onClick={() => setRenewing(true)}>
            Renew Certificate
          </button>
        )}
      </div>
      {(renewing || renewal) && view && (
        <IdpRenewal
          connection={connection}
          view={view}
          onStart={(input) => act(() => sso.startRenewal(id, input))}
          onRefresh={() => act(() => sso.refreshMetadata(id))}
          onConfirm={() =>
            act(async () => {
              await sso.confirmRenewal(id);
              setRenewing(false);
            })
          }
          onCancel={() => {
            if (!renewal) return setRenewing(false);
            void act(async () => {
              await sso.cancelRenewal(id);
              setRenewing(false);
            });
          }}
        />
      )}
      <h4>IdP signing certificates</h4>
      <table className="table" data-testid="idp-certificates">
        <thead>
          <tr>
            <th scope="col">Fingerprint (SHA-256)</th>
            <th scope="col">State</th>
            <th scope="col">Valid until</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {(view?.certificates ?? connection.idpCertificates).map((c) => (
            <tr key={c.id}>
              <td className="mono small">{c.fingerprintSha256}</td>
              <td>
                <span className={`badge ${c.state === 'active' ? 'good' : c.state === 'removed' ? '' : 'bad'}`}>{c.state}</span>
                {c.state === 'pending' && !renewal && (
                  <button type="button" className="button secondary small" onClick={() => void act(() => sso.startRenewal(id, { certificateId: c.id }))}>
                    Trust (start renewal)
                  </button>
                )}
              </td>
              <td>{formatTime(c.notAfter)}</td>
              <td>{c.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SpKeys keys={connection.spKeys} onCreate={() => act(() => sso.createSpKey(id))} onActivate={(k) => act(() => sso.activateSpKey(id, k))} onRetire={(k) => act(() => sso.retireSpKey(id, k))} />
      <ErrorNote error={error} />
      <p className="muted small">Created {formatTime(connection.createdAt)}</p>
    </article>
  );
}

/** JumpCloud's "Renew Certificate" → "Confirm Certificate Renewal" for the IdP's signing certificate. */
function IdpRenewal(props: { connection: SsoConnection; view: IdpCertificatesView; onStart: (input: RenewalInput) => Promise<void>; onRefresh: () => Promise<void>; onConfirm: () => Promise<void>; onCancel: () => void }) {
  const { connection, view } = props;
  const fromUrl = connection.idp.metadataUrl !== null;
  const [mode, setMode] = useState<'metadata' | 'paste'>(fromUrl ? 'metadata' : 'paste');
  const [pem, setPem] = useState('');
  const renewal = view.renewal;
  const added = renewal?.certificateId ? view.certificates.find((c) => c.id === renewal.certificateId) : undefined;
  return (
    <div className="card highlight" role="dialog" aria-labelledby={`renew-${connection.id}`}>
      <h4 id={`renew-${connection.id}`}>Certificate renewal</h4>
      {!renewal ? (
        <>
          <p>The new IdP certificate is trusted beside the current one until you confirm, so no sign-in fails while JumpCloud switches keys.</p>
          <fieldset>
            <legend>Where the new certificate comes from</legend>
            {fromUrl && (
              <label className="checkbox">
                <input type="radio" name={`renew-mode-${connection.id}`} checked={mode === 'metadata'} onChange={() => setMode('metadata')} /> The IdP metadata URL (start here, then regenerate the certificate in JumpCloud)
              </label>
            )}
            <label className="checkbox">
              <input type="radio" name={`renew-mode-${connection.id}`} checked={mode === 'paste'} onChange={() => setMode('paste')} /> Paste the new certificate (PEM)
            </label>
          </fieldset>
          {mode === 'paste' && (
            <>
              <label htmlFor={`renew-pem-${connection.id}`}>New IdP certificate</label>
              <textarea id={`renew-pem-${connection.id}`} rows={5} className="mono" value={pem} onChange={(e) => setPem(e.target.value)} />
            </>
          )}
          <button type="button" className="button" disabled={mode === 'paste' && pem.trim() === ''} onClick={() => void props.onStart(mode === 'metadata' ? { fromMetadata: true } : { certificate: pem.trim() })}>
            Start renewal
          </button>
          <button type="button" className="button secondary" onClick={props.onCancel}>
            Later
          </button>
        </>
      ) : (
        <>
          {renewal.awaitingCertificate ? (
            <p data-testid="renewal-state">
              Waiting for the IdP metadata to publish a new certificate. Regenerate the certificate in JumpCloud now; Gatehouse re-reads the metadata URL and trusts the new certificate beside the old one.
            </p>
          ) : (
            <p data-testid="renewal-state">
              The new certificate{added ? ` (${added.fingerprintSha256.slice(0, 11)}…, valid until ${formatTime(added.notAfter)})` : ''} is trusted beside the old one. Once JumpCloud signs with it and a test sign-in succeeds, confirm: the old certificate is then refused.
            </p>
          )}
          <p className="muted small">Started {formatTime(renewal.startedAt)}</p>
          {renewal.awaitingCertificate && (
            <button type="button" className="button secondary" onClick={() => void props.onRefresh()}>
              Check the metadata now
            </button>
          )}
          <button type="button" className="button" disabled={renewal.awaitingCertificate} onClick={() => void props.onConfirm()}>
            Confirm Certificate Renewal
          </button>
          <button type="button" className="button secondary" onClick={props.onCancel}>
            Cancel renewal
          </button>
        </>
      )}
    </div>
  );
}

/** The SP signing keys (published in the SP metadata): generate the next one, activate it, retire the old one. */
function SpKeys({ keys, onCreate, onActivate, onRetire }: { keys: SpKey[]; onCreate: () => Promise<void>; onActivate: (keyId: string) => Promise<void>; onRetire: (keyId: string) => Promise<void> }) {
  const hasNext = keys.some((k) => k.state === 'next');
  return (
    <section aria-label="SP signing keys">
      <h4>SP signing keys</h4>
      <p className="muted small">
        Every key is published in the SP metadata; the active one signs the AuthnRequests. Generate the next key, give the IdP the new SP metadata, then activate it and retire the old one.
      </p>
      <table className="table" data-testid="sp-keys">
        <thead>
          <tr>
            <th scope="col">Fingerprint (SHA-256)</th>
            <th scope="col">State</th>
            <th scope="col">Valid until</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td className="mono small">{k.fingerprintSha256}</td>
              <td>
                <span className={`badge ${k.state === 'active' ? 'good' : ''}`}>{k.state}</span>
              </td>
              <td>{formatTime(k.notAfter)}</td>
              <td>
                {k.state === 'next' && (
                  <button type="button" className="button secondary small" onClick={() => void onActivate(k.id)}>
                    Activate
                  </button>
                )}
                {k.state === 'retiring' && (
                  <button type="button" className="button secondary small" onClick={() => void onRetire(k.id)}>
                    Retire
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!hasNext && (
        <button type="button" className="button secondary" onClick={() => void onCreate()}>
          Generate next SP key
        </button>
      )}
    </section>
  );
}
