// Conversations, messages, handoffs, feedback and knowledge gaps: the rows a turn writes and reads.

import { createHash } from 'node:crypto'
import { type Locale, t } from '../agents/texts.ts'
import type { Queryable } from '../db/database.ts'
import type { Audience } from '../retrieval/corpus-schema.ts'

export type Channel = 'api' | 'widget' | 'teams'
export type Author = 'user' | 'assistant' | 'mentor' | 'system'
export type MessageMode = 'generated' | 'extractive' | 'handoff' | 'refusal' | 'human'

export interface Citation {
  n: number
  documentId: string
  title: string
  heading: string
  url?: string
  /** The cited document's review date (YYYY-MM-DD): shown to users as "Stand". */
  reviewed?: string
}

export type ConversationRow = {
  id: string
  tenant_slug: string
  channel: Channel
  locale: Locale
  /** A check constraint keeps it to the corpus's audiences. */
  role: Audience | null
  token_hash: string
  erased_at: string | null
  created_at: string
}

export type MessageRow = {
  id: string
  author: Author
  text: string
  status: 'complete' | 'partial' | 'interrupted'
  mode: MessageMode | null
  route: string | null
  citations: Citation[]
  lang: Locale | null
  flags: string[]
  created_at: string
}

/** The columns of a MessageRow. */
const MESSAGE_COLUMNS = 'id, author, text, status, mode, route, citations, lang, flags, created_at'

export interface NewConversation {
  tenant: string
  channel: Channel
  locale: Locale
  role: Audience | null
  tokenHash: string
  /** Where the conversation lives outside this service (a Teams conversation reference). */
  channelRef?: unknown
}

/**
 * Starts a conversation. The AI disclosure opens every conversation (EU AI Act Art. 50) and stays in
 * its transcript; the greeting follows where the channel shows one.
 */
export async function openConversation(
  db: Queryable,
  c: NewConversation,
  options: { greeting: boolean },
): Promise<ConversationRow> {
  const text = t(c.locale)
  // One statement (atomic on its own): the conversation, its disclosure and its greeting, in that
  // order of `seq`. A transaction of three statements cost five round trips into the database.
  const { rows } = await db.query<ConversationRow>(
    `with conversation as (
       insert into conversations (tenant_slug, channel, locale, role, token_hash, channel_ref)
       values ($1, $2, $3, $4, $5, $6::jsonb) returning *
     ), opening as (
       insert into messages (conversation_id, author, text, lang)
       select conversation.id, m.author, m.text, $3
       from conversation, (values (1, 'system', $7::text), (2, 'assistant', $8::text)) m (n, author, text)
       where m.text is not null
       order by m.n
     )
     select * from conversation`,
    [
      c.tenant,
      c.channel,
      c.locale,
      c.role,
      c.tokenHash,
      c.channelRef === undefined ? null : JSON.stringify(c.channelRef),
      text.disclosure,
      options.greeting ? text.greeting : null,
    ],
  )
  return rows[0] as ConversationRow
}

/** A conversation as a request finds it: with what its tenant allows and, when asked, its last messages. */
export interface FoundConversation {
  conversation: ConversationRow
  /** The web origins the conversation's tenant lets use the chat API (the CORS check). */
  origins: string[]
  /** The last messages, oldest first (as many as asked for; none unless asked). */
  history: MessageRow[]
}

/**
 * The conversation, its tenant's allowed origins and its last `history` messages in one statement:
 * each is needed before the request may store anything, and every statement costs a round trip into
 * the database (on the embedded one 0.5 ms even for a primary-key lookup, several under load).
 */
export async function findConversation(
  q: Queryable,
  id: string,
  options: { history?: number } = {},
): Promise<FoundConversation | undefined> {
  const count = options.history ?? 0
  // Without history the statement is a plain lookup: the aggregate costs planning time (about 0.5 ms
  // on the embedded database) that a request which reads no history should not pay.
  const historyColumn =
    count > 0
      ? `(select json_agg(to_jsonb(h) - 'seq' order by h.seq)
          from (select seq, ${MESSAGE_COLUMNS} from messages
                where conversation_id = c.id order by seq desc limit $2) h)`
      : 'null::json'
  const { rows } = await q.query<
    ConversationRow & { tenant_origins: string[] | null; history: MessageRow[] | null }
  >(
    `select c.*, (select allowed_origins from tenants t where t.slug = c.tenant_slug) as tenant_origins,
       ${historyColumn} as history
     from conversations c where c.id = $1`,
    count > 0 ? [id, count] : [id],
  )
  const row = rows[0]
  if (!row) return undefined
  const { tenant_origins, history, ...conversation } = row
  return { conversation, origins: tenant_origins ?? [], history: history ?? [] }
}

export interface NewMessage {
  conversationId: string
  author: Author
  text: string
  lang?: Locale | null
  status?: MessageRow['status']
  mode?: MessageMode | null
  route?: { route: string; stage: string; reason: string; rules: string[] } | null
  citations?: Citation[]
  flags?: string[]
  /** The human mentor who wrote it (author `mentor`). */
  mentorId?: string
  /** The id of the user's message this reply answers: the reply's `route` is recorded on it too. */
  answers?: string
}

export async function addMessage(q: Queryable, m: NewMessage): Promise<MessageRow> {
  if (m.answers && !m.route) throw new Error("a reply that records its question's route needs the route")
  const { rows } = await q.query<MessageRow>(
    // One statement: the message, the conversation's last activity and, for a reply, the route of the
    // user's message it answers (the same decision, written once instead of in a statement of its own).
    `with touched as (update conversations set updated_at = now() where id = $1),
     routed as (
       update messages set route = $7, route_stage = $8, route_reason = $9, route_rules = $10
       where id = $14 and conversation_id = $1
     )
     insert into messages (conversation_id, author, text, lang, status, mode, route, route_stage, route_reason,
                           route_rules, citations, flags, mentor_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
     returning ${MESSAGE_COLUMNS}`,
    [
      m.conversationId,
      m.author,
      m.text,
      m.lang ?? null,
      m.status ?? 'complete',
      m.mode ?? null,
      m.route?.route ?? null,
      m.route?.stage ?? null,
      m.route?.reason ?? null,
      m.route?.rules ?? null,
      JSON.stringify(m.citations ?? []),
      m.flags ?? [],
      m.mentorId ?? null,
      m.answers ?? null,
    ],
  )
  return rows[0] as MessageRow
}

/** The last `count` messages, oldest first: enough context for a follow-up. */
export async function recentMessages(
  q: Queryable,
  conversationId: string,
  count: number,
): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>(
    `select ${MESSAGE_COLUMNS} from messages where conversation_id = $1 order by seq desc limit $2`,
    [conversationId, count],
  )
  return rows.reverse()
}

export async function listMessages(q: Queryable, conversationId: string): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>(
    `select ${MESSAGE_COLUMNS} from messages where conversation_id = $1 order by seq`,
    [conversationId],
  )
  return rows
}

export type HandoffRow = {
  id: string
  status: string
  reason_class: string
  created_at: string
}

export async function createHandoff(
  q: Queryable,
  h: {
    conversationId: string
    tenant: string
    messageId: string
    reasonClass: string
    reason: string
    channel: Channel
  },
): Promise<HandoffRow> {
  const transcript = await listMessages(q, h.conversationId)
  const { rows } = await q.query<HandoffRow>(
    `insert into handoffs (conversation_id, tenant_slug, message_id, reason_class, router_reason, transcript, channel)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7) returning id, status, reason_class, created_at`,
    [
      h.conversationId,
      h.tenant,
      h.messageId,
      h.reasonClass,
      h.reason,
      JSON.stringify(transcript.map((m) => ({ author: m.author, text: m.text, at: m.created_at }))),
      h.channel,
    ],
  )
  return rows[0] as HandoffRow
}

export async function openHandoffs(q: Queryable, conversationId: string): Promise<HandoffRow[]> {
  const { rows } = await q.query<HandoffRow>(
    `select id, status, reason_class, created_at from handoffs where conversation_id = $1 order by created_at`,
    [conversationId],
  )
  return rows
}

/** The conversation's ticket that a mentor has not answered yet (open or claimed), if any. */
export async function activeHandoff(q: Queryable, conversationId: string): Promise<HandoffRow | undefined> {
  const { rows } = await q.query<HandoffRow>(
    `select id, status, reason_class, created_at from handoffs
     where conversation_id = $1 and status in ('open', 'claimed') order by created_at desc limit 1`,
    [conversationId],
  )
  return rows[0]
}

/** Raises a ticket to a crisis: the conversation turned into one after it was handed over. */
export async function escalateHandoff(q: Queryable, id: string, reason: string): Promise<void> {
  await q.query(
    `update handoffs set reason_class = 'crisis', router_reason = $2, updated_at = now() where id = $1`,
    [id, reason],
  )
}

/** The user's contact address for a handoff of their conversation, stored with the time of consent. */
export async function setHandoffContact(
  q: Queryable,
  c: { conversationId: string; handoffId: string; email: string },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `update handoffs set contact_email = $3, contact_consent_at = now(), updated_at = now()
     where id = $1 and conversation_id = $2 and status in ('open', 'claimed', 'answered')`,
    [c.handoffId, c.conversationId, c.email],
  )
  return rowCount > 0
}

export async function recordKnowledgeGap(
  q: Queryable,
  gap: { tenant: string; conversationId: string; question: string; lang: Locale; bestScore: number | null },
): Promise<void> {
  await q.query(
    `insert into knowledge_gaps (tenant_slug, conversation_id, question, lang, best_score) values ($1, $2, $3, $4, $5)`,
    [gap.tenant, gap.conversationId, gap.question, gap.lang, gap.bestScore],
  )
}

/**
 * The user erases the conversation. Its messages go (their feedback with them), and so does everything
 * made from them: knowledge gaps, replies proposed for the corpus from its tickets, the announcements
 * of its tickets and mentor replies still on their way to its Teams chat. Its tickets stay as bare
 * records (reason, channel, times) for the queue's history, ended whatever their state: withdrawn while
 * no mentor had answered, closed once one had. Run it in one transaction; the deleted rows are still in
 * the database's files until a compaction (see compaction.ts).
 */
export async function eraseConversation(q: Queryable, id: string): Promise<void> {
  await q.query(
    `delete from outbox where topic = 'handoff.created'
       and payload->>'handoffId' in (select id::text from handoffs where conversation_id = $1)`,
    [id],
  )
  await q.query(
    `delete from outbox where topic = 'teams.reply' and payload->>'conversationId' =
       (select channel_ref->>'conversationId' from conversations where id = $1 and channel = 'teams')`,
    [id],
  )
  await q.query(
    'delete from corpus_suggestions where handoff_id in (select id from handoffs where conversation_id = $1)',
    [id],
  )
  await q.query('delete from knowledge_gaps where conversation_id = $1', [id])
  await q.query('delete from messages where conversation_id = $1', [id])
  await q.query(
    `update handoffs set status = case when status in ('open', 'claimed') then 'withdrawn' else 'closed' end,
       closed_at = coalesce(closed_at, now()), transcript = '[]', contact_email = null, contact_consent_at = null,
       router_reason = '', channel_ref = null, updated_at = now()
     where conversation_id = $1`,
    [id],
  )
  await q.query('update conversations set erased_at = now(), channel_ref = null, role = null where id = $1', [
    id,
  ])
}

export async function findMessageInConversation(
  q: Queryable,
  messageId: string,
): Promise<{ id: string; conversation_id: string; author: Author } | undefined> {
  const { rows } = await q.query<{ id: string; conversation_id: string; author: Author }>(
    'select id, conversation_id, author from messages where id = $1',
    [messageId],
  )
  return rows[0]
}

/** Who rated a reply: '' for the holder of the conversation's token, a hash for a Teams user. */
export function raterOf(teamsUserId: string | undefined): string {
  return teamsUserId ? `teams:${createHash('sha256').update(teamsUserId).digest('hex').slice(0, 32)}` : ''
}

/** One rating per message and rater: a second rating replaces the first (rating and comment). */
export async function addFeedback(
  q: Queryable,
  f: { messageId: string; rating: 'up' | 'down'; comment: string | null; rater?: string },
): Promise<{ id: string; created: boolean }> {
  const { rows } = await q.query<{ id: string; created: boolean }>(
    `insert into feedback (message_id, rating, comment, rater) values ($1, $2, $3, $4)
     on conflict (message_id, rater) do update
       set rating = excluded.rating, comment = excluded.comment, updated_at = now()
     returning id, (xmax = 0) as created`,
    [f.messageId, f.rating, f.comment, f.rater ?? ''],
  )
  return rows[0] as { id: string; created: boolean }
}
