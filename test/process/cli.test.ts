import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freshDatabaseUrl } from '../support/databases.js';
import { freePort } from '../support/embedded-postgres.js';

const root = resolve(import.meta.dirname, '..', '..');
const main = join(root, 'src', 'cli', 'main.ts');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function gatehouse(args: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => out, exited };
}

async function serve(cwd: string, env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  // the demo's JumpCloud simulator on any free port
  const started = gatehouse(['serve', '--demo'], { PORT: String(port), GATEHOUSE_DEMO_SIM_PORT: '0', ...env }, cwd);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (/Gatehouse listening/.test(started.output())) return { ...started, url };
    if (started.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  started.child.kill('SIGKILL');
  throw new Error(`server did not start:\n${started.output()}`);
}

describe('gatehouse command', () => {
  const work = join(root, '.tmp', `cli-${process.pid}`);
  before(() => mkdirSync(work, { recursive: true }));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('prints the generated admin key once; the demo provisions from the simulator, once, and restarts with a new token', async () => {
    const first = await serve(work);
    const key = /\n {2}(gha_[A-Za-z0-9_-]+)\n/.exec(first.output())?.[1];
    assert.ok(key, `an admin key is printed:\n${first.output()}`);
    assert.match(first.output(), /Endpoint URL: http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/dir_/);
    const token = /Token Key \(Bearer\): +(ghd_\S+)/.exec(first.output())?.[1];
    const endpoint = /Endpoint URL: (\S+)/.exec(first.output())?.[1];
    const spc = await fetch(`${endpoint}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(spc.status, 200, 'the printed demo token works');
    assert.match(first.output(), /passed Test Connection and is provisioning/);
    const directoryId = /\/scim\/v2\/(dir_[0-9a-z]+)/.exec(first.output())![1];
    const admin = (url: string, path: string) => fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json() as Promise<any>);
    let directory: any;
    for (let i = 0; i < 100; i++) {
      directory = await admin(first.url, `/directories/${directoryId}`);
      if (directory.userCount >= 5 && directory.groupCount >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(directory.userCount >= 5 && directory.groupCount >= 2, `the simulator provisioned users and groups: ${JSON.stringify(directory)}`);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, 'the server and its simulator stop');

    const second = await serve(work);
    assert.doesNotMatch(second.output(), /gha_/, 'the key is not printed again');
    const token2 = /Token Key \(Bearer\): +(ghd_\S+)/.exec(second.output())?.[1];
    assert.ok(token2 && token2 !== token, 'a restarted demo gets a new token (the old one was shown once)');
    const orgs = await admin(second.url, '/organizations');
    assert.equal(orgs.data.length, 1, 'the demo organization is created once');
    assert.equal((await admin(second.url, `/directories/${directoryId}`)).userCount, directory.userCount, 'the re-sync adopts the same users');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const server = await serve(work, { GATEHOUSE_ADMIN_KEY: 'gha_cli-test-key-0123456789abcdef' });
    const port = Number(new URL(server.url).port);
    const body = JSON.stringify({ name: 'Slow Upload Inc' });
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(
      `POST /api/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer gha_cli-test-key-0123456789abcdef\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    socket.write(body.slice(5));
    await closed;
    assert.match(response, /^HTTP\/1\.1 201/, `the in-flight request completes: ${response}`);
    assert.equal(await server.exited, 0);
  });

  it('migrates a database and refuses PostgreSQL without GATEHOUSE_SECRET_KEY', async () => {
    const dbDir = join(work, 'migrate');
    mkdirSync(dbDir, { recursive: true });
    const migrate = gatehouse(['migrate'], { DATABASE_URL: `sqlite:${join(dbDir, 'g.db')}` }, work);
    assert.equal(await migrate.exited, 0);
    assert.match(migrate.output(), /applied: 001-initial/);
    const again = gatehouse(['migrate'], { DATABASE_URL: `sqlite:${join(dbDir, 'g.db')}` }, work);
    assert.equal(await again.exited, 0);
    assert.match(again.output(), /up to date/);

    const pg = await freshDatabaseUrl('postgres');
    const refused = gatehouse(['serve'], { DATABASE_URL: pg, PORT: String(await freePort()) }, work);
    assert.equal(await refused.exited, 1);
    assert.match(refused.output(), /GATEHOUSE_SECRET_KEY is required with PostgreSQL/);

    for (const [env, message] of [
      [{ PORT: 'eighty' }, /PORT must be a port number/],
      [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with/],
      [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must be an absolute http/],
    ] as const) {
      const bad = gatehouse(['serve'], env, work);
      assert.equal(await bad.exited, 1);
      assert.match(bad.output(), message);
    }
    const unknown = gatehouse(['frobnicate'], {}, work);
    assert.equal(await unknown.exited, 2);
  });
});
