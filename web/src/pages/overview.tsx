import { ErrorNote, Loading, formatTime } from '../components/notice';
import { PROVIDER_LABELS, useDirectories } from '../components/use-directories';
import { Link } from '../router';

/** An organization at a glance: its directories, their counts and their last SCIM activity. */
export function OverviewPage({ orgId }: { orgId: string }) {
  const { directories, error } = useDirectories(orgId);
  const base = `/orgs/${encodeURIComponent(orgId)}`;
  if (error) return <ErrorNote error={error} />;
  if (!directories) return <Loading />;
  return (
    <div>
      <h2>Directories</h2>
      {directories.length === 0 ? (
        <p>
          No directory is connected yet. <Link to={`${base}/scim`}>Set up SCIM provisioning</Link>.
        </p>
      ) : (
        <div className="cards">
          {directories.map((d) => (
            <article key={d.id} className="card" aria-labelledby={`dir-${d.id}`}>
              <h3 id={`dir-${d.id}`}>
                {d.name} <span className="badge">{PROVIDER_LABELS[d.provider] ?? d.provider}</span>
              </h3>
              <dl className="facts">
                <dt>Users</dt>
                <dd>
                  <Link to={`${base}/users?dir=${encodeURIComponent(d.id)}`}>{d.userCount.toLocaleString()}</Link>
                  {d.activeUserCount !== undefined ? ` (${d.activeUserCount.toLocaleString()} active)` : ''}
                </dd>
                <dt>Groups</dt>
                <dd>
                  <Link to={`${base}/groups?dir=${encodeURIComponent(d.id)}`}>{d.groupCount.toLocaleString()}</Link>
                </dd>
                <dt>Last SCIM request</dt>
                <dd>{formatTime(d.activity?.lastRequestAt)}</dd>
                <dt>Errors</dt>
                <dd>{d.activity?.errorCount ?? 0}</dd>
              </dl>
            </article>
          ))}
        </div>
      )}
    </div>
  );
}
