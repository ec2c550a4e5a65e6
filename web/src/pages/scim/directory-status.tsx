import { useState } from 'react';
import { gatehouse } from '../../api/gatehouse';
import type { Directory } from '../../api/types';
import { ErrorNote, formatTime } from '../../components/notice';
import { usePolling } from '../../components/use-cursor-list';

/** The directory's live status: counts and the last SCIM requests and errors, refreshed every 3 seconds. */
export function DirectoryStatus({ directory: initial }: { directory: Directory }) {
  const [directory, setDirectory] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  usePolling(
    () => {
      gatehouse.directory(initial.id).then(
        (d) => {
          setDirectory(d);
          setError(null);
        },
        (e: unknown) => setError(e),
      );
    },
    3000,
    [initial.id],
  );
  const activity = directory.activity;
  const healthy = activity?.lastRequestAt ? (activity.lastError && activity.lastError.at >= (activity.lastSuccessAt ?? '') ? 'error' : 'ok') : 'waiting';
  return (
    <section aria-labelledby={`status-${directory.id}`} className="status" data-testid="directory-status">
      <h3 id={`status-${directory.id}`}>
        Status{' '}
        <span className={`badge ${healthy === 'ok' ? 'good' : healthy === 'error' ? 'bad' : ''}`}>
          {healthy === 'ok' ? 'Receiving requests' : healthy === 'error' ? 'Last request failed' : 'Waiting for the first request'}
        </span>
      </h3>
      <dl className="facts">
        <dt>Users</dt>
        <dd data-testid="user-count">{directory.userCount.toLocaleString()}</dd>
        <dt>Groups</dt>
        <dd>{directory.groupCount.toLocaleString()}</dd>
        <dt>Last request</dt>
        <dd>{formatTime(activity?.lastRequestAt)}</dd>
        <dt>Last success</dt>
        <dd>{formatTime(activity?.lastSuccessAt)}</dd>
        <dt>Requests</dt>
        <dd>{(activity?.requestCount ?? 0).toLocaleString()}</dd>
        <dt>Errors</dt>
        <dd>{(activity?.errorCount ?? 0).toLocaleString()}</dd>
        {activity?.lastError && (
          <>
            <dt>Last error</dt>
            <dd>
              {activity.lastError.status} — {activity.lastError.message} ({formatTime(activity.lastError.at)})
            </dd>
          </>
        )}
      </dl>
      <ErrorNote error={error} />
    </section>
  );
}
