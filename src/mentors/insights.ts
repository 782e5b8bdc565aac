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
}

const counts = (rows: Array<{ key: string | null; n: number }>) =>
  Object.fromEntries(rows.map((r) => [r.key ?? 'unrouted', r.n]))

export async function insights(q: Queryable, tenant: string, days: number): Promise<Insights> {
  const since = new Date(Date.now() - days * 86_400_000).toISOString()
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
