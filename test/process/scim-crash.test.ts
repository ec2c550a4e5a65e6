/**
 * kill -9 during a burst of SCIM writes (issue 9): every write that got a 2xx is present after the restart,
 * with its event; and every change present has exactly its events (a change and its events commit
 * together, so a write cut off mid-way leaves neither). On a file SQLite (WAL) and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialects, freshDatabaseUrl } from '../support/databases.js';
import { serveProcess, type NodeProcess } from '../support/node-process.js';
import { jumpcloudAddMember } from '../support/jumpcloud-payloads.js';

const root = resolve(import.meta.dirname, '..', '..');
const ADMIN = 'gha_scim-crash-key-0123456789abcdef0123';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

async function call(url: string, method: string, body?: unknown, token = ADMIN): Promise<{ status: number; body: any }> {
  const r = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

/** Every page of an admin list. */
async function all(url: string): Promise<any[]> {
  const out: any[] = [];
  let next: string | null = url;
  while (next) {
    const r = await call(next, 'GET');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...r.body.data);
    const cursor: string | null = r.body.next ?? null;
    next = cursor ? `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : null;
  }
  return out;
}

for (const dialect of dialects) {
  describe(`kill -9 during a burst of SCIM writes (${dialect})`, () => {
    const work = join(root, '.tmp', `scim-crash-${dialect}-${process.pid}`);
    let env: Record<string, string>;
    before(async () => {
      mkdirSync(work, { recursive: true });
      const databaseUrl = dialect === 'sqlite' ? `sqlite:${join(work, 'g.db')}` : await freshDatabaseUrl('postgres');
      env = { DATABASE_URL: databaseUrl, GATEHOUSE_ADMIN_KEY: ADMIN, GATEHOUSE_SECRET_KEY: 'scim-crash-secret-key-0123456789abcdef', GATEHOUSE_SCIM_RATE_LIMIT: '0' };
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    it('every acknowledged create and membership change survives with its event; nothing is half-written', async () => {
      let node: NodeProcess = await serveProcess(env, work);
      const org = (await call(`${node.url}/api/organizations`, 'POST', { name: 'Crash' })).body;
      const dir = (await call(`${node.url}/api/organizations/${org.id}/directories`, 'POST', { provider: 'jumpcloud' })).body;
      const scimPath = new URL(dir.scim.endpoint).pathname;
      const group = (await call(`${node.url}${scimPath}/Groups`, 'POST', { schemas: [GROUP], displayName: 'Everyone' }, dir.scim.token)).body;

      /** userName → id of every create answered 201; ids whose member add was answered 204 */
      const acked = new Map<string, string>();
      const ackedMembers = new Set<string>();
      let seq = 0;
      const burst = async (url: string, stop: { dead: boolean }) => {
        const worker = async () => {
          while (!stop.dead) {
            const userName = `u${seq++}@example.com`;
            try {
              const r = await call(`${url}${scimPath}/Users`, 'POST', { schemas: [USER], userName, active: true }, dir.scim.token);
              if (r.status !== 201) continue;
              acked.set(userName, r.body.id);
              const m = await call(`${url}${scimPath}/Groups/${group.id}`, 'PATCH', jumpcloudAddMember(r.body.id), dir.scim.token);
              if (m.status === 204) ackedMembers.add(r.body.id);
            } catch {
              return; // the process died under this request
            }
          }
        };
        await Promise.all(Array.from({ length: 12 }, worker));
      };

      for (let round = 0; round < 2; round++) {
        const stop = { dead: false };
        const before = acked.size;
        const writing = burst(node.url, stop);
        while (acked.size < before + 40) await new Promise((r) => setTimeout(r, 5));
        node.child.kill('SIGKILL'); // mid-burst: twelve writes in flight
        await node.exited;
        stop.dead = true;
        await writing;
        node = await serveProcess(env, work);
      }

      const users = await all(`${node.url}/api/directories/${dir.id}/users?limit=200`);
      const byName = new Map(users.map((u) => [u.userName as string, u]));
      for (const [userName, id] of acked) assert.equal(byName.get(userName)?.id, id, `acknowledged ${userName} lost`);
      const members = new Set((await all(`${node.url}/api/directories/${dir.id}/groups/${group.id}/members?limit=200`)).map((m) => m.id as string));
      for (const id of ackedMembers) assert.ok(members.has(id), `acknowledged membership of ${id} lost`);

      const events = await all(`${node.url}/api/events?directory=${dir.id}&limit=500`);
      const created = events.filter((e) => e.type === 'user.created').map((e) => e.data.id as string);
      const added = events.filter((e) => e.type === 'group.user_added').map((e) => e.data.user.id);
      // exactly one event per change present, none for a change that is not
      assert.deepEqual([...created].sort(), users.map((u) => u.id as string).sort(), 'user.created events = users present');
      assert.equal(new Set(created).size, created.length, 'a user.created event twice');
      assert.deepEqual([...added].sort(), [...members].sort(), 'group.user_added events = members present');
      // ids strictly increasing in the feed order
      const ids = events.map((e) => e.id as string);
      assert.equal(new Set(ids).size, ids.length);
      assert.ok(acked.size >= 80, `${acked.size} acknowledged`);
      await node.kill('SIGTERM');
    });
  });
}
