// `npm run ingest`: loads the corpus into the configured database (idempotent) and prints a summary.
import { loadConfig } from '../config.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { openDatabase } from '../db/open.ts'
import { selectEmbedder } from '../retrieval/embedders/select-embedder.ts'
import { formatSummary, ingestCorpus } from '../retrieval/ingest.ts'
import { commandLine, unexpectedArgument } from './command-line.ts'
import { progressBar } from './progress-bar.ts'
import { runCli } from './run-cli.ts'

await runCli(async () => {
  const { positionals } = commandLine('ingest', {}, { positionals: true })
  if (positionals.length > 1) throw unexpectedArgument('ingest', positionals[1])
  const config = loadConfig(process.env)
  const corpusDir = positionals[0] ?? config.CORPUS_DIR
  const database = await openDatabase(config)
  try {
    await migrate(database, await readMigrations())
    const bar = progressBar('Embedding documents')
    const summary = await ingestCorpus({
      database,
      embedder: await selectEmbedder(config),
      corpusDir,
      onProgress: bar.update,
    })
    bar.done()
    console.log(formatSummary(summary))
  } finally {
    await database.close()
  }
})
