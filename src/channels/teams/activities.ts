// The activities the bot sends: typing, answers labelled as AI-generated with Teams citations and
// feedback buttons, the handoff message with its card, the welcome with the AI disclosure, and mentor
// replies; and the addressing Microsoft's REST reference asks of a reply.
import type { Citation } from '../../conversations/repository.ts'
import { adaptiveCardMessage } from './adaptive-card.ts'
import type { Activity } from './connector.ts'

// Teams shows at most this many citations, with names and abstracts of these lengths.
const MAX_CITATIONS = 20
const MAX_NAME = 80
const MAX_ABSTRACT = 160

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

export const typing = (): Activity => ({ type: 'typing' })

type Account = { id: string; name?: string | undefined }

/** Who a reply is from and to, in which conversation: the incoming activity's parties swapped. */
export interface Address {
  from: Account
  recipient?: Account | undefined
  conversation: { id: string }
}

/** The activity with its addressing, and the activity it answers (`replyToId`) when given. */
export function addressed(activity: Activity, address: Address, replyToId?: string): Activity {
  return {
    ...activity,
    from: address.from,
    ...(address.recipient ? { recipient: address.recipient } : {}),
    conversation: address.conversation,
    ...(replyToId ? { replyToId } : {}),
  }
}

/** What a card button sends back (as the `value` of a message activity) to ask for a person. */
export const HANDOFF_ACTION = 'handoff'

/** A card with one button that asks for a human mentor (Action.Submit; see HANDOFF_ACTION). */
export function handoffActionAttachment(title: string) {
  return {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: {
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      body: [],
      actions: [{ type: 'Action.Submit', title, data: { action: HANDOFF_ACTION } }],
    },
  }
}

/**
 * An answer of the Digital-Mentor: the "AI generated" label, its sources as citations, feedback
 * buttons, and, when the answer offers a mentor, the button that asks for one.
 */
export function answerActivity(
  text: string,
  citations: readonly Citation[],
  options: { offerTitle?: string | undefined; stand?: (reviewed: string) => string } = {},
): Activity {
  const { offerTitle, stand } = options
  return {
    type: 'message',
    text,
    textFormat: 'markdown',
    // Teams' feedback buttons with its default form; the rating arrives as a message/submitAction invoke.
    channelData: { feedbackLoop: { type: 'default' } },
    ...(offerTitle ? { attachments: [handoffActionAttachment(offerTitle)] } : {}),
    entities: [
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        '@id': '',
        additionalType: ['AIGeneratedContent'],
        citation: citations.slice(0, MAX_CITATIONS).map((c) => ({
          '@type': 'Claim',
          position: c.n,
          appearance: {
            '@type': 'DigitalDocument',
            name: cut(c.title, MAX_NAME),
            abstract: cut(
              c.reviewed && stand ? `${c.heading} · ${stand(c.reviewed)}` : c.heading,
              MAX_ABSTRACT,
            ),
            ...(c.url ? { url: c.url } : {}),
          },
        })),
      },
    ],
  }
}

/**
 * A handoff: the explanation as the message's text (what a stream streamed, and what notifications
 * and screen readers show), under it a card that marks the conversation as handed over. The mentor's
 * reply follows later.
 */
export function handoffActivity(text: string, title: string): Activity {
  return {
    ...adaptiveCardMessage([{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }]),
    text,
    textFormat: 'markdown',
  }
}

export const plainActivity = (text: string): Activity => ({ type: 'message', text, textFormat: 'plain' })
