import type { Config } from '../config.js';
import { openDatabase } from '../store/database.js';
import { Store } from '../store/store.js';

export async function migrateCommand(config: Config): Promise<number> {
  const store = new Store(openDatabase(config.databaseUrl));
  try {
    const applied = await store.migrate();
    process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
    return 0;
  } finally {
    await store.close();
  }
}
