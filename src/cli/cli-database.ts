// How the command-line tasks that change accounts and tenants open the database: they say which one
// they use, and when a running server holds the embedded one they say so and what to do instead.
import { resolve } from 'node:path'
import type { Config } from '../config.ts'
import { DataDirLockedError } from '../db/data-dir-lock.ts'
import type { Database } from '../db/database.ts'
import { openDatabase } from '../db/open.ts'

/**
 * Opens the configured database for a command. `instead` names what can be done through the running
 * server when it holds the embedded database (PGlite allows one process at a time).
 */
export async function openCliDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>,
  instead: string,
  note: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<Database> {
  if (!config.DATABASE_URL)
    note(`Using the embedded database in ${resolve(config.DATA_DIR)} (DATABASE_URL is not set).`)
  try {
    return await openDatabase(config)
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error
    throw new DataDirLockedError(
      `${error.message}\nA running server holds the embedded database, and only one process can use it at a time. ` +
        `Stop the server and run this command again, or ${instead}.`,
    )
  }
}
