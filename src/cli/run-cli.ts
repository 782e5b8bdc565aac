// Runs a command-line task: expected failures print one clear line and exit 1, without a stack trace.
import { ConfigError } from '../config.ts'
import { DataDirLockedError } from '../db/data-dir-lock.ts'
import { MigrationError } from '../db/migrate.ts'

export async function runCli(task: () => Promise<void>): Promise<void> {
  try {
    await task()
  } catch (error) {
    const known =
      error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof MigrationError
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`${known ? message : `Failed: ${message}`}\n`)
    process.exitCode = 1
  }
}
