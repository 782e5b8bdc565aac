// Node entry: reads the environment, opens and migrates the database, serves the app, shuts down cleanly.
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createChatModel } from '../agents/models.ts'
import { createTeams, teamsSender } from '../channels/teams/setup.ts'
import { buildWidget } from '../channels/widget/build.ts'
import { runCli } from '../cli/run-cli.ts'
import { loadConfig } from '../config.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { openDatabase } from '../db/open.ts'
import { createLogger, describeError } from '../log.ts'
import { startDispatcher } from '../notifications/outbox.ts'
import { selectEmbedder } from '../retrieval/embedders/select-embedder.ts'
import { ingestCorpus } from '../retrieval/ingest.ts'
import { createApp } from './app.ts'

async function main() {
  const config = loadConfig(process.env)
  const logger = createLogger(config.LOG_LEVEL)
  const database = await openDatabase(config)
  const migrations = await readMigrations()
  const applied = await migrate(database, migrations)
  logger.info('database ready', { kind: database.kind, migrationsApplied: applied.length })

  const embedder = await selectEmbedder(config)
  if (config.INGEST_ON_START) {
    // Idempotent: the first start fills the store; later starts only pick up corpus changes.
    const summary = await ingestCorpus({ database, embedder, corpusDir: config.CORPUS_DIR })
    logger.info('corpus ingested', { ...summary })
  }

  const model = createChatModel(config)
  logger.info('answers', { mode: model ? 'generated' : 'extractive (offline, no chat model configured)' })
  const widgetScript = await buildWidget()
  const teams = createTeams(config)
  // Work after a response (a new handoff's announcement) runs in the background; what fails stays
  // queued. Shutdown waits for it before the database closes.
  const background = new Set<Promise<void>>()
  const afterResponse = (task: () => Promise<void>) => {
    const running = task()
      .catch((error: unknown) => logger.warn('work after the response failed', describeError(error)))
      .finally(() => background.delete(running))
    background.add(running)
  }
  const app = createApp({
    config,
    database,
    migrations,
    logger,
    embedder,
    model,
    widgetScript,
    teams,
    afterResponse,
  })
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info('listening', { url: `http://${config.HOST}:${info.port}` })
  }) as Server

  // Announcements of new handoffs wait in the outbox until their webhook takes them.
  const dispatcher = startDispatcher(database, {
    intervalMs: config.OUTBOX_INTERVAL_MS,
    logger,
    publicUrl: config.PUBLIC_URL,
    teams: teamsSender(teams),
  })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    // Cut connections still open after the grace period so that shutdown always ends.
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS)
    force.unref()
    server.close(async () => {
      clearTimeout(force)
      await dispatcher.stop()
      await Promise.allSettled([...background])
      await database.close()
      logger.info('stopped')
      process.exit(0)
    })
    server.closeIdleConnections()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

await runCli(main)
