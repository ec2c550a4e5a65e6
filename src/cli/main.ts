import { loadConfig } from '../config.js';
import { backupCommand } from './backup-command.js';
import { jumpcloudCommand } from './jumpcloud-command.js';
import { migrateCommand } from './migrate-command.js';
import { serveCommand } from './serve-command.js';
import { simCommand } from './sim-command.js';

const USAGE = `Usage: gatehouse <command> [options]

Commands:
  serve [--demo]   start the server (PORT, HOST, DATABASE_URL, PUBLIC_URL, GATEHOUSE_ADMIN_KEY,
                   GATEHOUSE_SECRET_KEY); --demo creates a demo organization with a JumpCloud
                   directory on first start and prints its SCIM Endpoint URL and token
  migrate          bring the database schema up to date and exit
  backup <file>    copy the SQLite database to <file> while Gatehouse serves (PostgreSQL: pg_dump)
  sim [flags]      run the offline JumpCloud simulator (same flags as gatehouse-jumpcloud-sim:
                   --port P, --api-key K, --seed demo|none, --users N --groups M --apps K)
  jumpcloud pull --api-key K [--org-id ID] [--base-url us|eu|in|URL] [--json]
                   pull a JumpCloud organization: progress bars, then a summary table
                   (gatehouse jumpcloud help for every option)
  help             this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(loadConfig(), rest);
    case 'migrate':
      return migrateCommand(loadConfig());
    case 'sim':
      return simCommand(rest);
    case 'backup':
      return backupCommand(loadConfig(), rest);
    case 'jumpcloud':
      return jumpcloudCommand(loadConfig(), rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`gatehouse: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gatehouse: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
