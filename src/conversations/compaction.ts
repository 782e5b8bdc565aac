// Compaction after erasure and retention on the embedded database. Postgres does not overwrite a
// deleted row: its bytes stay in the table's file until the table is rewritten (VACUUM FULL), and the
// write-ahead log keeps the text of every insert until its segment file is removed. So after an
// erasure the tables that held conversation text are rewritten, the log moves to a new segment, and a
// checkpoint removes the old ones (the adapter turns off the recycling of segments, which would keep
// their old bytes under a new name). A managed Postgres is left to its autovacuum and its own
// retention of WAL and backups (see the README's Operations section).
import type { Database } from '../db/database.ts'
import { describeError, type Logger } from '../log.ts'

/** Every table that holds text or references a conversation wrote: rewritten on compaction. */
export const COMPACTED_TABLES = [
  'conversations',
  'messages',
  'handoffs',
  'feedback',
  'knowledge_gaps',
  'corpus_suggestions',
  'outbox',
] as const

// Rewriting the tables costs time proportional to what they hold, and the embedded database serves
// nothing else meanwhile (about a second for 10,000 conversations, see bench/RESULTS.md): erasures
// within a minute share one compaction, and a compaction that took long waits twenty times as long
// before the next, so that a stream of erasures cannot keep the database busy more than 5 % of the time.
const MIN_INTERVAL_MS = 60_000
const QUIET_FACTOR = 20
// Erasures that come together (a user erasing several conversations) wait this long for each other.
const DEBOUNCE_MS = 1_000

export interface Compactor {
  /** Something was erased: compact soon, at most once per interval. */
  request(): void
  /** Runs a requested compaction now (shutdown, tests); resolves true when one ran. */
  flush(): Promise<boolean>
  /** Runs what was requested and takes no more requests. */
  stop(): Promise<void>
}

/** Rewrites the tables and removes the log segments that held what was deleted (embedded database only). */
export async function compactErasedData(db: Database): Promise<void> {
  if (db.kind !== 'pglite') return
  await db.exec(`vacuum full ${COMPACTED_TABLES.join(', ')}`)
  await db.exec('select pg_switch_wal()')
  await db.exec('checkpoint')
}

export function createCompactor(
  db: Database,
  options: { logger?: Logger; minIntervalMs?: number; debounceMs?: number; now?: () => number } = {},
): Compactor {
  if (db.kind !== 'pglite')
    return { request: () => undefined, flush: async () => false, stop: async () => {} }
  const now = options.now ?? Date.now
  const minInterval = options.minIntervalMs ?? MIN_INTERVAL_MS
  const debounce = options.debounceMs ?? DEBOUNCE_MS
  let pending = false
  let stopped = false
  let lastEnd = Number.NEGATIVE_INFINITY
  let lastDuration = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<boolean> = Promise.resolve(false)

  const run = (): Promise<boolean> => {
    running = running.then(async () => {
      if (!pending) return false
      pending = false
      const started = now()
      try {
        await compactErasedData(db)
        options.logger?.info('erased data compacted', { ms: Math.round(now() - started) })
        return true
      } catch (error) {
        // Tried again with the next erasure or retention round.
        options.logger?.warn('compaction failed', describeError(error))
        pending = true
        return false
      } finally {
        lastEnd = now()
        lastDuration = lastEnd - started
      }
    })
    return running
  }

  const flush = async () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    await running
    return run()
  }

  return {
    request() {
      if (stopped) return
      pending = true
      if (timer) return
      const wait = Math.max(debounce, lastEnd + Math.max(minInterval, QUIET_FACTOR * lastDuration) - now())
      timer = setTimeout(() => {
        timer = undefined
        void run()
      }, wait)
      timer.unref?.()
    },
    flush,
    async stop() {
      stopped = true
      await flush()
    },
  }
}
