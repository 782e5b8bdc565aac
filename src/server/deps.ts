// What createApp needs from the outside world: ports and settings, wired by node.ts, worker.ts or a test.

import type { ChatModel } from '../agents/models.ts'
import type { Config } from '../config.ts'
import type { Database } from '../db/database.ts'
import type { Migration } from '../db/migrate.ts'
import type { Logger } from '../log.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'

export interface AppDeps {
  config: Config
  database: Database
  /** The migrations this build knows; readiness requires all of them applied. */
  migrations: readonly Migration[]
  logger: Logger
  embedder: Embedder
  /** The chat model; absent in offline mode. */
  model?: ChatModel | undefined
  /** The built chat widget (/widget.js); absent when it was not built. */
  widgetScript?: string | undefined
}
