// What mentors and curators learn from the service as a whole: counts per topic and class, feedback,
// knowledge gaps and suggestions. Aggregates only: nothing here names or follows a person or a
// conversation, so that the tool cannot be turned into a way of watching employees.
import type { Queryable } from '../db/database.ts'

export type Insights = {
  since: string
  questionsByRoute: Record<string, number>
  handoffsByReason: Record<string, number>
  handoffsByStatus: Record<string, number>
  feedback: { up: number; down: number }
  knowledgeGaps: Array<{ question: string; lang: string; bestScore: number | null; createdAt: string }>
  /**
   * Announcements and replies queued in the period: how many reached their receiver and how many
   * have not (yet). Totals only: no receiver, status or time per delivery, so that the insights say
   * nothing about one address (only public hosts are ever contacted; the rest count as not delivered).
   */
  notifications: { delivered: number; undelivered: number }
  /** Knowledge-base documents past their review date: they may state facts that have changed. */
  overdueDocuments: Array<{ id: string; title: string; lang: string; reviewBy: string }>
  /** The period day by day, for the console's charts: totals of the tenant only. */
  daily: DailySeries
}

/**
 * Counts per UTC day. Every array has one value per entry of `days`, days without events as zeros,
 * so that a chart can draw them as they are; no series is ever split by person or conversation.
 */
export type DailySeries = {
  /** The UTC days from the one `since` falls on to today, oldest first (YYYY-MM-DD). */
  days: string[]
  /** Chats started each day. */
  chats: number[]
  /** Handoffs each day, per reason class. */
  handoffs: Record<string, number[]>
  /** Answer ratings given each day. */
  ratings: { up: number[]; down: number[] }
}

const DAY_MS = 86_400_000
// The day a timestamp falls on, in UTC, as the series' keys.
const DAY = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`

/** The UTC days from `since` to `until`, both included. */
function daysBetween(since: Date, until: Date): string[] {
  const days: string[] = []
  const last = until.toISOString().slice(0, 10)
  for (let at = Date.parse(since.toISOString().slice(0, 10)); ; at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10)
    days.push(day)
    if (day >= last) return days
  }
}

async function dailySeries(q: Queryable, tenant: string, since: Date, until: Date): Promise<DailySeries> {
  const days = daysBetween(since, until)
  const index = new Map(days.map((day, i) => [day, i]))
  const zeros = () => days.map(() => 0)
  const chats = await q.query<{ day: string; n: number }>(
    `select ${DAY} as day, count(*)::int as n from conversations where tenant_slug = $1 and created_at >= $2
     group by day`,
    [tenant, since.toISOString()],
  )
  const handoffs = await q.query<{ day: string; key: string; n: number }>(
    `select ${DAY} as day, reason_class as key, count(*)::int as n from handoffs
     where tenant_slug = $1 and created_at >= $2 group by day, key`,
    [tenant, since.toISOString()],
  )
  const ratings = await q.query<{ day: string; key: 'up' | 'down'; n: number }>(
    `select to_char(f.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, f.rating as key, count(*)::int as n
     from feedback f join messages m on m.id = f.message_id join conversations c on c.id = m.conversation_id
     where c.tenant_slug = $1 and f.created_at >= $2 group by day, key`,
    [tenant, since.toISOString()],
  )
  const series: DailySeries = { days, chats: zeros(), handoffs: {}, ratings: { up: zeros(), down: zeros() } }
  const add = (values: number[], day: string, n: number) => {
    const i = index.get(day)
    if (i !== undefined) values[i] = (values[i] ?? 0) + n
  }
  for (const row of chats.rows) add(series.chats, row.day, row.n)
  for (const row of handoffs.rows) {
    series.handoffs[row.key] ??= zeros()
    add(series.handoffs[row.key] as number[], row.day, row.n)
  }
  for (const row of ratings.rows) add(series.ratings[row.key], row.day, row.n)
  return series
}

const counts = (rows: Array<{ key: string | null; n: number }>) =>
  Object.fromEntries(rows.map((r) => [r.key ?? 'unrouted', r.n]))

export async function insights(
  q: Queryable,
  tenant: string,
  days: number,
  now = Date.now(),
): Promise<Insights> {
  const since = new Date(now - days * DAY_MS).toISOString()
  const byRoute = await q.query<{ key: string | null; n: number }>(
    `select m.route as key, count(*)::int as n from messages m join conversations c on c.id = m.conversation_id
     where c.tenant_slug = $1 and m.author = 'user' and m.created_at >= $2 group by m.route order by n desc`,
    [tenant, since],
  )
  const byReason = await q.query<{ key: string; n: number }>(
    `select reason_class as key, count(*)::int as n from handoffs where tenant_slug = $1 and created_at >= $2
     group by reason_class order by n desc`,
    [tenant, since],
  )
  const byStatus = await q.query<{ key: string; n: number }>(
    `select status as key, count(*)::int as n from handoffs where tenant_slug = $1 and created_at >= $2
     group by status order by n desc`,
    [tenant, since],
  )
  const feedback = await q.query<{ up: number; down: number }>(
    `select count(*) filter (where f.rating = 'up')::int as up, count(*) filter (where f.rating = 'down')::int as down
     from feedback f join messages m on m.id = f.message_id join conversations c on c.id = m.conversation_id
     where c.tenant_slug = $1 and f.created_at >= $2`,
    [tenant, since],
  )
  const gaps = await q.query<Insights['knowledgeGaps'][number]>(
    `select question, lang, best_score as "bestScore", created_at as "createdAt" from knowledge_gaps
     where tenant_slug = $1 and created_at >= $2 and question <> '' order by created_at desc limit 50`,
    [tenant, since],
  )
  const notifications = await q.query<Insights['notifications']>(
    `select count(*) filter (where delivered_at is not null)::int as delivered,
            count(*) filter (where delivered_at is null)::int as undelivered
     from outbox where tenant_slug = $1 and created_at >= $2`,
    [tenant, since],
  )
  const overdue = await q.query<Insights['overdueDocuments'][number]>(
    `select id, title, lang, to_char(review_by, 'YYYY-MM-DD') as "reviewBy" from documents
     where review_by < current_date order by review_by, id`,
  )
  return {
    since,
    questionsByRoute: counts(byRoute.rows),
    handoffsByReason: counts(byReason.rows),
    handoffsByStatus: counts(byStatus.rows),
    feedback: feedback.rows[0] ?? { up: 0, down: 0 },
    knowledgeGaps: gaps.rows.map((g) => ({ ...g, createdAt: new Date(g.createdAt).toISOString() })),
    notifications: notifications.rows[0] ?? { delivered: 0, undelivered: 0 },
    overdueDocuments: overdue.rows,
    daily: await dailySeries(q, tenant, new Date(since), new Date(now)),
  }
}

export type Suggestion = {
  id: string
  question: string
  reply: string
  citations: unknown[]
  status: string
  handoffId: string | null
  createdAt: string
}

/** Mentor replies proposed for the corpus, for curators. */
export async function listSuggestions(q: Queryable, tenant: string): Promise<Suggestion[]> {
  const { rows } = await q.query<Suggestion>(
    `select id, question, reply, citations, status, handoff_id as "handoffId", created_at as "createdAt"
     from corpus_suggestions where tenant_slug = $1 order by created_at desc limit 200`,
    [tenant],
  )
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }))
}
