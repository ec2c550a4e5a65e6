/**
 * bench/portal-lists: the admin API calls the portal makes, timed on a directory of USERS users (default
 * 100,000; 1 in 100 inactive), a group with all of them, and their events, on the embedded SQLite
 * database. Each call is made ROUNDS times one after the other (the portal's pattern: one person
 * clicking); prints median and p95 in ms with the machine; writes bench/results/portal-lists.json.
 *   node --import tsx bench/portal-lists.ts        (USERS=20000 for a quick run)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { Gatehouse } from '../src/gatehouse.js';
import { startRuntime } from '../src/runtime.js';
import { openDatabase } from '../src/store/database.js';
import { Store } from '../src/store/store.js';
import { freePort } from '../test/support/embedded-postgres.js';
import { machine } from './machine.js';

const USERS = Number(process.env.USERS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const ADMIN_KEY = 'gha_bench-admin-key-0123456789abcdef0123456789';
const SECRET_KEY = randomBytes(32).toString('base64url');
const root = resolve(import.meta.dirname, '..');
const workDir = join(root, '.tmp', `bench-portal-${process.pid}`);
const dbPath = join(workDir, 'gatehouse.db');

async function seed() {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const config = loadConfig({ DATABASE_URL: `sqlite:${dbPath}`, GATEHOUSE_ADMIN_KEY: ADMIN_KEY, GATEHOUSE_SECRET_KEY: SECRET_KEY });
  const store = new Store(openDatabase(config.databaseUrl));
  await store.migrate();
  const gh = new Gatehouse(store, config, randomBytes(32));
  const org = await gh.organizations.create({ name: 'Bench' });
  const { directory } = await gh.directories.create(org.id, 'jumpcloud');
  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: `user${i}@bench.example`,
      name: { givenName: `Given${i}`, familyName: `Family${i}` },
      emails: [{ primary: true, type: 'work', value: `user${i}@bench.example` }],
      active: i % 100 !== 99,
    };
    ids.push((await gh.users.create(directory, { attributes: body, raw: body })).id);
  }
  const all = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone' };
  const everyone = await gh.groups.create(directory, { attributes: all, raw: all, memberOps: [{ op: 'add', values: ids }] });
  for (let g = 0; g < 50; g++) {
    const attrs = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Team ${g}` };
    await gh.groups.create(directory, { attributes: attrs, raw: attrs, memberOps: [{ op: 'add', values: ids.slice(g * 100, g * 100 + 100) }] });
  }
  const seedMs = Date.now() - started;
  await store.close();
  return { orgId: org.id, dirId: directory.id, groupId: everyone.id, seedMs };
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: Math.round(at(0.5) * 10) / 10, p95Ms: Math.round(at(0.95) * 10) / 10 };
}

const seeded = await seed();
const port = await freePort();
const runtime = await startRuntime(
  loadConfig({ HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: `sqlite:${dbPath}`, GATEHOUSE_ADMIN_KEY: ADMIN_KEY, GATEHOUSE_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'warn' }),
);
try {
  const get = async (path: string) => {
    const started = performance.now();
    const r = await fetch(`${runtime.url}/api${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const body = (await r.json()) as { data?: unknown[]; next?: string | null };
    if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  const time = async (path: string) => {
    await get(path); // warm
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) samples.push((await get(path)).ms);
    return stats(samples);
  };
  /** ROUNDS pages followed by cursor: each page's time */
  const walk = async (path: string) => {
    const samples: number[] = [];
    let cursor: string | null | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      const r = await get(`${path}${cursor ? `&cursor=${cursor}` : ''}`);
      samples.push(r.ms);
      cursor = r.body.next;
      if (!cursor) break;
    }
    return stats(samples);
  };
  const d = `/directories/${seeded.dirId}`;
  const results = {
    'directory status (counts, activity; polled every 3 s)': await time(d),
    'users, first page of 50': await time(`${d}/users?limit=50`),
    'users, 20 pages of 50 by cursor': await walk(`${d}/users?limit=50`),
    'users, state=inactive (1%)': await time(`${d}/users?limit=50&state=inactive`),
    'users, search one match ("user77777@")': await time(`${d}/users?limit=50&search=${encodeURIComponent('user77777@')}`),
    'users, search many matches ("user1")': await time(`${d}/users?limit=50&search=user1`),
    'users, search no match': await time(`${d}/users?limit=50&search=nobody-at-all`),
    'groups, first page': await time(`${d}/groups?limit=50`),
    'members of the 100,000-member group, 20 pages': await walk(`${d}/groups/${seeded.groupId}/members?limit=50`),
    'events, newest first (live log opens)': await time(`/events?organization=${seeded.orgId}&order=newest&limit=100`),
    'events, newest first, type=group.created': await time(`/events?organization=${seeded.orgId}&order=newest&limit=100&type=group.created`),
  };
  const result = { benchmark: 'portal-lists', machine: machine(), settings: { users: USERS, rounds: ROUNDS, database: 'sqlite (WAL)' }, seedMs: seeded.seedMs, results };
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(text + '\n');
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'portal-lists.json'), text + '\n');
} finally {
  await runtime.close();
  if (!process.env.KEEP) rmSync(workDir, { recursive: true, force: true });
}
