// `npm run conversations:erase -- <id> [<id> …]`: erases conversations as DELETE /v1/conversations/{id}
// does, then compacts the embedded database. For erasures to apply again after a backup was restored
// (their ids are in the logs, "conversation erased"). Refuses while a running server holds the
// embedded database.
import { z } from 'zod'
import { loadConfig } from '../config.ts'
import { compactErasedData } from '../conversations/compaction.ts'
import { eraseConversation } from '../conversations/repository.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { openDatabase } from '../db/open.ts'
import { commandLine } from './command-line.ts'
import { USAGE } from './help-texts.ts'
import { runCli, UsageError } from './run-cli.ts'

const Ids = z
  .array(z.uuid({ error: 'is not a conversation id (UUID)' }))
  .min(1, 'name at least one conversation id')

await runCli(async () => {
  const args = commandLine('conversations:erase', {}, { positionals: true }).positionals
  const parsed = Ids.safeParse(args)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const which = typeof issue?.path[0] === 'number' ? `"${args[issue.path[0]]}" ` : ''
    throw new UsageError(`${which}${issue?.message ?? 'invalid arguments'}\n${USAGE['conversations:erase']}`)
  }
  const database = await openDatabase(loadConfig(process.env))
  try {
    await migrate(database, await readMigrations())
    const counts = { erased: 0, alreadyErased: 0, unknown: 0 }
    for (const id of new Set(parsed.data)) {
      const outcome = await database.transaction(async (tx) => {
        const { rows } = await tx.query<{ erased: boolean }>(
          'select erased_at is not null as erased from conversations where id = $1 for update',
          [id],
        )
        if (!rows[0]) return 'unknown'
        // Erased again even so: a restored backup may hold its texts under the erased mark.
        await eraseConversation(tx, id)
        return rows[0].erased ? 'alreadyErased' : 'erased'
      })
      counts[outcome]++
    }
    await compactErasedData(database)
    console.log(
      `Erased ${counts.erased} conversation(s); ${counts.alreadyErased} had been erased before (erased again), ` +
        `${counts.unknown} not found.`,
    )
  } finally {
    await database.close()
  }
})
