// Cloudflare Workers entry: the same app as on Node, wired per the Workers model. The app is built
// once per isolate; every request gets its own database connections through Hyperdrive, closed after
// the response, and work after the response runs under ctx.waitUntil. A cron trigger delivers what the
// outbox holds. Migrations and the corpus ingest run from Node against the same database (README).
import migrations from '#worker-migrations'
import { createChatModel } from '../agents/models.ts'
import type { TeamsDeps } from '../channels/teams/routes.ts'
import { createTeams, teamsSender } from '../channels/teams/setup.ts'
import { AppError } from '../errors.ts'
import { createLogger, describeError, type Logger } from '../log.ts'
import { deliverDue } from '../notifications/outbox.ts'
import { createFetchWebhookSender, type WebhookSender } from '../notifications/webhook-sender.ts'
import { webhookPolicy } from '../notifications/webhook-url.ts'
import { selectEmbedder } from '../retrieval/embedders/select-embedder.ts'
import { type App, createApp } from './app.ts'
import { loadWorkerConfig, type WorkerConfig, type WorkerEnv } from './worker-config.ts'
import { currentScope, inScope, openScope, scopedDatabase, type WaitUntil } from './worker-scope.ts'

/** The part of a cron trigger's event the Worker reads. */
interface CronEvent {
  cron: string
}

interface Host {
  env: WorkerEnv
  config: WorkerConfig
  logger: Logger
  teams: TeamsDeps | undefined
  webhooks: WebhookSender
  app: App
}

// One cron run delivers batch after batch while deliveries succeed, up to this many batches.
const MAX_CRON_ROUNDS = 10

// Built on the first request of an isolate. It holds no connection: those belong to requests.
let host: Host | undefined

async function hostFor(env: WorkerEnv): Promise<Host> {
  if (host?.env === env) return host
  const config = loadWorkerConfig(env)
  // Workers Logs read JSON lines from the console.
  const logger = createLogger(config.LOG_LEVEL, (line) => console.log(line))
  const teams = createTeams(config)
  // fetch cannot be given a resolver here: the sender checks the URL as written (README).
  const webhooks = createFetchWebhookSender({ policy: webhookPolicy(config) })
  const app = createApp({
    config,
    database: scopedDatabase,
    migrations,
    logger,
    embedder: await selectEmbedder(config),
    model: createChatModel(config),
    teams,
    webhooks,
    afterResponse: (task) => currentScope().afterResponse(task),
    // Cloudflare sets this header itself (a client cannot forge it): the peer for per-client limits.
    peerAddress: (c) => c.req.header('cf-connecting-ip'),
  })
  host = { env, config, logger, teams, webhooks, app }
  return host
}

// Before the settings are read, the log level is not known: start-up failures are always logged.
const startLog = createLogger('info', (line) => console.log(line))

/** A Worker that cannot start answers every request with what is wrong, and logs it. */
function cannotStart(error: unknown): Response {
  const appError =
    error instanceof AppError
      ? error
      : new AppError('internal', 500, 'The service could not start; the error is in the Worker’s log.')
  // A configuration message names variables and bindings, never their values.
  startLog.error('worker cannot start', {
    code: appError.code,
    ...(appError.code === 'not_configured' ? { reason: appError.message } : describeError(error)),
  })
  return Response.json(appError.toBody(), { status: appError.status })
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WaitUntil): Promise<Response> {
    let current: Host
    try {
      current = await hostFor(env)
    } catch (error) {
      return cannotStart(error)
    }
    const scope = openScope(current.config.DATABASE_URL, ctx, current.logger)
    try {
      return scope.finish(await inScope(scope, () => current.app.fetch(request)))
    } catch (error) {
      ctx.waitUntil(scope.close())
      throw error
    }
  },

  async scheduled(event: CronEvent, env: WorkerEnv, ctx: WaitUntil): Promise<void> {
    const current = await hostFor(env)
    const scope = openScope(current.config.DATABASE_URL, ctx, current.logger)
    const options = {
      webhooks: current.webhooks,
      timeoutMs: current.config.HTTP_TIMEOUT_MS,
      logger: current.logger,
      publicUrl: current.config.PUBLIC_URL,
      teams: teamsSender(current.teams),
    }
    try {
      let delivered = 0
      let failed = 0
      for (let round = 0; round < MAX_CRON_ROUNDS; round++) {
        const result = await deliverDue(scope.database(), options)
        delivered += result.delivered
        failed += result.failed
        if (result.delivered === 0) break
      }
      if (delivered + failed > 0)
        current.logger.info('outbox delivered', { cron: event.cron, delivered, failed })
    } finally {
      await scope.close()
    }
  },
}
