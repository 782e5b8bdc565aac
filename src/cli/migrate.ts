// `npm run db:migrate`: applies pending migrations to the configured database and exits.
import { loadConfig } from '../config.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { openDatabase } from '../db/open.ts'
import { commandLine } from './command-line.ts'
import { runCli } from './run-cli.ts'

await runCli(async () => {
  commandLine('db:migrate', {})
  const config = loadConfig(process.env)
  const database = await openDatabase(config)
  try {
    const applied = await migrate(database, await readMigrations())
    console.log(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.')
  } finally {
    await database.close()
  }
})
