// The Worker's settings: its vars and secrets go through the one config schema, and the database comes
// from the Hyperdrive binding. What is missing or wrong becomes an error that says what to bind or set.
import { type Config, ConfigError, loadConfig } from '../config.ts'
import { AppError } from '../errors.ts'

/** What a Worker is given: vars and secrets (strings), and bindings such as HYPERDRIVE. */
export interface WorkerEnv {
  HYPERDRIVE?: { connectionString?: unknown } | undefined
  [name: string]: unknown
}

export type WorkerConfig = Config & { DATABASE_URL: string }

export const NO_DATABASE =
  'No database is configured. Bind a Hyperdrive configuration as HYPERDRIVE ([[hyperdrive]] in ' +
  'wrangler.toml, see "Deploy to Cloudflare Workers" in the README) or set the DATABASE_URL secret.'

const notConfigured = (message: string) => new AppError('not_configured', 503, message)

/** The configuration, or an AppError (503 not_configured) that names what to bind or set. */
export function loadWorkerConfig(env: WorkerEnv): WorkerConfig {
  const settings: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    // Vars written as TOML numbers or booleans arrive as such; the schema reads text.
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      settings[name] = String(value)
  }
  const hyperdrive = env.HYPERDRIVE?.connectionString
  if (typeof hyperdrive === 'string' && hyperdrive) settings.DATABASE_URL = hyperdrive

  let config: Config
  try {
    config = loadConfig(settings)
  } catch (error) {
    if (error instanceof ConfigError) throw notConfigured(error.message)
    throw error
  }
  const url = config.DATABASE_URL
  if (!url) throw notConfigured(NO_DATABASE)
  return { ...config, DATABASE_URL: url }
}
