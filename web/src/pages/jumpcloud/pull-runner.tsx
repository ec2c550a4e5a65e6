import { useEffect, useRef, useState } from 'react';
import { jumpcloud, runFraction, type JumpCloudRun } from '../../api/jumpcloud';
import { ErrorNote, Notice } from '../../components/notice';

/** "Run pull" and a progress bar that follows the run until it succeeds or fails. */
export function PullRunner({ connectionId, onFinished }: { connectionId: string; onFinished: () => void }) {
  const [runId, setRunId] = useState<string | null>(null);
  const [run, setRun] = useState<JumpCloudRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  // the latest callback, without restarting the polling when the parent re-renders
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    if (!runId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const current = await jumpcloud.run(connectionId, runId);
        if (!live) return;
        setRun(current);
        if (current.state === 'running') timer = setTimeout(() => void poll(), 500);
        else finished.current();
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
      setRunId((await jumpcloud.sync(connectionId)).runId);
    } catch (e) {
      setError(e);
    }
  };

  const fraction = run ? runFraction(run) : undefined;
  const running = run?.state === 'running' || (runId !== null && run === null);
  return (
    <section className="card" aria-labelledby="pull-title">
      <h3 id="pull-title">Pull</h3>
      <button type="button" className="button" onClick={() => void start()} disabled={running}>
        {running ? 'Pulling…' : 'Run pull'}
      </button>
      {runId && (
        <div className="pull-progress" data-testid="pull-progress">
          <label htmlFor="pull-bar">{run?.state === 'succeeded' ? 'Pull finished' : run?.state === 'failed' ? 'Pull failed' : `Pulling${run?.progress?.phase ? `: ${String(run.progress.phase)}` : ''}`}</label>
          <progress id="pull-bar" max={1} {...(fraction !== undefined ? { value: fraction } : {})} aria-valuetext={fraction !== undefined ? `${Math.round(fraction * 100)}%` : 'in progress'} />
          {run?.counts && (
            <p className="muted small">
              {Object.entries(run.counts)
                .map(([k, v]) => `${k}: ${v.toLocaleString()}`)
                .join(' · ')}
            </p>
          )}
          {run?.state === 'failed' && <Notice kind="warning">{typeof run.error === 'string' ? run.error : (run.error?.message ?? 'the pull failed')}</Notice>}
        </div>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
