/**
 * `gatehouse backup <file>` (issue 9): a consistent SQLite copy taken while the server takes writes; a
 * server started on the copy serves it, every user with its event. PostgreSQL: the command points to pg_dump.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freshDatabaseUrl } from '../support/databases.js';
import { serveProcess } from '../support/node-process.js';

const root = resolve(import.meta.dirname, '..', '..');
const ADMIN = 'gha_backup-test-key-0123456789abcdef0123';
const SECRET = 'backup-test-secret-key-0123456789abcdef';

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => done({ code, out }));
  });
}

async function call(url: string, method: string, body?: unknown, token = ADMIN): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

describe('gatehouse backup (sqlite)', () => {
  const work = join(root, '.tmp', `backup-${process.pid}`);
  before(() => mkdirSync(work, { recursive: true }));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('copies a serving database consistently; the copy serves every user with its event', async () => {
    const env = { DATABASE_URL: `sqlite:${join(work, 'live.db')}`, GATEHOUSE_ADMIN_KEY: ADMIN, GATEHOUSE_SECRET_KEY: SECRET };
    const live = await serveProcess(env, work);
    try {
      const org = (await call(`${live.url}/api/organizations`, 'POST', { name: 'Backup' })).body;
      const dir = (await call(`${live.url}/api/organizations/${org.id}/directories`, 'POST', { provider: 'generic' })).body;
      let stop = false;
      let acked = 0;
      const writer = (async () => {
        for (let i = 0; !stop; i++) {
          const r = await call(`${dir.scim.endpoint}/Users`, 'POST', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `b${i}@example.com` }, dir.scim.token);
          if (r.status === 201) acked++;
        }
      })();
      while (acked < 30) await new Promise((r) => setTimeout(r, 10));
      const ackedBefore = acked;
      const backup = await run(['backup', join(work, 'copy.db')], env, work);
      stop = true;
      await writer;
      assert.equal(backup.code, 0, backup.out);
      assert.match(backup.out, /backed up/);
      assert.equal(existsSync(join(work, 'copy.db.partial')), false);

      const copy = await serveProcess({ ...env, DATABASE_URL: `sqlite:${join(work, 'copy.db')}` }, work);
      try {
        const users = (await call(`${copy.url}/api/directories/${dir.id}/users?limit=500`, 'GET')).body.data as { id: string }[];
        assert.ok(users.length >= ackedBefore, `${users.length} users in the copy, ${ackedBefore} acknowledged before it started`);
        const events = (await call(`${copy.url}/api/events?directory=${dir.id}&type=user.created&limit=500`, 'GET')).body.data as { data: { id: string } }[];
        assert.deepEqual(events.map((e) => e.data.id).sort(), users.map((u) => u.id).sort(), 'every user in the copy has its event, and no more');
        const token = await call(`${copy.url}/scim/v2/${dir.id}/Users?count=1`, 'GET', undefined, dir.scim.token);
        assert.equal(token.status, 200, 'the directory token works on the copy');
      } finally {
        await copy.kill('SIGTERM');
      }
    } finally {
      await live.kill('SIGTERM');
    }
  });

  it('refuses to overwrite, and needs exactly one file argument', async () => {
    const env = { DATABASE_URL: `sqlite:${join(work, 'live.db')}`, GATEHOUSE_ADMIN_KEY: ADMIN, GATEHOUSE_SECRET_KEY: SECRET };
    writeFileSync(join(work, 'taken.db'), 'precious');
    const taken = await run(['backup', join(work, 'taken.db')], env, work);
    assert.equal(taken.code, 1);
    assert.match(taken.out, /exists/);
    assert.equal(readFileSync(join(work, 'taken.db'), 'utf8'), 'precious');
    for (const args of [['backup'], ['backup', 'a.db', 'b.db'], ['backup', '--force']]) {
      const r = await run(args, env, work);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.out, /Usage: gatehouse backup/);
    }
  });
});

describe('gatehouse backup (postgres)', () => {
  it('points to pg_dump instead of copying', async () => {
    const r = await run(['backup', '/tmp/never-written.db'], { DATABASE_URL: await freshDatabaseUrl('postgres') }, root);
    assert.equal(r.code, 2);
    assert.match(r.out, /pg_dump/);
    assert.equal(existsSync('/tmp/never-written.db'), false);
  });
});
