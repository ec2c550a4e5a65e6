import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { jumpcloud, type DriftReport, type HealResult } from '../../api/jumpcloud';
import { ErrorNote, Loading, Notice, formatTime } from '../../components/notice';

/**
 * Drift between the organization's SCIM directories and the latest succeeded pull, and healing it in the
 * safe direction only (deactivating app users JumpCloud deleted, suspended, expired or unbound): a dry run
 * first, then the real heal of exactly what it listed.
 */
export function Drift({ connectionId }: { connectionId: string }) {
  const [reports, setReports] = useState<DriftReport[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    setError(null);
    jumpcloud.drift(connectionId).then((r) => setReports(r.reports), setError);
  }, [connectionId, reloads]);

  if (error instanceof ApiError && error.status === 409) return <p className="muted">No pull has succeeded yet: run a pull first.</p>;
  if (error) return <ErrorNote error={error} />;
  if (!reports) return <Loading />;
  if (reports.length === 0) return <p className="muted">This organization has no SCIM directory to compare with.</p>;
  return (
    <div data-testid="drift">
      {reports.map((r) => (
        <DirectoryDrift key={r.directoryId} connectionId={connectionId} report={r} onHealed={() => setReloads((n) => n + 1)} />
      ))}
    </div>
  );
}

function DirectoryDrift({ connectionId, report, onHealed }: { connectionId: string; report: DriftReport; onHealed: () => void }) {
  const [dryRun, setDryRun] = useState<HealResult | null>(null);
  const [healed, setHealed] = useState<HealResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const heal = async (dry: boolean) => {
    setError(null);
    try {
      const result = await jumpcloud.heal(connectionId, { directoryId: report.directoryId, dryRun: dry });
      if (dry) setDryRun(result);
      else {
        setDryRun(null);
        setHealed(result);
        onHealed();
      }
    } catch (e) {
      setError(e);
    }
  };
  const s = report.summary;
  return (
    <article className="card" aria-labelledby={`drift-${report.directoryId}`}>
      <h4 id={`drift-${report.directoryId}`}>Directory {report.directoryId}</h4>
      <p className="muted small">
        From the pull of {formatTime(report.generatedAt)}
        {report.applicationId ? ` · linked JumpCloud application ${report.applicationId}` : ' · no JumpCloud application linked to this directory (unbound users are not evaluated)'}
      </p>
      <p data-testid="drift-summary">
        {s.deactivate} to deactivate · {s.unmatched} without a JumpCloud user · {s.missingInApp} missing in the app · {s.groups} groups differing
      </p>
      {healed && (
        <Notice kind="success">
          Deactivated {healed.deactivated.length} users: {healed.deactivated.map((d) => d.userName).join(', ') || 'none'}.
        </Notice>
      )}
      {report.deactivate.length > 0 && (
        <table className="table" aria-label="Users to deactivate">
          <thead>
            <tr>
              <th scope="col">App user</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {report.deactivate.map((d) => (
              <tr key={d.scimUserId}>
                <td>{d.userName}</td>
                <td>{d.reason.replace(/_/g, ' ')} in JumpCloud</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.unmatched.length > 0 && <p className="small">Without a JumpCloud user: {report.unmatched.map((u) => u.userName).join(', ')}</p>}
      {report.missingInApp.length > 0 && <p className="small">Reach the app in JumpCloud but missing here: {report.missingInApp.map((u) => u.username ?? u.email ?? u.jumpcloudUserId).join(', ')}</p>}
      {report.groups.map((g) => (
        <p key={g.scimGroupId} className="small">
          Group {g.name}: {g.missingInApp.length} missing in the app, {g.extraInApp.length} extra
        </p>
      ))}
      {report.deactivate.length > 0 && !dryRun && (
        <button type="button" className="button secondary" onClick={() => void heal(true)}>
          Heal: dry run
        </button>
      )}
      {dryRun && (
        <div className="card highlight" role="dialog" aria-labelledby={`heal-${report.directoryId}`}>
          <h4 id={`heal-${report.directoryId}`}>Heal drift</h4>
          <p data-testid="heal-dry-run">
            {dryRun.deactivated.length === 0
              ? 'Nothing would change.'
              : `Would deactivate ${dryRun.deactivated.length} users: ${dryRun.deactivated.map((d) => `${d.userName} (${d.reason.replace(/_/g, ' ')})`).join(', ')}. Healing never creates, reactivates or deletes anyone.`}
          </p>
          {dryRun.deactivated.length > 0 && (
            <button type="button" className="button danger" onClick={() => void heal(false)}>
              Deactivate {dryRun.deactivated.length} users
            </button>
          )}
          <button type="button" className="button secondary" onClick={() => setDryRun(null)}>
            Close
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </article>
  );
}
