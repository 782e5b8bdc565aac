// Each Teams activity is handled once: the first delivery records it (conversation id + activity id,
// unique in the database, so also across app instances); a redelivery finds it and is only
// acknowledged. Records older than a day are removed now and then: Teams redelivers within minutes.
import type { Queryable } from '../../db/database.ts'

// How long an activity is remembered, and how often (per app instance) older records are removed.
const KEEP_HOURS = 24
const PURGE_EVERY_MS = 60 * 60_000

export interface ActivityLedger {
  /** True for the first delivery of this activity, false for every later one. */
  firstDelivery(db: Queryable, conversationId: string, activityId: string): Promise<boolean>
}

export function createActivityLedger(now: () => number = Date.now): ActivityLedger {
  let lastPurge = 0
  return {
    async firstDelivery(db, conversationId, activityId) {
      if (now() - lastPurge > PURGE_EVERY_MS) {
        lastPurge = now()
        await db.query(
          `delete from teams_activities where received_at < now() - make_interval(hours => $1)`,
          [KEEP_HOURS],
        )
      }
      const { rows } = await db.query(
        `insert into teams_activities (conversation_id, activity_id) values ($1, $2)
         on conflict do nothing returning 1 as taken`,
        [conversationId, activityId],
      )
      return rows.length === 1
    },
  }
}
