// Deliveries through an outbox: a new handoff writes its announcement in the same transaction as the
// ticket, a mentor's reply to a Teams conversation is queued with the reply, and a dispatcher delivers
// what is due (webhook, or the Bot Connector), retrying with backoff. A receiver that is down delays
// deliveries; it loses none. A Teams conversation that will never take a reply (the bot was removed)
// ends its retries.
import type { Queryable } from '../db/database.ts'
import type { Logger } from '../log.ts'
import { type HandoffNotice, webhookBody } from './webhook-formats.ts'
import { WebhookRefused, type WebhookSender } from './webhook-sender.ts'

export type WebhookFormat = 'json' | 'teams'

/** Where announcements go when a tenant has no webhook of its own. */
export type DefaultWebhook = { url: string; format: WebhookFormat } | undefined

// A claimed batch is leased for this long; a dispatcher that dies mid-batch leaves it to the next one.
const LEASE_SECONDS = 60
const BATCH = 20
// Backoff after the n-th failed attempt: 5 s, 10 s, 20 s … up to an hour, for as long as it takes.
const BACKOFF_BASE_S = 5
const BACKOFF_MAX_S = 3600
// A webhook that does not answer within this long counts as down (HTTP_TIMEOUT_MS in the service).
const DEFAULT_TIMEOUT_MS = 10_000

/** How the dispatcher reaches receivers: webhooks (absent: not configured), the Bot Connector. */
export type DeliveryOptions = {
  webhooks?: WebhookSender | undefined
  logger?: Logger | undefined
  publicUrl?: string | undefined
  teams?: TeamsSender | undefined
  timeoutMs?: number | undefined
}

/** What the outbox records about a failure: an HTTP status, a refusal, an error code or class. */
function problemOf(error: unknown): string {
  if (error instanceof WebhookRefused) return error.problem
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown }
  if (typeof status === 'number') return `http_${status}`
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code
  return error instanceof Error ? error.name : 'error'
}

export const backoffSeconds = (attempts: number) =>
  Math.min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** Math.max(0, attempts - 1))

/**
 * Queues the announcement of a new handoff for the tenant's webhook, or the default one. Run it in
 * the transaction that creates the handoff. Nothing is queued when no webhook is configured.
 */
export async function enqueueHandoffNotice(
  q: Queryable,
  notice: HandoffNotice,
  fallback: DefaultWebhook,
): Promise<void> {
  await q.query(
    `insert into outbox (tenant_slug, topic, payload, target_url, format)
     select t.slug, 'handoff.created', $2::jsonb, coalesce(t.webhook_url, $3),
            case when t.webhook_url is not null then t.webhook_format else $4 end
     from tenants t
     where t.slug = $1 and coalesce(t.webhook_url, $3) is not null`,
    [notice.tenant, JSON.stringify(notice), fallback?.url ?? null, fallback?.format ?? 'json'],
  )
}

/** A mentor's reply on its way into a Teams conversation. */
export type TeamsReply = { serviceUrl: string; conversationId: string; text: string }

/** Queues a mentor's reply for Teams; run it in the transaction that stores the reply. */
export async function enqueueTeamsReply(q: Queryable, tenant: string, reply: TeamsReply): Promise<void> {
  await q.query(
    `insert into outbox (tenant_slug, topic, payload, target_url, format)
     values ($1, 'teams.reply', $2::jsonb, $3, 'connector')`,
    [tenant, JSON.stringify(reply), reply.serviceUrl],
  )
}

/** Sends a Teams reply through the Bot Connector (absent when Teams is not configured). */
export type TeamsSender = (reply: TeamsReply) => Promise<void>

type OutboxRow = {
  id: string
  topic: string
  payload: HandoffNotice | TeamsReply
  target_url: string
  format: WebhookFormat | 'connector'
  attempts: number
}

/** Delivers what is due; returns how many were delivered and how many failed this round. */
export async function deliverDue(
  db: Queryable,
  options: DeliveryOptions = {},
): Promise<{ delivered: number; failed: number }> {
  const { rows } = await db.query<OutboxRow>(
    `update outbox set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
     where id in (
       select id from outbox where delivered_at is null and next_attempt_at <= now()
       order by next_attempt_at limit $2 for update skip locked)
     returning id, topic, payload, target_url, format, attempts`,
    [LEASE_SECONDS, BATCH],
  )
  let delivered = 0
  let failed = 0
  for (const row of rows) {
    let problem: string | undefined
    // The Bot Connector says the reply will never be taken (403, 404: the bot was removed from the
    // conversation, or the conversation is gone): retrying does not help.
    let permanent = false
    try {
      if (row.format === 'connector') {
        if (!options.teams) problem = 'teams_not_configured'
        else await options.teams(row.payload as TeamsReply)
      } else if (!options.webhooks) problem = 'webhooks_not_configured'
      else {
        const status = await options.webhooks(
          row.target_url,
          JSON.stringify(webhookBody(row.format, row.payload as HandoffNotice, options.publicUrl)),
          AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        )
        // Only a 2xx is a delivery; a redirect (never followed) fails like any other answer.
        if (status < 200 || status > 299) problem = `http_${status}`
      }
    } catch (error) {
      problem = problemOf(error)
      permanent = row.format === 'connector' && (error as { permanent?: unknown }).permanent === true
    }
    if (problem === undefined) {
      await db.query('update outbox set delivered_at = now(), last_error = null where id = $1', [row.id])
      delivered++
    } else if (permanent) {
      // Kept (undelivered, with its reason) but never due again.
      await db.query(`update outbox set last_error = $2, next_attempt_at = 'infinity' where id = $1`, [
        row.id,
        `${problem}_permanent`,
      ])
      failed++
      options.logger?.warn('outbox delivery abandoned: the receiver will never take it', {
        outboxId: row.id,
        topic: row.topic,
        problem,
        attempts: row.attempts,
      })
    } else {
      await db.query(
        `update outbox set last_error = $2, next_attempt_at = now() + make_interval(secs => $3) where id = $1`,
        [row.id, problem, backoffSeconds(row.attempts)],
      )
      failed++
      // The webhook's address can hold a secret (Teams puts one in it): only the outcome is logged.
      options.logger?.warn('outbox delivery failed; will retry', {
        outboxId: row.id,
        topic: row.topic,
        problem,
        attempts: row.attempts,
      })
    }
  }
  return { delivered, failed }
}

/** Runs deliverDue every `intervalMs` until stopped; a failing round is logged and tried again. */
export function startDispatcher(
  db: Queryable,
  options: DeliveryOptions & { intervalMs: number; logger: Logger },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = running
      .then(() => deliverDue(db, options))
      .catch((error: unknown) =>
        options.logger.warn('outbox round failed', {
          errorClass: error instanceof Error ? error.name : 'error',
        }),
      )
  }, options.intervalMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
