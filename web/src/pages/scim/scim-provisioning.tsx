import { useState, type FormEvent } from 'react';
import { gatehouse } from '../../api/gatehouse';
import type { Directory, Provider } from '../../api/types';
import { CopyField } from '../../components/copy-button';
import { ErrorNote, Loading, Notice, formatTime } from '../../components/notice';
import { PROVIDER_LABELS, useDirectories } from '../../components/use-directories';
import { DirectoryStatus } from './directory-status';
import { JumpCloudGuide } from './jumpcloud-guide';

const PROVIDERS: Provider[] = ['jumpcloud', 'okta', 'entra', 'generic'];

/** SCIM Provisioning: choose the directory provider, get the Endpoint URL and token, follow the guide, watch the status. */
export function ScimProvisioningPage({ orgId }: { orgId: string }) {
  const { directories, error, reload } = useDirectories(orgId);
  const [adding, setAdding] = useState(false);
  const [issued, setIssued] = useState<{ directoryId: string; endpoint: string; token: string; provider: string } | null>(null);

  if (error) return <ErrorNote error={error} />;
  if (!directories) return <Loading />;

  const onCreated = (d: Directory) => {
    setIssued({ directoryId: d.id, endpoint: d.scim.endpoint, token: d.scim.token ?? '', provider: d.provider });
    setAdding(false);
    reload();
  };

  return (
    <div>
      <h2>SCIM Provisioning</h2>
      {issued && <IssuedCredentials {...issued} onDone={() => setIssued(null)} />}
      {(directories.length === 0 || adding) && !issued && <ProviderChoice orgId={orgId} onCreated={onCreated} onCancel={directories.length > 0 ? () => setAdding(false) : undefined} />}
      {directories.map((d) => (
        <DirectoryCard key={d.id} directory={d} onRotated={(token, endpoint) => setIssued({ directoryId: d.id, endpoint, token, provider: d.provider })} />
      ))}
      {directories.length > 0 && !adding && !issued && (
        <button type="button" className="button secondary" onClick={() => setAdding(true)}>
          Connect another directory
        </button>
      )}
    </div>
  );
}

function ProviderChoice({ orgId, onCreated, onCancel }: { orgId: string; onCreated: (d: Directory) => void; onCancel: (() => void) | undefined }) {
  const [provider, setProvider] = useState<Provider>('jumpcloud');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await gatehouse.createDirectory(orgId, provider, name.trim() || undefined));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>Choose your directory provider</legend>
        <div className="provider-grid">
          {PROVIDERS.map((p) => (
            <label key={p} className={`provider ${provider === p ? 'selected' : ''}`}>
              <input type="radio" name="provider" value={p} checked={provider === p} onChange={() => setProvider(p)} />
              {PROVIDER_LABELS[p]}
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor="directory-name">Directory name (optional)</label>
      <input id="directory-name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Creating…' : 'Get Endpoint URL and token'}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function IssuedCredentials({ endpoint, token, provider, onDone }: { directoryId: string; endpoint: string; token: string; provider: string; onDone: () => void }) {
  return (
    <section className="card highlight" aria-labelledby="issued-title" data-testid="issued-credentials">
      <h3 id="issued-title">Your SCIM credentials</h3>
      <Notice kind="warning">Copy the token now: it is shown only once. If you lose it, rotate it.</Notice>
      <CopyField label="Endpoint URL" value={endpoint} />
      <CopyField label="Bearer token" value={token} secret />
      {provider === 'jumpcloud' && <JumpCloudGuide open />}
      <button type="button" className="button secondary" onClick={onDone}>
        I have copied the token
      </button>
    </section>
  );
}

function DirectoryCard({ directory, onRotated }: { directory: Directory; onRotated: (token: string, endpoint: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const rotate = async () => {
    setError(null);
    try {
      const result = await gatehouse.rotateToken(directory.id);
      setConfirming(false);
      onRotated(result.token, result.endpoint);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <article className="card" aria-labelledby={`directory-${directory.id}`}>
      <h3 id={`directory-${directory.id}`}>
        {directory.name} <span className="badge">{PROVIDER_LABELS[directory.provider] ?? directory.provider}</span>
      </h3>
      <CopyField label={`Endpoint URL of ${directory.name}`} value={directory.scim.endpoint} />
      <p className="muted small">
        Token ending in <span className="mono">…{directory.scim.tokenHint ?? '????'}</span>, issued {formatTime(directory.scim.tokenCreatedAt)}
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm token rotation">
          <p>The current token stops working at once; paste the new one into your identity provider.</p>
          <button type="button" className="button danger" onClick={() => void rotate()}>
            Rotate token now
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
          Rotate token
        </button>
      )}
      <ErrorNote error={error} />
      <DirectoryStatus directory={directory} />
      {directory.provider === 'jumpcloud' && <JumpCloudGuide />}
    </article>
  );
}
