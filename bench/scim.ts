/**
 * bench/scim: SCIM throughput and member-operation scaling on the embedded SQLite database.
 *   npm run bench:scim            (USERS=100000 by default; USERS=20000 for a quick run)
 * Seeds USERS users and a group with all of them plus a 100-member group, starts Gatehouse as its own
 * process, and drives it with autocannon (16 connections). Prints one JSON object; writes
 * bench/results/scim.json.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { Gatehouse } from '../src/gatehouse.js';
import { openDatabase } from '../src/store/database.js';
import { Store } from '../src/store/store.js';
import { freePort } from '../test/support/embedded-postgres.js';
import { machine } from './machine.js';

const USERS = Number(process.env.USERS ?? 100_000);
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = 16;
const ADMIN_KEY = 'gha_bench-admin-key-0123456789abcdef0123456789';
const root = resolve(import.meta.dirname, '..');
const workDir = join(root, '.tmp', `bench-scim-${process.pid}`);
const dbPath = join(workDir, 'gatehouse.db');

function userBody(i: number) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName: `user${i}@bench.example`,
    externalId: i.toString(16).padStart(24, '0'),
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    displayName: `User ${i}`,
    emails: [{ primary: true, type: 'work', value: `user${i}@bench.example` }],
    active: true,
  };
}

async function seed() {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const config = loadConfig({ DATABASE_URL: `sqlite:${dbPath}`, GATEHOUSE_ADMIN_KEY: ADMIN_KEY });
  const store = new Store(openDatabase(config.databaseUrl));
  await store.migrate();
  // a throwaway database: a throwaway key for secrets at rest
  const gh = new Gatehouse(store, config, randomBytes(32));
  const org = await gh.organizations.create({ name: 'Bench' });
  const { directory, token } = await gh.directories.create(org.id, 'jumpcloud');
  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const body = userBody(i);
    ids.push((await gh.users.create(directory, { attributes: body, raw: body })).id);
  }
  const seedUsersMs = Date.now() - started;
  const group = (attrs: Record<string, unknown>, members: string[]) =>
    gh.groups.create(directory, { attributes: attrs, raw: attrs, memberOps: [{ op: 'add', values: members }] });
  const small = await group({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Small' }, ids.slice(0, 100));
  const largeStarted = Date.now();
  const large = await group({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone' }, ids);
  const seedGroupMs = Date.now() - largeStarted;
  await store.close();
  return { directoryId: directory.id, token, smallId: small.id, largeId: large.id, spareUser: ids[ids.length - 1]!, seedUsersMs, seedGroupMs };
}

async function startServer(port: number) {
  // PROFILE=1 writes a V8 CPU profile of the server into .tmp/ (open it in Chrome DevTools)
  const profile = process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(root, '.tmp')}`] : process.env.PROFILE_SQL ? ['--import', join(root, '.tmp', 'sqlprof.mjs')] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${dbPath}`, GATEHOUSE_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: 'warn', GATEHOUSE_SCIM_RATE_LIMIT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

function rss(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMB: Math.round(kb('VmRSS') / 1024), peakRssMB: Math.round(kb('VmHWM') / 1024) };
}

async function run(options: autocannon.Options) {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The same lookup load against bench/ceiling-server.ts (bare Fastify + better-sqlite3, same database). */
async function measureCeiling() {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'ceiling-server.ts'), dbPath, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ready) => child.stdout!.once('data', ready));
  try {
    return await run({
      url: `http://127.0.0.1:${port}`,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/Users?userName=${encodeURIComponent(`USER${Math.floor(Math.random() * USERS)}@bench.example`)}` }) }],
    });
  } finally {
    child.kill('SIGTERM');
  }
}

async function timePatch(url: string, token: string, groupId: string, userId: string, rounds: number) {
  const times: number[] = [];
  const patch = async (op: 'add' | 'remove') => {
    const started = performance.now();
    const r = await fetch(`${url}/Groups/${groupId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op, path: 'members', value: [{ value: userId }] }] }),
    });
    await r.arrayBuffer();
    if (r.status !== 204) throw new Error(`PATCH ${op}: ${r.status}`);
    times.push(performance.now() - started);
  };
  for (let i = 0; i < rounds; i++) {
    await patch('remove');
    await patch('add');
  }
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[Math.floor(times.length / 2)]! * 1000) / 1000, p99Ms: Math.round(times[Math.floor(times.length * 0.99)]! * 1000) / 1000 };
}

const seeded = await seed();
const { child, url: serverUrl } = await startServer(await freePort());
const scim = `${serverUrl}/scim/v2/${seeded.directoryId}`;
const headers = { authorization: `Bearer ${seeded.token}`, 'content-type': 'application/scim+json' };
try {
  // warm up
  await run({ url: scim, duration: 2, headers, requests: [{ method: 'GET', path: `/scim/v2/${seeded.directoryId}/Users?filter=${encodeURIComponent('userName eq "user1@bench.example"')}` }] });
  const lookups = await run({
    url: scim,
    headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          path: `/scim/v2/${seeded.directoryId}/Users?filter=${encodeURIComponent(`userName eq "USER${Math.floor(Math.random() * USERS)}@bench.example"`)}`,
        }),
      },
    ],
  });
  const ceiling = await measureCeiling();
  let n = 0;
  // ONLY=lookup stops after the lookups (for profiling one workload)
  if (process.env.ONLY === 'lookup') {
    process.stdout.write(JSON.stringify({ lookupByUserName: lookups, ceiling }) + '\n');
    throw new Error('ONLY=lookup: stopped after lookups');
  }
  const creates = await run({
    url: scim,
    headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, path: `/scim/v2/${seeded.directoryId}/Users`, body: JSON.stringify(userBody(USERS + 1_000_000 + n++)) }),
      },
    ],
  });
  const small = await timePatch(scim, seeded.token, seeded.smallId, seeded.spareUser, 200);
  const large = await timePatch(scim, seeded.token, seeded.largeId, seeded.spareUser, 200);
  const memory = rss(child.pid!);
  const result = {
    benchmark: 'scim',
    machine: machine(),
    settings: { users: USERS, largeGroupMembers: USERS, connections: CONNECTIONS, durationSeconds: DURATION, database: 'sqlite (WAL)', logLevel: 'warn' },
    seed: { usersMs: seeded.seedUsersMs, largeGroupMs: seeded.seedGroupMs },
    lookupByUserName: { ...lookups, ceilingRequestsPerSecond: ceiling.requestsPerSecond, shareOfCeiling: Math.round((lookups.requestsPerSecond / ceiling.requestsPerSecond) * 100) / 100 },
    createUser: creates,
    memberPatch: { group100: small, group100k: large, ratio: Math.round((large.medianMs / small.medianMs) * 100) / 100 },
    server: memory,
    targets: { lookupsPerSecond: 15_000, lookupP99Ms: 5, createsPerSecond: 2_500, memberRatio: 1.5, rssMB: 200 },
  };
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(text + '\n');
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'scim.json'), text + '\n');
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  if (!process.env.KEEP) rmSync(workDir, { recursive: true, force: true });
}
