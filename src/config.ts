// The one schema of the environment: every setting, its default and what a wrong value means.
import { z } from 'zod'
import { allowedHostEntry, webhookPolicy, webhookUrlProblem } from './notifications/webhook-url.ts'

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value)

const optionalString = z.preprocess(emptyAsUndefined, z.string().optional())

const port = z.coerce
  .number({ error: 'a port number between 1 and 65535' })
  .int('a whole port number between 1 and 65535')
  .min(1, 'a port number between 1 and 65535')
  .max(65535, 'a port number between 1 and 65535')

const milliseconds = (min: number, fallback: number) =>
  z.coerce
    .number({ error: 'milliseconds' })
    .int('whole milliseconds')
    .min(min, `at least ${min}`)
    .default(fallback)

/** A rate as requests per minute; 0 switches that limit off. */
const perMinute = (fallback: number) =>
  z.coerce
    .number({ error: 'a number of requests per minute (0 = no limit)' })
    .int('a whole number of requests per minute (0 = no limit)')
    .min(0, 'a number of requests per minute (0 = no limit)')
    .default(fallback)

const booleanFlag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'], { error: 'true or false' })
    .default(fallback)
    .transform((value) => value === 'true')

/** A mentor's or admin's token is valid for this many days after it was issued, renewed or rotated. */
export const DEFAULT_MENTOR_TOKEN_DAYS = 90
/** A rate as requests per hour; 0 switches that limit off. */
const perHour = (fallback: number) =>
  z.coerce
    .number({ error: 'a number of requests per hour (0 = no limit)' })
    .int('a whole number of requests per hour (0 = no limit)')
    .min(0, 'a number of requests per hour (0 = no limit)')
    .default(fallback)

const postgresUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a connection string like postgres://user:password@host:5432/dbname')
    .optional(),
)

export const configSchema = z
  .object({
    PORT: port.default(8787),
    HOST: z.string().min(1, 'a host name or address to listen on, e.g. 127.0.0.1').default('127.0.0.1'),
    DATA_DIR: z.string().min(1, 'a directory for the embedded database, e.g. .data').default('.data'),
    DATABASE_URL: postgresUrl,
    LOG_LEVEL: z
      .enum(['debug', 'info', 'warn', 'error', 'silent'], {
        error: 'one of debug, info, warn, error, silent',
      })
      .default('info'),
    // auto: readable lines on a terminal, JSON lines when stdout is a file or a pipe (production, tests).
    LOG_FORMAT: z.enum(['auto', 'json', 'text'], { error: 'one of auto, json, text' }).default('auto'),
    // 64 KiB holds the longest chat message (4000 characters) many times over.
    BODY_LIMIT_BYTES: z.coerce
      .number({ error: 'a size in bytes' })
      .int('a whole number of bytes')
      .min(1024, 'at least 1024 bytes')
      .default(65536),
    // How long in-flight requests may take to finish after SIGTERM before connections are cut.
    SHUTDOWN_GRACE_MS: z.coerce.number({ error: 'milliseconds' }).int().min(0).default(10000),
    // Rate limits (token buckets, per app instance): a client may start this many conversations per
    // minute, a conversation may take this many messages per minute, and a tenant's totals are capped.
    LIMIT_CONVERSATIONS_PER_CLIENT: perMinute(10),
    LIMIT_CONVERSATIONS_PER_TENANT: perMinute(600),
    LIMIT_MESSAGES_PER_CONVERSATION: perMinute(12),
    LIMIT_MESSAGES_PER_TENANT: perMinute(1200),
    // POST /v1/search needs no token: one client may search this often (a person searches a few
    // times a minute; an integrator's backend behind one address gets one search a second).
    LIMIT_SEARCHES_PER_CLIENT: perMinute(60),
    // New handoff tickets (later messages of a conversation join its open ticket): a person needs one
    // or two an hour, a company behind one address a few more; a tenant's mentors can work through
    // about this many an hour. A crisis is never refused, but counts.
    LIMIT_HANDOFFS_PER_CLIENT: perHour(6),
    LIMIT_HANDOFFS_PER_TENANT: perHour(120),
    // Ratings per conversation (each reply keeps one rating per person, changed in place).
    LIMIT_FEEDBACK_PER_CONVERSATION: perMinute(20),
    // Behind a proxy or CDN: the header that carries the client's address (x-forwarded-for: its last
    // entry, the one the proxy added; cf-connecting-ip, x-real-ip: the value). Unset: the socket's peer.
    CLIENT_IP_HEADER: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, 'a header name such as x-forwarded-for or cf-connecting-ip')
        .transform((name) => name.toLowerCase())
        .optional(),
    ),
    // At most this many turns use the chat model at once; up to MODEL_QUEUE_LIMIT more wait for a
    // slot (at most MODEL_QUEUE_TIMEOUT_MS, then they are answered offline); beyond that, 503 busy.
    MODEL_CONCURRENCY: z.coerce.number({ error: 'a whole number' }).int().min(1, 'at least 1').default(8),
    MODEL_QUEUE_LIMIT: z.coerce.number({ error: 'a whole number' }).int().min(0).default(32),
    MODEL_QUEUE_TIMEOUT_MS: milliseconds(100, 10000),
    // Load shedding (Node server): once the event loop is late by more than this twice in a row,
    // requests to /v1 get 503 busy until it has caught up. 0 turns it off.
    OVERLOAD_LAG_MS: milliseconds(0, 250),
    // Every other outbound HTTP call (webhooks, the Bot Connector and its token, the Bot Framework's keys).
    HTTP_TIMEOUT_MS: milliseconds(100, 10000),
    // Embedding requests (ingestion sends batches of 128 passages, hence longer than a chat turn needs).
    EMBEDDINGS_TIMEOUT_MS: milliseconds(1000, 30000),
    // Conversations without activity for this many days are deleted with everything they hold
    // (0 keeps them forever); checked every RETENTION_INTERVAL_MS.
    RETENTION_DAYS: z.coerce
      .number({ error: 'a whole number of days (0 = keep forever)' })
      .int('a whole number of days (0 = keep forever)')
      .min(0, 'a whole number of days (0 = keep forever)')
      .default(180),
    RETENTION_INTERVAL_MS: milliseconds(1000, 3_600_000),
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ error: 'an http(s) URL' }).optional()),
    CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
    // A slow model must not hold a user for long: after this the offline answer is given instead.
    MODEL_TIMEOUT_MS: z.coerce
      .number({ error: 'milliseconds' })
      .int()
      .min(1000, 'at least 1000')
      .default(20000),
    MODEL_MAX_RETRIES: z.coerce
      .number({ error: 'a whole number' })
      .int()
      .min(0)
      .max(5, 'at most 5')
      .default(1),
    // auto: OpenAI-compatible embeddings when OPENAI_API_KEY is set, else the local embedder.
    EMBEDDINGS_PROVIDER: z
      .enum(['auto', 'local', 'openai'], { error: 'one of auto, local, openai' })
      .default('auto'),
    EMBEDDINGS_MODEL: z.string().min(1).default('text-embedding-3-small'),
    EMBEDDINGS_DIMENSIONS: z.coerce
      .number({ error: 'a whole number of vector dimensions' })
      .int()
      .min(8, 'at least 8 dimensions')
      .max(2000, 'at most 2000 dimensions (the pgvector HNSW index limit)')
      .optional(),
    // Where new handoffs are announced when the tenant has no webhook of its own; plain JSON or a
    // Microsoft Teams incoming-webhook card. The announcement carries no message text.
    // Checked against the webhook rules below (https, a public host, the allow-list) unless
    // HANDOFF_WEBHOOK_ALLOW_PRIVATE says it is the operator's own receiver on a private network.
    HANDOFF_WEBHOOK_URL: z.preprocess(emptyAsUndefined, z.url({ error: 'an https URL' }).optional()),
    HANDOFF_WEBHOOK_FORMAT: z.enum(['json', 'teams'], { error: 'json or teams' }).default('json'),
    HANDOFF_WEBHOOK_ALLOW_PRIVATE: booleanFlag('false'),
    // The only hosts any webhook may go to (tenants' and HANDOFF_WEBHOOK_URL): "hooks.example.org" or
    // "*.example.org" for its sub-domains, comma-separated. Unset: any public host.
    WEBHOOK_ALLOWED_HOSTS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((list, ctx) => {
          const entries = list.split(',').map((entry) => entry.trim().toLowerCase())
          const hosts = entries.map(allowedHostEntry)
          if (hosts.every((host) => host !== undefined)) return hosts
          ctx.addIssue({
            code: 'custom',
            message: 'a list of host names like hooks.example.org,*.example.org',
          })
          return z.NEVER
        })
        .optional(),
    ),
    // The address users and mentors reach the service at, for links in notifications.
    PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ error: 'an http(s) URL' }).optional()),
    // How often the outbox is checked for notifications that are due.
    OUTBOX_INTERVAL_MS: z.coerce
      .number({ error: 'milliseconds' })
      .int()
      .min(100, 'at least 100')
      .default(5000),
    // Microsoft Teams (Bot Framework): the channel is on when MICROSOFT_APP_ID is set. New bots are
    // single-tenant (Microsoft stopped the creation of multi-tenant bots in July 2025).
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TYPE: z
      .enum(['MultiTenant', 'SingleTenant'], { error: 'SingleTenant or MultiTenant' })
      .default('SingleTenant'),
    MICROSOFT_APP_TENANT_ID: optionalString,
    // The Microsoft cloud of the bot: its login authority, token scope, token issuer and signing keys
    // (src/channels/teams/clouds.ts); the two URLs below override that cloud's values.
    BOT_CLOUD: z
      .enum(['Public', 'USGov', 'USGovDoD', 'China'], { error: 'one of Public, USGov, USGovDoD, China' })
      .default('Public'),
    BOT_OPENID_METADATA_URL: z.preprocess(emptyAsUndefined, z.url({ error: 'an http(s) URL' }).optional()),
    BOT_AUTH_AUTHORITY: z.preprocess(emptyAsUndefined, z.url({ error: 'an http(s) URL' }).optional()),
    // Which mentor tenant a Microsoft 365 tenant's Teams conversations belong to: "<entra-id>=<slug>,…".
    TEAMS_TENANTS: z
      .string()
      .regex(/^([^=,\s]+=[^=,\s]+)?(,[^=,\s]+=[^=,\s]+)*$/, 'a list like 72f988bf-…=suedwest,…')
      .default(''),
    CORPUS_DIR: z.string().min(1).default('corpus'),
    INGEST_ON_START: booleanFlag('true'),
    // Mentor and admin tokens stop working this many days after they were issued; a mentor renews
    // theirs before then (POST /v1/me/token), an admin rotates one (a leaked token dies with it).
    MENTOR_TOKEN_DAYS: z.coerce
      .number({ error: 'a whole number of days between 1 and 730' })
      .int('a whole number of days between 1 and 730')
      .min(1, 'a whole number of days between 1 and 730')
      .max(730, 'a whole number of days between 1 and 730')
      .default(DEFAULT_MENTOR_TOKEN_DAYS),
    // The one-time setup link a fresh installation prints stops working this many hours after the start.
    SETUP_LINK_HOURS: z.coerce
      .number({ error: 'a whole number of hours between 1 and 168' })
      .int('a whole number of hours between 1 and 168')
      .min(1, 'a whole number of hours between 1 and 168')
      .max(168, 'a whole number of hours between 1 and 168')
      .default(24),
  })
  .superRefine((c, ctx) => {
    const webhookProblem = c.HANDOFF_WEBHOOK_URL && webhookUrlProblem(c.HANDOFF_WEBHOOK_URL, webhookPolicy(c))
    if (webhookProblem)
      ctx.addIssue({
        code: 'custom',
        path: ['HANDOFF_WEBHOOK_URL'],
        message: `an allowed webhook address: it ${webhookProblem}${
          webhookProblem.includes('allows')
            ? ''
            : ' (a receiver of your own on a private network: set HANDOFF_WEBHOOK_ALLOW_PRIVATE=true)'
        }`,
      })
    if (c.EMBEDDINGS_PROVIDER === 'openai' && !c.OPENAI_API_KEY)
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_API_KEY'],
        message: 'set when EMBEDDINGS_PROVIDER is openai',
      })
    if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD)
      ctx.addIssue({
        code: 'custom',
        path: ['MICROSOFT_APP_PASSWORD'],
        message: 'set together with MICROSOFT_APP_ID',
      })
    if (c.MICROSOFT_APP_ID && c.MICROSOFT_APP_TYPE === 'SingleTenant' && !c.MICROSOFT_APP_TENANT_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['MICROSOFT_APP_TENANT_ID'],
        message:
          'the bot’s Entra tenant id, as MICROSOFT_APP_TYPE is SingleTenant (the default; MultiTenant is for bots registered as such)',
      })
  })

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Validates the environment; a wrong value throws one line naming the variable and what it expects. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const variable = String(issue?.path[0] ?? 'environment')
  // Values are not echoed: some variables hold secrets.
  throw new ConfigError(`Invalid configuration: ${variable} must be ${issue?.message ?? 'a valid value'}.`)
}
