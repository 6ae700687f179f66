// npm run db:migration -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql from schema changes.
import { createMigration } from '../src/store/migrator.js';

const name = process.argv[2];
if (!name) {
  process.stderr.write('Usage: npm run db:migration -- <name>   (e.g. add_pledges)\n');
  process.exit(2);
}
const result = await createMigration(name);
process.stdout.write(result ? `Created prisma/migrations/${result.folder}/migration.sql\n` : 'The schema matches the migrations: nothing to create.\n');
