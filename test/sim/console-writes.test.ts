/** The console's user and group write routes go through the tenant, so they emit the change events. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import type { TenantEvent } from '../../sim/tenant/events.js';
import { call } from './helpers.js';

type Rec = Record<string, unknown>;

let sim: Simulator;
const events: TenantEvent[] = [];

before(async () => {
  sim = await startSimulator({ seed: 'none' });
  sim.tenant.on((e) => {
    events.push(e);
  });
});
after(async () => {
  await sim?.stop();
});

test('create, update, suspend, activate and delete a system user; duplicates are 400', async () => {
  const created = await call(sim, '/api/systemusers', { method: 'POST', body: { username: 'new.hire', email: 'new.hire@example.com', firstname: 'New', lastname: 'Hire', state: 'STAGED' } });
  assert.equal(created.status, 200, created.text);
  const user = created.body as Rec;
  assert.equal(user.state, 'STAGED');
  assert.equal(user.activated, false);
  assert.equal(user.creationSource, 'api');
  const id = user._id as string;
  const duplicate = await call(sim, '/api/systemusers', { method: 'POST', body: { username: 'new.hire', email: 'other@example.com' } });
  assert.equal(duplicate.status, 400);
  assert.equal((await call(sim, `/api/systemusers/${id}/state/activate`, { method: 'POST' })).status, 200);
  const updated = await call(sim, `/api/systemusers/${id}`, { method: 'PUT', body: { jobTitle: 'Engineer', _id: 'ignored' } });
  assert.equal((updated.body as Rec).jobTitle, 'Engineer');
  assert.equal((await call(sim, `/api/systemusers/${id}`, { method: 'PUT', body: { shoeSize: 44 } })).status, 400);
  assert.equal((await call(sim, `/api/systemusers/${id}/state/suspend`, { method: 'POST' })).status, 200);
  assert.equal(((await call(sim, `/api/systemusers/${id}`)).body as Rec).suspended, true);
  const deleted = await call(sim, `/api/systemusers/${id}`, { method: 'DELETE' });
  assert.equal(deleted.status, 200);
  assert.equal((deleted.body as Rec)._id, id);
  assert.equal((await call(sim, `/api/systemusers/${id}`, { method: 'DELETE' })).status, 404);
  assert.deepEqual(
    events.filter((e) => e.type.startsWith('user.')).map((e) => e.type),
    ['user.created', 'user.activated', 'user.updated', 'user.suspended', 'user.deleted'],
  );
});

test('create, rename and delete a user group', async () => {
  events.length = 0;
  const created = await call(sim, '/api/v2/usergroups', { method: 'POST', body: { name: 'Designers', description: 'UX' } });
  assert.equal(created.status, 201);
  const id = (created.body as Rec).id as string;
  assert.equal((await call(sim, '/api/v2/usergroups', { method: 'POST', body: { name: 'Designers' } })).status, 409);
  const renamed = await call(sim, `/api/v2/usergroups/${id}`, { method: 'PUT', body: { name: 'Design', description: 'UX and UI' } });
  assert.equal((renamed.body as Rec).name, 'Design');
  assert.equal((await call(sim, `/api/v2/usergroups/${id}`, { method: 'DELETE' })).status, 204);
  assert.deepEqual(
    events.map((e) => e.type),
    ['group.created', 'group.renamed', 'group.updated', 'group.deleted'],
  );
});
