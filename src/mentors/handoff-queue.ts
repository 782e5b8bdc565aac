// The handoff queue as mentors work it: always within one tenant. A ticket moves
// open -> claimed -> answered -> closed; `withdrawn` when the user erased the conversation.
import type { Locale } from '../agents/texts.ts'
import { addMessage, type Citation, type MessageRow } from '../conversations/repository.ts'
import type { Queryable } from '../db/database.ts'
import { AppError, notFound } from '../errors.ts'
import type { Mentor } from './accounts.ts'

export type HandoffStatus = 'open' | 'claimed' | 'answered' | 'closed' | 'withdrawn'

export type HandoffSummary = {
  id: string
  status: HandoffStatus
  reason: string
  channel: string
  /** The handed-over question, shortened: what a mentor needs to pick a ticket. */
  question: string
  claimedBy: string | null
  createdAt: string
  updatedAt: string
}

export type TranscriptEntry = { author: string; text: string; at: string }

export type HandoffDetail = HandoffSummary & {
  conversationId: string
  routerReason: string
  transcript: TranscriptEntry[]
  /** What mentors have sent into the conversation since. */
  replies: Array<{ id: string; text: string; mentor: string | null; at: string }>
  contactEmail: string | null
  locale: string
  role: string | null
}

const SUMMARY = `h.id, h.status, h.reason_class as reason, h.channel,
  left(coalesce(um.text, ''), 200) as question, m.name as "claimedBy",
  h.created_at as "createdAt", h.updated_at as "updatedAt"`
const FROM = `handoffs h left join messages um on um.id = h.message_id left join mentors m on m.id = h.claimed_by`

export async function listHandoffs(
  q: Queryable,
  tenant: string,
  status?: HandoffStatus,
): Promise<HandoffSummary[]> {
  const { rows } = await q.query<HandoffSummary>(
    `select ${SUMMARY} from ${FROM}
     where h.tenant_slug = $1 and ($2::text is null or h.status = $2)
     order by (h.reason_class = 'crisis' and h.status in ('open', 'claimed')) desc, h.created_at desc limit 200`,
    [tenant, status ?? null],
  )
  return rows
}

/** A ticket of the mentor's tenant; another tenant's ticket does not exist for them (404). */
export async function getHandoff(q: Queryable, tenant: string, id: string): Promise<HandoffDetail> {
  const { rows } = await q.query<HandoffDetail>(
    `select ${SUMMARY}, h.conversation_id as "conversationId", h.router_reason as "routerReason",
            h.transcript, case when h.contact_consent_at is not null then h.contact_email end as "contactEmail",
            c.locale, c.role,
            coalesce((select json_agg(json_build_object('id', r.id, 'text', r.text, 'mentor', rm.name, 'at', r.created_at)
                                     order by r.seq)
                      from messages r left join mentors rm on rm.id = r.mentor_id
                      where r.conversation_id = h.conversation_id and r.author = 'mentor'
                        and r.created_at >= h.created_at), '[]') as replies
     from ${FROM} join conversations c on c.id = h.conversation_id
     where h.id = $1 and h.tenant_slug = $2`,
    [id, tenant],
  )
  const row = rows[0]
  if (!row) throw notFound('The handoff')
  return row
}

async function transition(
  q: Queryable,
  tenant: string,
  id: string,
  sql: string,
  params: unknown[],
  conflict: (status: HandoffStatus) => string,
): Promise<HandoffDetail> {
  const { rowCount } = await q.query(sql, [id, tenant, ...params])
  const current = await getHandoff(q, tenant, id)
  if (rowCount === 0) throw new AppError('conflict', 409, conflict(current.status))
  return current
}

/** Only an open ticket can be claimed: of two mentors claiming at once, one gets 409. */
export function claimHandoff(q: Queryable, mentor: Mentor, id: string): Promise<HandoffDetail> {
  return transition(
    q,
    mentor.tenant,
    id,
    `update handoffs set status = 'claimed', claimed_by = $3, claimed_at = now(), updated_at = now()
     where id = $1 and tenant_slug = $2 and status = 'open'`,
    [mentor.id],
    (status) => `The handoff is ${status}, not open: someone else may have claimed it.`,
  )
}

/** Closing ends the ticket; a withdrawn or closed one stays as it is. */
export function closeHandoff(q: Queryable, mentor: Mentor, id: string): Promise<HandoffDetail> {
  return transition(
    q,
    mentor.tenant,
    id,
    `update handoffs set status = 'closed', closed_at = now(), updated_at = now()
     where id = $1 and tenant_slug = $2 and status in ('open', 'claimed', 'answered')`,
    [],
    (status) => `The handoff is ${status} and cannot be closed.`,
  )
}

/**
 * The mentor's reply goes into the user's conversation as a message of its own; the ticket becomes
 * answered. The mentor must have claimed it (an admin may answer any claimed ticket of the tenant).
 * With `suggest`, the question and the reply are proposed to curators for the corpus.
 */
export async function replyToHandoff(
  q: Queryable,
  mentor: Mentor,
  id: string,
  reply: { text: string; citations: Citation[]; suggest: boolean },
): Promise<{ handoff: HandoffDetail; message: MessageRow }> {
  const { rows } = await q.query<{
    status: HandoffStatus
    claimed_by: string | null
    conversation_id: string
    question: string
    locale: Locale
  }>(
    `select h.status, h.claimed_by, h.conversation_id, coalesce(um.text, '') as question, c.locale
     from handoffs h join conversations c on c.id = h.conversation_id left join messages um on um.id = h.message_id
     where h.id = $1 and h.tenant_slug = $2 for update of h`,
    [id, mentor.tenant],
  )
  const ticket = rows[0]
  if (!ticket) throw notFound('The handoff')
  if (ticket.status === 'open')
    throw new AppError('conflict', 409, 'Claim the handoff before replying to it.')
  if (ticket.status !== 'claimed' && ticket.status !== 'answered')
    throw new AppError('conflict', 409, `The handoff is ${ticket.status}: the reply cannot be delivered.`)
  if (ticket.claimed_by !== mentor.id && mentor.role !== 'admin')
    throw new AppError('forbidden', 403, 'Another mentor has claimed this handoff.')

  const message = await addMessage(q, {
    conversationId: ticket.conversation_id,
    author: 'mentor',
    text: reply.text,
    lang: ticket.locale,
    mode: 'human',
    citations: reply.citations,
    mentorId: mentor.id,
  })
  await q.query(
    `update handoffs set status = 'answered', answered_at = now(), updated_at = now() where id = $1`,
    [id],
  )
  if (reply.suggest) {
    await q.query(
      `insert into corpus_suggestions (tenant_slug, handoff_id, mentor_id, question, reply, citations)
       values ($1, $2, $3, $4, $5, $6::jsonb)`,
      [mentor.tenant, id, mentor.id, ticket.question, reply.text, JSON.stringify(reply.citations)],
    )
  }
  return { handoff: await getHandoff(q, mentor.tenant, id), message }
}
