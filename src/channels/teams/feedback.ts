// Teams' feedback buttons: a `message/submitAction` invoke with `actionName: "feedback"`, the reaction
// (like, dislike) and the form's text as a JSON string (`{"feedbackText": "…"}`). `replyToId` names
// the rated message as Teams knows it: the stream's id for a streamed answer, the message's id
// otherwise; both are kept as the message's external id when it is sent.
import { z } from 'zod'
import { addFeedback, raterOf } from '../../conversations/repository.ts'
import type { Queryable } from '../../db/database.ts'
import type { Activity } from './incoming.ts'

// The same bound as a feedback comment through the API.
const MAX_COMMENT = 2000

const Submit = z.object({
  actionName: z.literal('feedback'),
  actionValue: z.object({
    reaction: z.enum(['like', 'dislike']),
    feedback: z.string().optional(),
  }),
})

/** The text a user wrote in the feedback form; none when the form was left empty or is unreadable. */
function feedbackText(raw: string | undefined): string | null {
  if (!raw) return null
  let text: unknown
  try {
    text = (JSON.parse(raw) as { feedbackText?: unknown }).feedbackText
  } catch {
    return null
  }
  if (typeof text !== 'string') return null
  // Text Postgres can store: no NUL characters, no unpaired surrogates.
  const clean = text.replaceAll('\u0000', '').toWellFormed().trim().slice(0, MAX_COMMENT)
  return clean || null
}

/** The message of this Teams conversation that Teams calls `externalId`. */
export async function teamsMessageId(
  db: Queryable,
  teamsConversationId: string,
  externalId: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `select m.id from messages m join conversations c on c.id = m.conversation_id
     where m.external_id = $1 and c.channel = 'teams' and c.channel_ref->>'conversationId' = $2`,
    [externalId, teamsConversationId],
  )
  return rows[0]?.id
}

/** Stores the rating of a feedback invoke; true when it named a message of this conversation. */
export async function storeFeedback(db: Queryable, activity: Activity): Promise<boolean> {
  if (activity.name !== 'message/submitAction' || !activity.replyToId) return false
  const submit = Submit.safeParse(activity.value)
  if (!submit.success) return false
  const messageId = await teamsMessageId(db, activity.conversation.id, activity.replyToId)
  if (!messageId) return false
  await addFeedback(db, {
    messageId,
    rating: submit.data.actionValue.reaction === 'like' ? 'up' : 'down',
    comment: feedbackText(submit.data.actionValue.feedback),
    // One rating per person and message: a second rating replaces the first.
    rater: raterOf(activity.from?.id),
  })
  return true
}
