// What createApp needs from the outside world: ports and settings, wired by node.ts, worker.ts or a test.

import type { TurnDeps } from '../agents/mentor.ts'
import { createModelGate, type ModelGate } from '../agents/model-gate.ts'
import type { ChatModel } from '../agents/models.ts'
import type { TeamsDeps } from '../channels/teams/routes.ts'
import { teamsSender } from '../channels/teams/setup.ts'
import type { Config } from '../config.ts'
import { type Compactor, createCompactor } from '../conversations/compaction.ts'
import type { Database } from '../db/database.ts'
import type { Migration } from '../db/migrate.ts'
import type { Logger } from '../log.ts'
import { deliverDue } from '../notifications/outbox.ts'
import type { WebhookSender } from '../notifications/webhook-sender.ts'
import type { CorpusDocument } from '../retrieval/corpus-loader.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'
import type { PeerAddress } from './limits/client-address.ts'
import { createRateLimits, type RateLimits } from './limits/rate-limits.ts'
import type { DocsAssets } from './routes/docs.ts'
import { createTurnTracker, type TurnTracker } from './turn-tracker.ts'

export interface AppDeps {
  config: Config
  database: Database
  /** The migrations this build knows; readiness requires all of them applied. */
  migrations: readonly Migration[]
  logger: Logger
  embedder: Embedder
  /** The chat model; absent in offline mode. */
  model?: ChatModel | undefined
  /** Reads the corpus documents served as readable pages (/wissen/{id}); absent: no such pages. */
  knowledge?: (() => Promise<readonly CorpusDocument[]>) | undefined
  /** The built chat widget (/widget.js); absent when it was not built. */
  widgetScript?: string | undefined
  /** The API reference's viewer (/docs); absent where the host serves it as static files (Workers). */
  docsAssets?: DocsAssets | undefined
  /** The Microsoft Teams channel; absent unless MICROSOFT_APP_ID is configured. */
  teams?: TeamsDeps | undefined
  /**
   * The notifier: posts handoff announcements to webhooks under the webhook rules (on Node it checks
   * the addresses it connects to). Absent: announcements wait in the outbox.
   */
  webhooks?: WebhookSender | undefined
  /**
   * Runs work after the response is on its way: in the background on Node, through
   * `ctx.waitUntil` on Workers. Absent: the work waits for the outbox's dispatcher or cron.
   */
  afterResponse?: ((task: () => Promise<void>) => void) | undefined
  /** The socket's peer address as the host sees it, for per-client limits. */
  peerAddress?: PeerAddress | undefined
  /** Whether the host is too busy to take new work (the Node server's event-loop monitor); absent: never. */
  overloaded?: (() => boolean) | undefined
  /** The turns in flight; the host passes its own when it needs them for shutdown. */
  turns?: TurnTracker | undefined
  /** The clock of the rate limits and the setup link's expiry (milliseconds); tests pass their own. */
  now?: (() => number) | undefined
  /** Compacts the embedded database after erasures; the host passes its own to share it with retention. */
  compactor?: Compactor | undefined
}

/** The app's dependencies with the in-memory state one app instance keeps: limits, gate, turns. */
export interface RouteDeps extends AppDeps {
  limits: RateLimits
  modelGate: ModelGate
  turns: TurnTracker
  compactor: Compactor
}

export function withRuntime(deps: AppDeps): RouteDeps {
  const { config } = deps
  return {
    ...deps,
    limits: createRateLimits(config, deps.now ?? Date.now),
    modelGate: createModelGate({
      concurrency: config.MODEL_CONCURRENCY,
      queueLimit: config.MODEL_QUEUE_LIMIT,
      queueTimeoutMs: config.MODEL_QUEUE_TIMEOUT_MS,
    }),
    turns: deps.turns ?? createTurnTracker(),
    compactor: deps.compactor ?? createCompactor(deps.database, { logger: deps.logger }),
  }
}

/** What a turn needs, from the app's dependencies. */
export function turnDeps(deps: RouteDeps): TurnDeps {
  const { HANDOFF_WEBHOOK_URL: url, HANDOFF_WEBHOOK_FORMAT: format } = deps.config
  return { ...deps, handoffWebhook: url ? { url, format } : undefined, deliverSoon: deliverSoon(deps) }
}

/**
 * Tries what the outbox holds right after the response, so that mentors hear of a new handoff at
 * once; what fails stays queued for the dispatcher (Node) or the cron trigger (Workers).
 */
function deliverSoon(deps: AppDeps): (() => void) | undefined {
  const { afterResponse, database, logger, config } = deps
  if (!afterResponse) return undefined
  return () =>
    afterResponse(async () => {
      await deliverDue(database, {
        webhooks: deps.webhooks,
        logger,
        publicUrl: config.PUBLIC_URL,
        teams: teamsSender(deps.teams),
        timeoutMs: config.HTTP_TIMEOUT_MS,
      })
    })
}
