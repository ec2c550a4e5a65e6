import { useState } from 'react';

/** Copies a value to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button type="button" className="button secondary small" onClick={() => void copy()} aria-label={`Copy ${label}`}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? `${label} copied` : ''}
      </span>
    </button>
  );
}

/** A labelled read-only value with a copy button (Endpoint URL, token, login URL…). */
export function CopyField({ label, value, secret = false }: { label: string; value: string; secret?: boolean }) {
  const id = `copy-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} className={secret ? 'mono secret' : 'mono'} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={value} label={label} />
      </div>
    </div>
  );
}
