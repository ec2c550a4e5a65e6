/**
 * `gatehouse serve --demo` sets up SSO with the simulator (issue 6): the printed login URL starts an
 * SP-initiated login at the simulator's "acme-portal" app, whose ACS and entity ID the demo pointed at
 * Gatehouse; the code at the demo redirect URI redeems with the printed client credentials.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../support/embedded-postgres.js';

const root = resolve(import.meta.dirname, '..', '..');
const main = join(root, 'src', 'cli', 'main.ts');

describe('serve --demo: SSO with the simulator', () => {
  const work = join(root, '.tmp', `demo-sso-${process.pid}`);
  before(() => mkdirSync(work, { recursive: true }));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('prints a login URL that signs a simulator user in through the OAuth hand-off', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--demo'], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PORT: String(port), GATEHOUSE_DEMO_SIM_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      for (let i = 0; i < 600 && !/Gatehouse listening/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      const loginUrl = /Login URL \([^)]*\): (\S+)/.exec(out)?.[1];
      assert.ok(loginUrl, `a login URL is printed:\n${out}`);
      const clientId = /client_id (\S+)/.exec(out)![1]!;
      const clientSecret = /client_secret (ghcs_\S+)/.exec(out)![1]!;

      const start = await fetch(loginUrl, { redirect: 'manual' });
      assert.equal(start.status, 302);
      const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
      const idp = new URL(start.headers.get('location')!);
      idp.searchParams.set('user', 'bruno.brennan@acme.example');
      idp.searchParams.set('format', 'json');
      const signed = (await (await fetch(idp)).json()) as { acsUrl: string; SAMLResponse: string; RelayState: string };
      assert.equal(signed.acsUrl, loginUrl.replace(/\/login$/, '/acs'), 'the demo pointed the app at Gatehouse');
      const acs = await fetch(signed.acsUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ SAMLResponse: signed.SAMLResponse, RelayState: signed.RelayState }),
      });
      assert.equal(acs.status, 302, await acs.text());
      const location = new URL(acs.headers.get('location')!);
      assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:3000/callback');
      const token = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: 'http://localhost:3000/callback' }),
      });
      assert.equal(token.status, 200, await token.clone().text());
      assert.ok(((await token.json()) as { id_token?: string }).id_token);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
    }
  });
});
