import { useState } from 'react';
import { jumpcloud } from '../../api/jumpcloud';
import { JsonView } from '../../components/json-view';
import { ErrorNote, Loading, formatTime } from '../../components/notice';
import { Pager } from '../../components/pager';
import { useCursorList } from '../../components/use-cursor-list';

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** The findings of the pulls (admins without MFA, suspended users still active in the app, …), filtered on the server. */
export function Findings({ connectionId }: { connectionId: string }) {
  const [severity, setSeverity] = useState('');
  const [state, setState] = useState('open');
  const list = useCursorList((cursor) => jumpcloud.findings(connectionId, { limit: 50, cursor, severity, state }), `${connectionId}|${severity}|${state}`);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <div className="filters">
        <label htmlFor="finding-severity">Severity</label>
        <select id="finding-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
          <option value="">any</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor="finding-state">State</label>
        <select id="finding-state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="open">open</option>
          <option value="resolved">resolved</option>
          <option value="">any</option>
        </select>
      </div>
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p className="muted">No findings.</p>
      ) : (
        <ul className="inventory" data-testid="inventory-findings">
          {list.items.map((f) => (
            <li key={f.id}>
              <div className="inventory-row">
                <span className={`badge ${f.severity === 'high' || f.severity === 'critical' ? 'bad' : ''}`}>{f.severity}</span>
                <span>{f.type.replace(/_/g, ' ')}</span>
                <span className="muted small">
                  {f.subject.type} {f.subject.label} · since {formatTime(f.firstSeenAt)}
                  {f.resolvedAt ? ` · resolved ${formatTime(f.resolvedAt)}` : ''}
                </span>
                <button type="button" className="button secondary small" aria-expanded={open === f.id} onClick={() => setOpen(open === f.id ? null : f.id)}>
                  Evidence
                </button>
              </div>
              {open === f.id && <JsonView value={f.evidence} label={`Evidence of ${f.type} for ${f.subject.label}`} />}
            </li>
          ))}
        </ul>
      )}
      <Pager label="Findings" page={list.pageNumber} hasPrev={list.hasPrev} hasNext={list.hasNext} onPrev={list.prev} onNext={list.next} />
    </>
  );
}
