import { useEffect, useRef, useState } from 'react';
import { jumpcloud, runFraction, type JumpCloudRun } from '../../api/jumpcloud';
import { ErrorNote, Notice, formatTime } from '../../components/notice';

const PHASES: Record<string, string> = { lists: 'reading users, groups, admins, roles and applications', graph: 'reading memberships and app access', findings: 'evaluating findings', done: 'done' };
const COUNTED = ['users', 'groups', 'admins', 'roles', 'applications', 'memberships', 'appAccessUsers', 'requests', 'retries'] as const;

/** "Run pull" and a progress bar that follows the run (also one already running) until it ends. */
export function PullRunner({ connectionId, lastRun, onFinished }: { connectionId: string; lastRun: JumpCloudRun | null | undefined; onFinished: () => void }) {
  const [runId, setRunId] = useState<string | null>(lastRun?.id ?? null);
  const [run, setRun] = useState<JumpCloudRun | null>(lastRun ?? null);
  const [error, setError] = useState<unknown>(null);
  // the latest callback, without restarting the polling when the parent re-renders
  const finished = useRef(onFinished);
  finished.current = onFinished;
  // whether this page saw the run running (an old finished run reloads nothing)
  const following = useRef(false);

  useEffect(() => {
    if (!runId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const current = await jumpcloud.run(connectionId, runId);
        if (!live) return;
        setRun(current);
        if (current.state === 'running') {
          following.current = true;
          timer = setTimeout(() => void poll(), 500);
        } else if (following.current) {
          following.current = false;
          finished.current();
        }
      } catch (e) {
        if (live) setError(e);
      }
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [connectionId, runId]);

  const start = async () => {
    setError(null);
    setRun(null);
    try {
      following.current = true;
      setRunId((await jumpcloud.sync(connectionId)).runId);
    } catch (e) {
      setError(e);
    }
  };

  const cancel = async () => {
    if (!runId) return;
    try {
      setRun(await jumpcloud.cancel(connectionId, runId));
    } catch (e) {
      setError(e);
    }
  };

  const fraction = run ? runFraction(run) : undefined;
  const running = run?.state === 'running' || (runId !== null && run === null);
  const p = run?.progress;
  const status =
    run?.state === 'succeeded' ? 'Pull finished' : run?.state === 'failed' ? 'Pull failed' : run?.state === 'cancelled' ? 'Pull cancelled' : `Pulling${p?.phase ? `: ${PHASES[p.phase] ?? p.phase}` : ''}`;
  return (
    <section className="card" aria-labelledby="pull-title">
      <h3 id="pull-title">Pull</h3>
      <div className="actions">
        <button type="button" className="button" onClick={() => void start()} disabled={running}>
          {running ? 'Pulling…' : 'Run pull'}
        </button>
        {running && run && (
          <button type="button" className="button secondary" onClick={() => void cancel()} disabled={run.cancelRequested}>
            Cancel pull
          </button>
        )}
      </div>
      {runId && (
        <div className="pull-progress" data-testid="pull-progress">
          <label htmlFor="pull-bar">{status}</label>
          <progress id="pull-bar" max={1} {...(fraction !== undefined ? { value: fraction } : {})} aria-valuetext={fraction !== undefined ? `${Math.round(fraction * 100)}%` : 'in progress'} />
          {run?.state === 'running' && p?.entities && (
            <p className="muted small" data-testid="pull-detail">
              {p.entities.done.toLocaleString()} of {p.entities.total.toLocaleString()} records
              {p.graph && p.graph.total > 0 ? ` · ${p.graph.done.toLocaleString()} of ${p.graph.total.toLocaleString()} groups and apps` : ''} · {p.requests ?? 0} requests
              {p.retries ? ` · ${p.retries} retries` : ''}
            </p>
          )}
          {run && run.state !== 'running' && (
            <p className="muted small" data-testid="pull-counts">
              {COUNTED.filter((k) => typeof run.counts[k] === 'number')
                .map((k) => `${k}: ${(run.counts[k] as number).toLocaleString()}`)
                .join(' · ')}
              {run.finishedAt ? ` · finished ${formatTime(run.finishedAt)}` : ''}
            </p>
          )}
          {run?.state === 'failed' && (
            <Notice kind="warning">
              {run.error?.message ?? 'the pull failed'}
              {run.error?.code ? ` (${run.error.code})` : ''}
            </Notice>
          )}
        </div>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
