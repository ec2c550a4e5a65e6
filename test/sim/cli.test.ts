/** The `gatehouse-jumpcloud-sim` command: flags of CONTRACT.md, exactly one JSON line when ready, SIGTERM. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseCliArgs } from '../../sim/cli-args.js';

const root = resolve(import.meta.dirname, '../..');

interface Running {
  child: ChildProcess;
  line: Record<string, unknown>;
  stdout: () => string;
  exit: Promise<number | null>;
}

/** Starts the CLI from source and waits for its first stdout line. */
async function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const line = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) done(stdout.slice(0, stdout.indexOf('\n')));
    });
    void exit.then((code) => fail(new Error(`exited ${code} before ready: ${stderr}`)));
    setTimeout(() => fail(new Error(`not ready in 15 s: ${stderr}`)), 15_000).unref();
  });
  return { child, line: JSON.parse(line) as Record<string, unknown>, stdout: () => stdout, exit };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  return running.exit;
}

describe('gatehouse-jumpcloud-sim', () => {
  test('prints exactly one JSON line {consoleUrl, apiKey, orgId}, serves, and stops on SIGTERM', async () => {
    const sim = await start(['--port', '0', '--seed', 'none', '--api-key', 'test-key-123']);
    try {
      assert.deepEqual(Object.keys(sim.line), ['consoleUrl', 'apiKey', 'orgId']);
      assert.match(sim.line.consoleUrl as string, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(sim.line.apiKey, 'test-key-123');
      assert.match(sim.line.orgId as string, /^[0-9a-f]{24}$/);
      const orgs = await fetch(`${sim.line.consoleUrl as string}/api/organizations`, { headers: { 'x-api-key': 'test-key-123' } });
      assert.equal(orgs.status, 200);
      const body = (await orgs.json()) as { results: { _id: string }[] };
      assert.equal(body.results[0]!._id, sim.line.orgId);
      const users = (await (await fetch(`${sim.line.consoleUrl as string}/api/systemusers`, { headers: { 'x-api-key': 'test-key-123' } })).json()) as { totalCount: number };
      assert.equal(users.totalCount, 0);
    } finally {
      assert.equal(await stop(sim), 0);
    }
    assert.equal(sim.stdout().split('\n').filter((l) => l !== '').length, 1, 'nothing else on stdout');
  });

  test('by default: the demo seed and a generated 40-hex key', async () => {
    const sim = await start(['--port=0']);
    try {
      assert.match(sim.line.apiKey as string, /^[0-9a-f]{40}$/);
      const users = (await (await fetch(`${sim.line.consoleUrl as string}/api/systemusers`, { headers: { 'x-api-key': sim.line.apiKey as string } })).json()) as { totalCount: number };
      assert.equal(users.totalCount, 20);
    } finally {
      assert.equal(await stop(sim), 0);
    }
  });

  test('--users --groups --apps seed a generated tenant', async () => {
    const sim = await start(['--port', '0', '--users', '250', '--groups', '4', '--apps', '2']);
    try {
      const state = (await (await fetch(`${sim.line.consoleUrl as string}/sim/state`)).json()) as { counts: Record<string, number> };
      assert.deepEqual([state.counts.users, state.counts.groups, state.counts.apps], [250, 4, 2]);
    } finally {
      assert.equal(await stop(sim), 0);
    }
  });

  test('a bad flag exits 2 with the usage on stderr and nothing on stdout', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sim/main.ts', '--seed', 'lots'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /--seed must be demo or none[\s\S]*Usage:/);
  });

  test('flag parsing: defaults, sizes, and conflicts', () => {
    assert.deepEqual(parseCliArgs([]), { help: false, port: 8090, host: '127.0.0.1', apiKey: undefined, seed: 'demo' });
    assert.deepEqual(parseCliArgs(['--users', '50000']).seed, { users: 50000, groups: 20, apps: 5 });
    assert.deepEqual(parseCliArgs(['--users', '10', '--groups', '2', '--apps', '1', '--seed-number', '9']).seed, { users: 10, groups: 2, apps: 1, seed: 9 });
    assert.equal(parseCliArgs(['--seed', 'none']).seed, 'none');
    assert.throws(() => parseCliArgs(['--seed', 'demo', '--users', '5']), /cannot be combined/);
    assert.throws(() => parseCliArgs(['--port', '99999']), /--port/);
    assert.throws(() => parseCliArgs(['--frobnicate']), /unknown option/);
  });
});
