import { MIGRATIONS } from '../bounded-contexts';
import { loadConfig } from '#config/app-config';
import { Migrator } from '#persistence/migrator';
import { openOwnerDatabase } from './owner-database';

const USAGE = 'usage: migrate run | revert [<count>|all] | show';

/**
 * `npm run migration:run|revert|show`: the hand-written migrations, as the owner (DATABASE_URL, or the embedded
 * development database). `run` provisions the database and roles first: the migrations grant to them.
 */
async function main(argv: string[]): Promise<number> {
  const [command, arg, ...rest] = argv;
  const steps = command === 'revert' ? parseSteps(arg) : arg === undefined ? 0 : undefined;
  if (!['run', 'revert', 'show'].includes(command ?? '') || steps === undefined || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const database = await openOwnerDatabase(loadConfig(), { provision: command === 'run' });
  try {
    const migrator = new Migrator(database.owner, MIGRATIONS);
    if (command === 'run') report('applied', await migrator.up());
    if (command === 'revert') process.stdout.write(`reverted ${await migrator.down(steps)} migration(s)\n`);
    if (command === 'show') {
      for (const m of await migrator.status()) process.stdout.write(`[${m.applied ? 'X' : ' '}] ${m.name}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

/** `revert` undoes one migration by default, `n` of them, or `all`. */
function parseSteps(arg: string | undefined): number | undefined {
  if (arg === undefined) return 1;
  if (arg === 'all') return Infinity;
  return /^[1-9]\d*$/.test(arg) ? Number(arg) : undefined;
}

function report(verb: string, names: string[]): void {
  process.stdout.write(names.length === 0 ? 'no pending migrations\n' : names.map((n) => `${verb} ${n}\n`).join(''));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
