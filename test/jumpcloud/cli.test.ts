/** `gatehouse jumpcloud pull` as a process against the simulator: JSON output, summary table, exit codes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';

const root = resolve(import.meta.dirname, '..', '..');
const main = join(root, 'src', 'cli', 'main.ts');

function gatehouse(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('gatehouse jumpcloud pull', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ seed: 'demo' });
  });
  after(() => sim.stop());

  it('pulls and prints the run as JSON with --json', async () => {
    const r = await gatehouse(['jumpcloud', 'pull', '--api-key', sim.apiKey, '--base-url', sim.consoleUrl, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.run.state, 'succeeded');
    assert.equal(out.run.counts.users, sim.tenant.users.size);
    assert.equal(out.run.counts.applications, sim.tenant.apps.size);
    assert.deepEqual(out.run.counts.skipped, { ldapServers: 1, radiusServers: 1 });
    assert.ok(out.findings.some((f: any) => f.type === 'admin_without_mfa'));
  });

  it('prints a summary table, and exits 1 with the reason for a bad key, 2 for bad usage', async () => {
    const ok = await gatehouse(['jumpcloud', 'pull', '--api-key', sim.apiKey, '--base-url', sim.consoleUrl]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /users\s+20\n/);
    assert.match(ok.stdout, /open findings\s+1 high/);
    const bad = await gatehouse(['jumpcloud', 'pull', '--api-key', 'nope-key', '--base-url', sim.consoleUrl]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /unauthorized: JumpCloud refused the API key \(401\)/);
    const usage = await gatehouse(['jumpcloud', 'pull', '--base-url', sim.consoleUrl]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--api-key/);
  });
});
