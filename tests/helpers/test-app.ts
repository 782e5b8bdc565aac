// Builds the real app for HTTP tests: real database, quiet logger, default configuration.

import type { ChatModel } from '../../src/agents/models.ts'
import { createTeams } from '../../src/channels/teams/setup.ts'
import { buildWidget } from '../../src/channels/widget/build.ts'
import { loadConfig } from '../../src/config.ts'
import type { Database } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { createLogger, type Logger } from '../../src/log.ts'
import { createNodeWebhookSender, type ResolveHost } from '../../src/notifications/node-webhook-sender.ts'
import { webhookPolicy } from '../../src/notifications/webhook-url.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { createApp } from '../../src/server/app.ts'
import type { AppDeps } from '../../src/server/deps.ts'
import { readDocsAssets } from '../../src/server/docs-assets.ts'
import type { TurnTracker } from '../../src/server/turn-tracker.ts'

export async function createTestApp(
  database: Database,
  options: {
    env?: Record<string, string>
    migrated?: boolean
    model?: ChatModel
    afterResponse?: AppDeps['afterResponse']
    logger?: Logger
    now?: () => number
    overloaded?: () => boolean
    /** The webhook sender's DNS; by default every name resolves to one public address. */
    resolveHost?: ResolveHost
    /** The turns in flight (a test waits for work after the response with `turns.drain`). */
    turns?: TurnTracker
    compactor?: AppDeps['compactor']
    /** The corpus documents served as pages (/wissen/{id}). */
    knowledge?: AppDeps['knowledge']
  } = {},
) {
  const migrations = await readMigrations()
  if (options.migrated !== false) await migrate(database, migrations)
  const config = loadConfig(options.env ?? {})
  const deps: AppDeps = {
    config,
    database,
    migrations,
    logger: options.logger ?? createLogger('silent'),
    embedder: createLocalEmbedder(),
    model: options.model,
    widgetScript: await buildWidget(),
    docsAssets: await readDocsAssets(),
    knowledge: options.knowledge,
    teams: createTeams(config),
    webhooks: createNodeWebhookSender({
      policy: webhookPolicy(config),
      resolve: options.resolveHost ?? resolveToPublicAddress,
    }),
    afterResponse: options.afterResponse,
    now: options.now,
    overloaded: options.overloaded,
    turns: options.turns,
    compactor: options.compactor,
  }
  return { app: createApp(deps), deps }
}

/** A DNS without the network: every name has one public address (example.com's); msw answers for it. */
export const resolveToPublicAddress: ResolveHost = async () => [{ address: '93.184.215.14', family: 4 }]

/** The webhook sender of the tests' Node server, for tests that run the outbox themselves. */
export const testWebhooks = (
  env: Record<string, string> = {},
  resolve: ResolveHost = resolveToPublicAddress,
) => createNodeWebhookSender({ policy: webhookPolicy(loadConfig(env)), resolve })

type TestApp = Awaited<ReturnType<typeof createTestApp>>['app']

/** Sends a message in a conversation (JSON, not streamed) and returns the stored reply. */
export async function sendMessage(app: TestApp, conversation: { id: string; token: string }, text: string) {
  const res = await app.request(`/v1/conversations/${conversation.id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${conversation.token}` },
    body: JSON.stringify({ text }),
  })
  return ((await res.json()) as { message: { id: string; handoff?: { id: string } } }).message
}
