// Retention: conversations without activity for RETENTION_DAYS are deleted with their messages,
// feedback and finished handoffs; knowledge gaps and outbox entries of that age go too. A handoff a
// mentor still has to act on (open or claimed) keeps its conversation. The audit log keeps counts only.
import type { Database } from '../db/database.ts'
import { describeError, type Logger } from '../log.ts'
import type { Compactor } from './compaction.ts'

// Conversations deleted per transaction: short transactions keep the embedded database responsive.
const BATCH = 500
const DAY_MS = 86_400_000

export type PurgeSummary = { conversations: number; knowledgeGaps: number; outbox: number }

export async function purgeExpired(
  db: Database,
  options: { days: number; now?: () => Date; batch?: number },
): Promise<PurgeSummary> {
  const summary: PurgeSummary = { conversations: 0, knowledgeGaps: 0, outbox: 0 }
  if (options.days <= 0) return summary
  const cutoff = new Date((options.now?.() ?? new Date()).getTime() - options.days * DAY_MS).toISOString()
  const batch = options.batch ?? BATCH
  for (;;) {
    // Messages, feedback and handoffs go with their conversation (on delete cascade).
    const deleted = await db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `delete from conversations where id in (
           select c.id from conversations c
           where c.updated_at < $1
             and not exists (
               select 1 from handoffs h
               where h.conversation_id = c.id and (h.status in ('open', 'claimed') or h.updated_at >= $1))
           limit $2)`,
        [cutoff, batch],
      )
      return rowCount
    })
    summary.conversations += deleted
    if (deleted < batch) break
  }
  summary.knowledgeGaps = (
    await db.query('delete from knowledge_gaps where created_at < $1', [cutoff])
  ).rowCount
  summary.outbox = (await db.query('delete from outbox where created_at < $1', [cutoff])).rowCount
  if (summary.conversations + summary.knowledgeGaps + summary.outbox > 0) {
    await db.query(
      `insert into audit_log (actor_type, action, details) values ('system', 'retention.purge', $1::jsonb)`,
      [JSON.stringify({ ...summary, cutoff, days: options.days })],
    )
  }
  return summary
}

/**
 * Purges at start and then every `intervalMs`; a failing round is logged and tried again later. A
 * round that deleted anything asks the compactor to remove it from the embedded database's files.
 */
export function startRetention(
  db: Database,
  options: { days: number; intervalMs: number; logger: Logger; compactor?: Compactor | undefined },
): { stop(): Promise<void> } {
  if (options.days <= 0) {
    options.logger.info('retention off: conversations are kept (RETENTION_DAYS=0)')
    return { stop: async () => undefined }
  }
  let running: Promise<unknown> = Promise.resolve()
  const round = () => {
    running = running
      .then(() => purgeExpired(db, { days: options.days }))
      .then((summary) => {
        if (summary.conversations + summary.knowledgeGaps + summary.outbox > 0) {
          options.logger.info('retention purge', { ...summary, days: options.days })
          options.compactor?.request()
        }
      })
      .catch((error: unknown) => options.logger.warn('retention purge failed', describeError(error)))
  }
  round()
  const timer = setInterval(round, options.intervalMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
