/**
 * The "ceiling" of bench/scim: a bare Fastify + better-sqlite3 server answering the same userName lookup
 * on the same database file, with no SCIM logic at all (no auth, no filter parsing, no representation).
 * Started by bench/scim.ts as its own process: `node --import tsx bench/ceiling-server.ts <db> <port>`.
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [dbPath, port] = process.argv.slice(2);
const db = new Database(dbPath!, { readonly: true });
db.pragma('journal_mode = WAL');
const directoryId = (db.prepare('select id from directories limit 1').get() as { id: string }).id;
const lookup = db.prepare('select id, attributes from scim_users where directory_id = ? and user_name_key = ?');
const app = Fastify();
app.get('/Users', async (request) => {
  const userName = String((request.query as { userName?: string }).userName ?? '').toLowerCase();
  const row = lookup.get(directoryId, userName) as { id: string; attributes: string } | undefined;
  return { totalResults: row ? 1 : 0, Resources: row ? [{ ...JSON.parse(row.attributes), id: row.id }] : [] };
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
