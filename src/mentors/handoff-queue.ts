// The handoff queue as mentors work it: always within one tenant. A ticket moves
// open -> claimed -> answered -> closed; `withdrawn` when the user erased the conversation.
import { redactPersonalData } from '../agents/pii.ts'
import type { Locale } from '../agents/texts.ts'
import { addMessage, type MessageRow } from '../conversations/repository.ts'
import type { Queryable } from '../db/database.ts'
import { AppError, notFound } from '../errors.ts'
import type { Mentor } from './accounts.ts'
import { type CitationRequest, resolveCitations } from './reply-citations.ts'

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
  /** The router's reason in each language (it is stored German, newline, English). */
  routerReasons: { de: string; en: string }
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

/** One conversation in the queue: its latest ticket (of the status asked for) and how many it has. */
export type QueueEntry = HandoffSummary & { conversationId: string; conversationTickets: number }

/** Where a page of the queue ends: the sort key of its last entry. */
type QueuePosition = { urgent: 0 | 1; at: string; id: string }

// A page holds at most this many conversations (the API's `limit`).
export const QUEUE_PAGE_MAX = 100

const encodeCursor = (p: QueuePosition) =>
  Buffer.from(JSON.stringify([p.urgent, p.at, p.id])).toString('base64url')

/** The position a cursor names; a cursor this API did not make is a 400. */
export function decodeCursor(cursor: string): QueuePosition {
  try {
    const [urgent, at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (
      (urgent === 0 || urgent === 1) &&
      typeof at === 'string' &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(at) &&
      typeof id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
    )
      return { urgent, at, id }
  } catch {
    // Falls through to the error below.
  }
  throw new AppError('validation_failed', 400, 'cursor: not a cursor of this queue; start again without one.')
}

/**
 * The queue of a tenant, one entry per conversation (its latest ticket of the status asked for), in
 * pages: conversations in a crisis that a mentor has not answered yet first, then the newest. Paging
 * is by the sort key of the last entry: tickets that arrive meanwhile sort before the first page, so
 * they shift nothing on the pages still to come (a fresh first page shows them).
 */
export async function listHandoffs(
  q: Queryable,
  tenant: string,
  options: { status?: HandoffStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<{ handoffs: QueueEntry[]; nextCursor: string | null }> {
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor)
  const { rows } = await q.query<QueueEntry & { urgent: 0 | 1; at: string }>(
    `select ${SUMMARY}, h.conversation_id as "conversationId", l.urgent, l.at,
            (select count(*)::int from handoffs o
             where o.conversation_id = h.conversation_id and ($2::text is null or o.status = $2)) as "conversationTickets"
     from (
       select t.id, (t.reason_class = 'crisis' and t.status in ('open', 'claimed'))::int as urgent,
              to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, t.created_at
       from handoffs t
       where t.tenant_slug = $1 and ($2::text is null or t.status = $2)
         and not exists (
           select 1 from handoffs later
           where later.conversation_id = t.conversation_id and ($2::text is null or later.status = $2)
             and (later.created_at, later.id) > (t.created_at, t.id))
     ) l
     join handoffs h on h.id = l.id
     left join messages um on um.id = h.message_id left join mentors m on m.id = h.claimed_by
     where $3::int is null or (l.urgent, l.created_at, l.id) < ($3::int, $4::timestamptz, $5::uuid)
     order by l.urgent desc, l.created_at desc, l.id desc
     limit $6`,
    [
      tenant,
      options.status ?? null,
      after?.urgent ?? null,
      after?.at ?? null,
      after?.id ?? null,
      options.limit + 1,
    ],
  )
  const page = rows.slice(0, options.limit)
  const last = page.at(-1)
  return {
    handoffs: page.map(({ urgent: _urgent, at: _at, ...entry }) => entry),
    nextCursor:
      rows.length > options.limit && last
        ? encodeCursor({ urgent: last.urgent, at: last.at, id: last.id })
        : null,
  }
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
  return { ...row, routerReasons: reasonsOf(row.routerReason) }
}

/** "German\nEnglish" as stored by the handoff; a reason in one language serves both. */
function reasonsOf(stored: string): { de: string; en: string } {
  const [de = '', ...rest] = stored.split('\n')
  const en = rest.join('\n').trim()
  return { de: de.trim(), en: en || de.trim() }
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
  reply: { text: string; citations: readonly CitationRequest[]; suggest: boolean },
): Promise<{ handoff: HandoffDetail; message: MessageRow }> {
  const { rows } = await q.query<{
    status: HandoffStatus
    claimed_by: string | null
    conversation_id: string
    question: string
    locale: Locale
    erased: boolean
  }>(
    `select h.status, h.claimed_by, h.conversation_id, coalesce(um.text, '') as question, c.locale,
            c.erased_at is not null as erased
     from handoffs h join conversations c on c.id = h.conversation_id left join messages um on um.id = h.message_id
     where h.id = $1 and h.tenant_slug = $2 for update of h`,
    [id, mentor.tenant],
  )
  const ticket = rows[0]
  if (!ticket) throw notFound('The handoff')
  // Nothing goes into a conversation its user erased (it would store their case again).
  if (ticket.erased)
    throw new AppError('conflict', 409, 'The user erased this conversation: the reply cannot be delivered.')
  if (ticket.status === 'open')
    throw new AppError('conflict', 409, 'Claim the handoff before replying to it.')
  if (ticket.status !== 'claimed' && ticket.status !== 'answered')
    throw new AppError('conflict', 409, `The handoff is ${ticket.status}: the reply cannot be delivered.`)
  if (ticket.claimed_by !== mentor.id && mentor.role !== 'admin')
    throw new AppError('forbidden', 403, 'Another mentor has claimed this handoff.')

  const citations = await resolveCitations(q, reply.citations)
  const message = await addMessage(q, {
    conversationId: ticket.conversation_id,
    author: 'mentor',
    text: reply.text,
    lang: ticket.locale,
    mode: 'human',
    citations,
    mentorId: mentor.id,
  })
  await q.query(
    `update handoffs set status = 'answered', answered_at = now(), updated_at = now() where id = $1`,
    [id],
  )
  // Every mentor of the tenant reads the suggestions, and they outlive the conversation: they keep the
  // question and the reply without the personal data the redaction finds.
  if (reply.suggest) {
    await q.query(
      `insert into corpus_suggestions (tenant_slug, handoff_id, mentor_id, question, reply, citations)
       values ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        mentor.tenant,
        id,
        mentor.id,
        redactPersonalData(ticket.question),
        redactPersonalData(reply.text),
        JSON.stringify(citations),
      ],
    )
  }
  return { handoff: await getHandoff(q, mentor.tenant, id), message }
}
