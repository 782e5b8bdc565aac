// What the bot reads from an activity Teams sends: the schema (as loose as the Bot Framework's own
// where the bot does not depend on a field), the conversation's reference, the addressing of replies,
// and the text addressed to the bot (its own mention removed, other people's names kept).
import { z } from 'zod'
import type { Locale } from '../../agents/texts.ts'
import type { Address } from './activities.ts'
import type { TeamsReference } from './conversations.ts'

const Account = z.looseObject({ id: z.string(), name: z.string().nullish() })

export const Activity = z.looseObject({
  type: z.string(),
  id: z.string().nullish(),
  serviceUrl: z.string(),
  channelId: z.string(),
  conversation: z.looseObject({ id: z.string(), conversationType: z.string().nullish() }),
  from: Account.nullish(),
  recipient: Account,
  text: z.string().nullish(),
  locale: z.string().nullish(),
  name: z.string().nullish(),
  value: z.unknown().optional(),
  replyToId: z.string().nullish(),
  entities: z.array(z.unknown()).nullish(),
  membersAdded: z.array(z.unknown()).nullish(),
  channelData: z.looseObject({ tenant: z.looseObject({ id: z.string() }).nullish() }).nullish(),
})
export type Activity = z.infer<typeof Activity>

/**
 * What the token is checked against before the body is parsed strictly: the serviceUrl and channelId,
 * when the body has them as text.
 */
export function claimedOrigin(body: unknown): { serviceUrl?: string; channelId?: string } {
  const { serviceUrl, channelId } = (body ?? {}) as { serviceUrl?: unknown; channelId?: unknown }
  return {
    ...(typeof serviceUrl === 'string' ? { serviceUrl } : {}),
    ...(typeof channelId === 'string' ? { channelId } : {}),
  }
}

/** Where in the activity it failed the schema: field paths only, never values (they hold text). */
export const schemaProblems = (error: z.ZodError) =>
  [...new Set(error.issues.map((issue) => issue.path.join('.') || '(body)'))].slice(0, 5)

export const localeOf = (activity: Activity): Locale =>
  activity.locale?.toLowerCase().startsWith('en') ? 'en' : 'de'

export const isPersonal = (activity: Activity) =>
  (activity.conversation.conversationType ?? 'personal') === 'personal'

export const referenceOf = (activity: Activity): TeamsReference => ({
  conversationId: activity.conversation.id,
  serviceUrl: activity.serviceUrl,
  botId: activity.recipient.id,
  channelId: activity.channelId,
  tenantId: activity.channelData?.tenant?.id,
})

const account = (a: { id: string; name?: string | null | undefined }) => ({
  id: a.id,
  ...(a.name ? { name: a.name } : {}),
})

/** A reply comes from the bot (the activity's recipient) and goes to whoever sent the activity. */
export const replyAddress = (activity: Activity): Address => ({
  from: account(activity.recipient),
  recipient: activity.from ? account(activity.from) : undefined,
  conversation: { id: activity.conversation.id },
})

type Mention = { type: 'mention'; mentioned?: { id?: unknown; name?: unknown }; text?: unknown }

const mentions = (activity: Activity): Mention[] =>
  (activity.entities ?? []).filter(
    (e): e is Mention => typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'mention',
  )

export const mentionsBot = (activity: Activity) =>
  mentions(activity).some((m) => m.mentioned?.id === activity.recipient.id)

/**
 * The text addressed to the bot: the bot's own mention (the text of its mention entity, or
 * `<at>its name</at>`) removed; anyone else mentioned stays in the text by name.
 */
export function textForBot(activity: Activity): string {
  let text = activity.text ?? ''
  for (const mention of mentions(activity)) {
    if (mention.mentioned?.id !== activity.recipient.id) continue
    const tags = [mention.text, `<at>${String(mention.mentioned?.name ?? '')}</at>`]
    for (const tag of tags)
      if (typeof tag === 'string' && tag !== '<at></at>') text = text.replaceAll(tag, ' ')
  }
  return text
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/\s+/g, ' ')
    .trim()
}
