// Runs a command-line task: expected failures print one clear line and exit 1 (an unknown option 2),
// without a stack trace; `--help` prints the command's help and exits 0.
import { ConfigError } from '../config.ts'
import { DataDirLockedError } from '../db/data-dir-lock.ts'
import { MigrationError } from '../db/migrate.ts'
import { CorpusError } from '../retrieval/corpus-loader.ts'

/** Wrong command-line arguments; the message says how to call the command. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export async function runCli(task: () => Promise<void>): Promise<void> {
  try {
    await task()
  } catch (error) {
    if (error instanceof Error && error.name === 'HelpRequested') {
      process.stdout.write(`${error.message}\n`)
      return
    }
    // Errors of these kinds say what to do; anything else is unexpected.
    const known = [ConfigError, DataDirLockedError, MigrationError, CorpusError, UsageError].some(
      (type) => error instanceof type,
    )
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`${known ? message : `Failed: ${message}`}\n`)
    process.exitCode = error instanceof Error && error.name === 'UnknownArgumentError' ? 2 : 1
  }
}
