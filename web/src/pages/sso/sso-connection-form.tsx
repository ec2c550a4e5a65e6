import { useState, type FormEvent } from 'react';
import { sso, testCallbackUrl, type SsoConnection } from '../../api/sso';
import { ErrorNote } from '../../components/notice';

/** Upload (or paste) the IdP metadata XML, or link its URL; the redirect URIs of the host app. */
export function SsoConnectionForm({ orgId, onCreated }: { orgId: string; onCreated: (c: SsoConnection) => void }) {
  const [mode, setMode] = useState<'xml' | 'url'>('xml');
  const [xml, setXml] = useState('');
  const [url, setUrl] = useState('');
  const [redirects, setRedirects] = useState('');
  const [allowIdpInitiated, setAllowIdpInitiated] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const redirectUris = [...redirects.split(/\s+/).filter(Boolean), testCallbackUrl()];
    try {
      onCreated(await sso.create(orgId, mode === 'xml' ? { idpMetadataXml: xml, redirectUris, allowIdpInitiated } : { idpMetadataUrl: url.trim(), redirectUris, allowIdpInitiated }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="new-sso">
      <h3 id="new-sso">Connect your identity provider</h3>
      <fieldset>
        <legend>IdP metadata</legend>
        <label className="checkbox">
          <input type="radio" name="metadata-mode" checked={mode === 'xml'} onChange={() => setMode('xml')} /> Upload or paste the metadata XML
        </label>
        <label className="checkbox">
          <input type="radio" name="metadata-mode" checked={mode === 'url'} onChange={() => setMode('url')} /> Link the metadata URL
        </label>
      </fieldset>
      {mode === 'xml' ? (
        <>
          <label htmlFor="idp-metadata-file">Metadata file</label>
          <input id="idp-metadata-file" type="file" accept=".xml,application/xml,text/xml" onChange={(e) => void e.target.files?.[0]?.text().then(setXml)} />
          <label htmlFor="idp-metadata-xml">Metadata XML</label>
          <textarea id="idp-metadata-xml" rows={6} className="mono" value={xml} onChange={(e) => setXml(e.target.value)} required />
        </>
      ) : (
        <>
          <label htmlFor="idp-metadata-url">Metadata URL</label>
          <input id="idp-metadata-url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://sso.jumpcloud.com/saml2/metadata/…" />
        </>
      )}
      <label htmlFor="redirect-uris">Redirect URIs of your app (one per line; the first is the default)</label>
      <textarea id="redirect-uris" rows={2} className="mono" value={redirects} onChange={(e) => setRedirects(e.target.value)} />
      <label className="checkbox">
        <input type="checkbox" checked={allowIdpInitiated} onChange={(e) => setAllowIdpInitiated(e.target.checked)} /> Allow IdP-initiated sign-in
      </label>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Saving…' : 'Save connection'}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
