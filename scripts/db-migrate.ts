// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/store/database.js';
import { applyMigrations } from '../src/store/migrator.js';

const config = loadConfig();
const db = await openDatabase(config.database);
try {
  const applied = await applyMigrations(db);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
} finally {
  await db.close();
}
