/**
 * bench/jumpcloud-pull: one JumpCloud pull of a large tenant through 50 ms of latency per request.
 *   node --import tsx bench/jumpcloud-pull.ts   (JC_USERS=50000 JC_GROUPS=2000 JC_APPS=200 LATENCY_MS=50 CONCURRENCY=16)
 * The simulator runs as its own process (its CPU is not ours), seeded at that size, with a latency fault
 * on every console request. Gatehouse runs in this process on a fresh SQLite file; the pull goes through
 * the admin API (POST …/sync, polling the run). Reported: the time against the bound
 * requests × latency ÷ concurrency (what perfect overlap of the waits would take), and the peak RSS of
 * this process. Targets: ≤ 1.25 × the bound, RSS ≤ 300 MB. Writes bench/results/jumpcloud-pull.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/runtime.js';
import { freePort } from '../test/support/embedded-postgres.js';
import { http } from '../test/support/server.js';
import { machine } from './machine.js';

const USERS = Number(process.env.JC_USERS ?? 50_000);
const GROUPS = Number(process.env.JC_GROUPS ?? 2_000);
const APPS = Number(process.env.JC_APPS ?? 200);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const root = resolve(import.meta.dirname, '..');
const workDir = join(root, '.tmp', `bench-jumpcloud-${process.pid}`);
const ADMIN_KEY = 'gha_bench-admin-key-0123456789abcdef0123456789';
const API_KEY = 'bench0000000000000000000000000000000000';

rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });

// the simulator, its own process
const simPort = await freePort();
const sim = spawn(process.execPath, ['--import', 'tsx', join(root, 'sim', 'main.ts'), '--port', String(simPort), '--api-key', API_KEY, '--users', String(USERS), '--groups', String(GROUPS), '--apps', String(APPS)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const consoleUrl = await new Promise<string>((done, fail) => {
  let out = '';
  sim.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line) done((JSON.parse(line) as { consoleUrl: string }).consoleUrl);
  });
  sim.once('exit', (code) => fail(new Error(`the simulator exited (${code})`)));
});
/** CPU seconds a process used so far (Linux /proc; null elsewhere). */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
const fault = await fetch(`${consoleUrl}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'latency', ms: LATENCY_MS }) });
if (fault.status !== 201) throw new Error(`latency fault: ${fault.status}`);

const config = loadConfig({
  PORT: String(await freePort()),
  DATABASE_URL: `sqlite:${join(workDir, 'gatehouse.db')}`,
  GATEHOUSE_ADMIN_KEY: ADMIN_KEY,
  GATEHOUSE_SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789',
  LOG_LEVEL: 'warn',
  GATEHOUSE_JUMPCLOUD_CONCURRENCY: String(CONCURRENCY),
});
const runtime = await startRuntime(config);
const api = (method: string, path: string, body?: unknown) => http(method, `${runtime.url}/api${path}`, { token: ADMIN_KEY, ...(body !== undefined ? { body } : {}) });

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const baselineRss = process.memoryUsage().rss;

const org = await api('POST', '/organizations', { name: 'Bench' });
const connection = await api('POST', `/organizations/${org.body.id}/jumpcloud`, { apiKey: API_KEY, apiBaseUrl: consoleUrl });
const loadAtStart = loadavg().map((l) => Math.round(l * 10) / 10);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const simCpuBefore = cpuSecondsOf(sim.pid);
const sync = await api('POST', `/jumpcloud/${connection.body.id}/sync`);
let run = (await api('GET', `/jumpcloud/${connection.body.id}/runs/${sync.body.runId}`)).body;
while (run.state === 'running') {
  await new Promise((r) => setTimeout(r, 100));
  run = (await api('GET', `/jumpcloud/${connection.body.id}/runs/${sync.body.runId}`)).body;
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const simCpuAfter = cpuSecondsOf(sim.pid);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

const requests: number = run.counts.requests ?? run.progress.requests;
const boundSeconds = (requests * LATENCY_MS) / 1000 / CONCURRENCY;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const result = {
  benchmark: 'jumpcloud-pull',
  machine: machine(),
  loadAverage: { atStart: loadAtStart, atEnd: [] as number[] },
  tenant: { users: USERS, groups: GROUPS, apps: APPS },
  latencyMs: LATENCY_MS,
  concurrency: CONCURRENCY,
  state: run.state,
  error: run.error ?? null,
  counts: run.counts,
  requests,
  seconds: Math.round(seconds * 100) / 100,
  boundSeconds: Math.round(boundSeconds * 100) / 100,
  ratioToBound: Math.round((seconds / boundSeconds) * 1000) / 1000,
  gatehouseCpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
  simulatorCpuSeconds: simCpuBefore === null || simCpuAfter === null ? null : Math.round((simCpuAfter - simCpuBefore) * 100) / 100,
  peakRssMB: mb(peakRss),
  rssBeforeMB: mb(baselineRss),
  targets: { ratioToBound: 1.25, peakRssMB: 300 },
  met: { time: seconds / boundSeconds <= 1.25, rss: mb(peakRss) <= 300 },
};
result.loadAverage.atEnd = loadavg().map((l) => Math.round(l * 10) / 10);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'jumpcloud-pull.json'), `${JSON.stringify(result, null, 2)}\n`);

await runtime.close();
sim.kill('SIGTERM');
rmSync(workDir, { recursive: true, force: true });
process.exit(run.state === 'succeeded' ? 0 : 1);
