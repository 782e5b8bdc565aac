// Conversations, messages, handoffs, feedback and knowledge gaps: the rows a turn writes and reads.

import { type Locale, t } from '../agents/texts.ts'
import type { Database, Queryable } from '../db/database.ts'
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
  db: Database,
  c: NewConversation,
  options: { greeting: boolean },
): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<ConversationRow>(
      `insert into conversations (tenant_slug, channel, locale, role, token_hash, channel_ref)
       values ($1, $2, $3, $4, $5, $6::jsonb) returning *`,
      [
        c.tenant,
        c.channel,
        c.locale,
        c.role,
        c.tokenHash,
        c.channelRef === undefined ? null : JSON.stringify(c.channelRef),
      ],
    )
    const row = rows[0] as ConversationRow
    const text = t(c.locale)
    await addMessage(tx, { conversationId: row.id, author: 'system', text: text.disclosure, lang: c.locale })
    if (options.greeting)
      await addMessage(tx, {
        conversationId: row.id,
        author: 'assistant',
        text: text.greeting,
        lang: c.locale,
      })
    return row
  })
}

export async function findConversation(q: Queryable, id: string): Promise<ConversationRow | undefined> {
  const { rows } = await q.query<ConversationRow>('select * from conversations where id = $1', [id])
  return rows[0]
}

export async function tenantExists(q: Queryable, slug: string): Promise<boolean> {
  const { rows } = await q.query('select 1 from tenants where slug = $1', [slug])
  return rows.length > 0
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
}

export async function addMessage(q: Queryable, m: NewMessage): Promise<MessageRow> {
  const { rows } = await q.query<MessageRow>(
    // One statement: the message and the conversation's last activity.
    `with touched as (update conversations set updated_at = now() where id = $1)
     insert into messages (conversation_id, author, text, lang, status, mode, route, route_stage, route_reason,
                           route_rules, citations, flags, mentor_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
     returning id, author, text, status, mode, route, citations, lang, flags, created_at`,
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
    ],
  )
  return rows[0] as MessageRow
}

/** Records the router's decision on the user's message it was made for. */
export async function recordRoute(
  q: Queryable,
  messageId: string,
  route: { route: string; stage: string; reason: string; rules: string[] },
): Promise<void> {
  await q.query(
    'update messages set route = $2, route_stage = $3, route_reason = $4, route_rules = $5 where id = $1',
    [messageId, route.route, route.stage, route.reason, route.rules],
  )
}

/** The last `count` messages, oldest first: enough context for a follow-up. */
export async function recentMessages(
  q: Queryable,
  conversationId: string,
  count: number,
): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>(
    `select id, author, text, status, mode, route, citations, lang, flags, created_at from messages
     where conversation_id = $1 order by seq desc limit $2`,
    [conversationId, count],
  )
  return rows.reverse()
}

export async function listMessages(q: Queryable, conversationId: string): Promise<MessageRow[]> {
  const { rows } = await q.query<MessageRow>(
    `select id, author, text, status, mode, route, citations, lang, flags, created_at from messages
     where conversation_id = $1 order by seq`,
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

/** The user erases the conversation: texts are deleted, open handoffs are withdrawn. */
export async function eraseConversation(q: Queryable, id: string): Promise<void> {
  await q.query('delete from messages where conversation_id = $1', [id])
  await q.query(
    `update handoffs set status = case when status in ('answered', 'closed') then status else 'withdrawn' end,
       transcript = '[]', contact_email = null, router_reason = '', updated_at = now()
     where conversation_id = $1`,
    [id],
  )
  await q.query(
    `update knowledge_gaps set question = '', conversation_id = null where conversation_id = $1`,
    [id],
  )
  await q.query('update conversations set erased_at = now(), channel_ref = null where id = $1', [id])
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

export async function addFeedback(
  q: Queryable,
  f: { messageId: string; rating: 'up' | 'down'; comment: string | null },
): Promise<{ id: string }> {
  const { rows } = await q.query<{ id: string }>(
    'insert into feedback (message_id, rating, comment) values ($1, $2, $3) returning id',
    [f.messageId, f.rating, f.comment],
  )
  return rows[0] as { id: string }
}
