// Node entry: reads the environment, opens and migrates the database, serves the app, shuts down cleanly.
import type { Server } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createChatModel } from '../agents/models.ts'
import { createTeams, teamsSender } from '../channels/teams/setup.ts'
import { buildWidget } from '../channels/widget/build.ts'
import { commandLine } from '../cli/command-line.ts'
import { runCli } from '../cli/run-cli.ts'
import { type Config, loadConfig } from '../config.ts'
import { createCompactor } from '../conversations/compaction.ts'
import { startRetention } from '../conversations/retention.ts'
import { type Database, hasIterativeScanDefault } from '../db/database.ts'
import { migrate } from '../db/migrate.ts'
import { readMigrations } from '../db/migration-files.ts'
import { openDatabase } from '../db/open.ts'
import { createLogger, describeError, type Logger } from '../log.ts'
import { firstStartLink } from '../mentors/setup.ts'
import { createNodeWebhookSender } from '../notifications/node-webhook-sender.ts'
import { startDispatcher } from '../notifications/outbox.ts'
import { webhookPolicy } from '../notifications/webhook-url.ts'
import { loadCorpus } from '../retrieval/corpus-loader.ts'
import { selectEmbedder } from '../retrieval/embedders/select-embedder.ts'
import { ingestCorpus } from '../retrieval/ingest.ts'
import { holdsVectorsInMemory, vectorMemory } from '../retrieval/vector-memory.ts'
import { createApp } from './app.ts'
import { readDocsAssets } from './docs-assets.ts'
import { startOverloadMonitor } from './limits/overload.ts'
import { createStartupReport, logFormat, logWriter, type StartupReport } from './startup-report.ts'
import { startupTexts as t } from './startup-texts.ts'
import { createTurnTracker } from './turn-tracker.ts'

// After the grace period, interrupted turns get this long to store what they have, and their
// responses this long to reach the client, before connections are cut.
const INTERRUPT_MS = 5000
const FLUSH_MS = 1000

async function main() {
  commandLine('start', {})
  const config = loadConfig(process.env)
  const format = logFormat(config.LOG_FORMAT, process.stdout)
  const logger = createLogger(config.LOG_LEVEL, logWriter(format, process.stdout))
  const report = createStartupReport(format, process.stdout, logger)
  report.step(t.starting(process.version), 'starting', { node: process.version })
  const database = await openDatabase(config)
  try {
    await start(config, logger, report, database)
  } catch (error) {
    // A failed start exits at once: an open pool's idle connections would keep the process alive.
    await database.close().catch(() => undefined)
    throw error
  }
}

async function start(config: Config, logger: Logger, report: StartupReport, database: Database) {
  const migrations = await readMigrations()
  const applied = await migrate(database, migrations)
  const where = database.kind === 'pglite' ? t.embedded(config.DATA_DIR) : t.postgres
  report.step(t.database(where, applied.length, migrations.length), 'database ready', {
    kind: database.kind,
    migrationsApplied: applied.length,
  })
  if (database.kind === 'postgres' && !(await hasIterativeScanDefault(database))) {
    // Each connection of this process sets it still; behind a pooler in transaction mode that is not enough.
    logger.warn('iterative index scans are not the database default (after a restore?)', {
      fix: 'alter database <name> set hnsw.iterative_scan = relaxed_order (as its owner)',
    })
  }

  const embedder = await selectEmbedder(config)
  if (config.INGEST_ON_START) {
    // Idempotent: the first start fills the store; later starts only pick up corpus changes.
    const bar = report.progress(t.ingesting)
    const summary = await ingestCorpus({
      database,
      embedder,
      corpusDir: config.CORPUS_DIR,
      onProgress: bar.update,
    })
    bar.done()
    report.step(t.ingested(summary), 'corpus ingested', { ...summary })
  } else report.step(t.ingestOff, 'corpus not ingested', { INGEST_ON_START: false })
  // The embedded database's searches compare vectors in memory: read them now, not at the first question.
  if (holdsVectorsInMemory(database)) await vectorMemory(database, embedder.id, embedder.dimensions)

  const model = createChatModel(config)
  report.step(model ? t.answersGenerated(config.CHAT_MODEL) : t.answersOffline, 'answers', {
    mode: model ? 'generated' : 'extractive (offline, no chat model configured)',
  })
  const widgetScript = await buildWidget()
  // The corpus as pages (/wissen/{id}): read on the first page asked for; a corpus change needs a
  // restart, like its ingest.
  const knowledge = () => loadCorpus(config.CORPUS_DIR)
  const teams = createTeams(config)
  const webhooks = createNodeWebhookSender({ policy: webhookPolicy(config) })
  // Work after a response (a new handoff's announcement) runs in the background; what fails stays
  // queued. Shutdown waits for it before the database closes.
  const background = new Set<Promise<void>>()
  const afterResponse = (task: () => Promise<void>) => {
    const running = task()
      .catch((error: unknown) => logger.warn('work after the response failed', describeError(error)))
      .finally(() => background.delete(running))
    background.add(running)
  }
  const turns = createTurnTracker()
  // Erasures and retention share one compactor of the embedded database (a no-op on Postgres).
  const compactor = createCompactor(database, { logger })
  // Once at start: an erasure whose compaction the process did not live to run leaves nothing behind.
  compactor.request()
  const load = config.OVERLOAD_LAG_MS > 0 ? startOverloadMonitor(config.OVERLOAD_LAG_MS) : undefined
  const app = createApp({
    config,
    database,
    migrations,
    logger,
    embedder,
    model,
    widgetScript,
    docsAssets: await readDocsAssets(),
    knowledge,
    teams,
    webhooks,
    afterResponse,
    turns,
    compactor,
    overloaded: load?.overloaded,
    peerAddress: (c) => getConnInfo(c).remote.address,
  })
  const setupLink = await firstStartLink(database, config)
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const url = `http://${config.HOST}:${info.port}`
    report.step(t.ready(url), 'listening', { url })
    // While no admin exists: the one-time link to create the first one in the browser.
    if (setupLink) {
      const setupUrl = setupLink(info.port)
      report.notice(t.setupLink(setupUrl, config.SETUP_LINK_HOURS), 'setup link', { setupUrl })
    }
  }) as Server

  // Announcements of new handoffs wait in the outbox until their webhook takes them.
  const dispatcher = startDispatcher(database, {
    webhooks,
    intervalMs: config.OUTBOX_INTERVAL_MS,
    logger,
    publicUrl: config.PUBLIC_URL,
    teams: teamsSender(teams),
    timeoutMs: config.HTTP_TIMEOUT_MS,
  })
  const retention = startRetention(database, {
    days: config.RETENTION_DAYS,
    intervalMs: config.RETENTION_INTERVAL_MS,
    logger,
    compactor,
  })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    report.step(t.stopping, 'shutting down', { signal, turnsInFlight: turns.inFlight })
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    // In-flight requests, streamed answers included, and turns that run after their response (Teams)
    // may finish within the grace period.
    const deadline = Date.now() + config.SHUTDOWN_GRACE_MS
    const finished = await Promise.race([
      closed.then(() => turns.drain(Math.max(0, deadline - Date.now()))),
      sleep(config.SHUTDOWN_GRACE_MS, false, { ref: false }),
    ])
    if (!finished) {
      // Turns still running stop: each stores what it has, marked as interrupted, and ends its reply.
      turns.interrupt()
      const drained = await turns.drain(INTERRUPT_MS)
      logger.info('in-flight turns interrupted', { drained, turnsInFlight: turns.inFlight })
      await Promise.race([closed, sleep(FLUSH_MS, undefined, { ref: false })])
      server.closeAllConnections()
      await closed
    }
    load?.stop()
    await dispatcher.stop()
    await retention.stop()
    await Promise.allSettled([...background])
    // What was erased but not yet compacted is compacted before the files are closed.
    await compactor.stop()
    await database.close()
    report.step(t.stopped, 'stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

await runCli(main)
