import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { AdminKey } from './core/admin-key.js';
import { loadSecretKey } from './core/secret-key.js';
import { Gatehouse } from './gatehouse.js';
import { buildServer } from './http/server.js';
import { openDatabase, parseDatabaseUrl } from './store/database.js';
import { Store } from './store/store.js';

/** A running Gatehouse: the database, the domain services and the HTTP server. */
export interface Runtime {
  gatehouse: Gatehouse;
  app: FastifyInstance;
  /** the admin key, when this start generated it (print it once) */
  generatedAdminKey: string | undefined;
  /** the address the server listens on */
  url: string;
  close(): Promise<void>;
}

/** Opens and migrates the database, then starts listening. Used by `gatehouse serve` and by tests. */
export async function startRuntime(config: Config, options: { logger: false | { level: string } } = { logger: false }): Promise<Runtime> {
  const parsed = parseDatabaseUrl(config.databaseUrl);
  const secretKey = loadSecretKey(config.secretKey, parsed.dialect === 'sqlite' ? parsed : { dialect: 'postgres' });
  const store = new Store(openDatabase(config.databaseUrl, { timeoutMs: config.limits.dbTimeoutMs }));
  try {
    // PostgreSQL migrates over its own connection, free of the serving statement timeout (a migration may
    // wait for another node's, or build an index for minutes); SQLite has one connection and no timeout
    if (parsed.dialect === 'postgres') {
      const migrator = new Store(openDatabase(config.databaseUrl, { poolSize: 1 }));
      await migrator.migrate().finally(() => migrator.close());
    } else await store.migrate();
    const gatehouse = new Gatehouse(store, config, secretKey);
    const { key, generated } = await AdminKey.load(store, config.adminKey);
    const app = await buildServer(gatehouse, key, options);
    const address = await app.listen({ host: config.host, port: config.port });
    gatehouse.webhookWorker.start(app.log);
    gatehouse.jumpcloud.start(app.log);
    let closing: Promise<void> | undefined;
    return {
      gatehouse,
      app,
      generatedAdminKey: generated,
      url: address,
      close: () => (closing ??= gatehouse.jumpcloud.stop().then(() => gatehouse.webhookWorker.stop()).then(() => app.close()).then(() => store.close())),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
