// Everything stored about one conversation, for its owner (GDPR Art. 15 access, Art. 20 portability).
import type { Queryable } from '../db/database.ts'

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString())

export async function exportConversation(q: Queryable, id: string) {
  const conversation = (
    await q.query<{
      id: string
      tenant_slug: string
      channel: string
      locale: string
      role: string | null
      created_at: string
      updated_at: string
    }>(
      'select id, tenant_slug, channel, locale, role, created_at, updated_at from conversations where id = $1',
      [id],
    )
  ).rows[0]
  if (!conversation) return undefined
  const messages = await q.query<{
    id: string
    author: string
    text: string
    status: string
    mode: string | null
    route: string | null
    route_reason: string | null
    citations: unknown[]
    lang: string | null
    flags: string[]
    created_at: string
  }>(
    `select id, author, text, status, mode, route, route_reason, citations, lang, flags, created_at
     from messages where conversation_id = $1 order by seq`,
    [id],
  )
  const handoffs = await q.query<{
    id: string
    status: string
    reason_class: string
    channel: string
    contact_email: string | null
    contact_consent_at: string | null
    created_at: string
    claimed_at: string | null
    answered_at: string | null
    closed_at: string | null
  }>(
    `select id, status, reason_class, channel, contact_email, contact_consent_at, created_at, claimed_at,
            answered_at, closed_at
     from handoffs where conversation_id = $1 order by created_at`,
    [id],
  )
  const feedback = await q.query<{
    id: string
    message_id: string
    rating: string
    comment: string | null
    created_at: string
    updated_at: string
  }>(
    `select f.id, f.message_id, f.rating, f.comment, f.created_at, f.updated_at
     from feedback f join messages m on m.id = f.message_id
     where m.conversation_id = $1 order by f.created_at`,
    [id],
  )
  // What a mentor proposed for the corpus from this conversation's tickets: the question and the reply.
  const suggestions = await q.query<{
    id: string
    handoff_id: string
    question: string
    reply: string
    status: string
    created_at: string
  }>(
    `select s.id, s.handoff_id, s.question, s.reply, s.status, s.created_at
     from corpus_suggestions s join handoffs h on h.id = s.handoff_id
     where h.conversation_id = $1 order by s.created_at`,
    [id],
  )
  const gaps = await q.query<{ question: string; lang: string; created_at: string }>(
    `select question, lang, created_at from knowledge_gaps where conversation_id = $1 order by created_at`,
    [id],
  )
  return {
    conversation: {
      id: conversation.id,
      tenant: conversation.tenant_slug,
      channel: conversation.channel,
      locale: conversation.locale,
      role: conversation.role,
      createdAt: iso(conversation.created_at),
      lastActivityAt: iso(conversation.updated_at),
    },
    messages: messages.rows.map((m) => ({
      id: m.id,
      author: m.author,
      text: m.text,
      status: m.status,
      mode: m.mode,
      route: m.route,
      routeReason: m.route_reason,
      citations: m.citations,
      lang: m.lang,
      flags: m.flags,
      createdAt: iso(m.created_at),
    })),
    handoffs: handoffs.rows.map((h) => ({
      id: h.id,
      status: h.status,
      reason: h.reason_class,
      channel: h.channel,
      contactEmail: h.contact_email,
      contactConsentAt: iso(h.contact_consent_at),
      createdAt: iso(h.created_at),
      claimedAt: iso(h.claimed_at),
      answeredAt: iso(h.answered_at),
      closedAt: iso(h.closed_at),
    })),
    feedback: feedback.rows.map((f) => ({
      id: f.id,
      messageId: f.message_id,
      rating: f.rating,
      comment: f.comment,
      createdAt: iso(f.created_at),
      updatedAt: iso(f.updated_at),
    })),
    knowledgeGaps: gaps.rows.map((g) => ({
      question: g.question,
      lang: g.lang,
      createdAt: iso(g.created_at),
    })),
    corpusSuggestions: suggestions.rows.map((s) => ({
      id: s.id,
      handoffId: s.handoff_id,
      question: s.question,
      reply: s.reply,
      status: s.status,
      createdAt: iso(s.created_at),
    })),
  }
}

export type ConversationExport = NonNullable<Awaited<ReturnType<typeof exportConversation>>>
