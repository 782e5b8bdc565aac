// One mentor conversation per Teams conversation; its reference (service URL, ids) is kept so that a
// mentor's reply can be delivered proactively later.

import { type ConversationRow, openConversation } from '../../conversations/repository.ts'
import { newToken } from '../../conversations/tokens.ts'
import type { Database, Queryable } from '../../db/database.ts'

export type TeamsReference = {
  conversationId: string
  serviceUrl: string
  botId: string
  channelId: string
  tenantId?: string | undefined
}

/** The current (not erased) mentor conversation of a Teams conversation, if there is one. */
export async function findTeamsConversation(
  db: Queryable,
  teamsConversationId: string,
): Promise<ConversationRow | undefined> {
  const { rows } = await db.query<ConversationRow>(
    `select * from conversations where channel = 'teams' and channel_ref->>'conversationId' = $1 and erased_at is null`,
    [teamsConversationId],
  )
  return rows[0]
}

/** The mentor conversation of a Teams conversation; created (with the AI disclosure) on first contact. */
export async function teamsConversation(
  db: Database,
  ref: TeamsReference,
  tenant: string,
  locale: 'de' | 'en',
): Promise<{ conversation: ConversationRow; created: boolean }> {
  const existing = await findTeamsConversation(db, ref.conversationId)
  if (existing) return { conversation: existing, created: false }
  // Teams conversations are reached through the bot, never by token: the token is random and unused.
  const conversation = await openConversation(
    db,
    { tenant, channel: 'teams', locale, role: null, tokenHash: newToken().hash, channelRef: ref },
    { greeting: false },
  )
  return { conversation, created: true }
}

export async function teamsReference(
  db: Queryable,
  conversationId: string,
): Promise<TeamsReference | undefined> {
  const { rows } = await db.query<{ channel_ref: TeamsReference | null }>(
    `select channel_ref from conversations where id = $1 and channel = 'teams'`,
    [conversationId],
  )
  return rows[0]?.channel_ref ?? undefined
}
