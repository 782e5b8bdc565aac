// The user's data in Teams: "Meine Daten exportieren" / "Export my data" posts everything stored about
// the chat as JSON into it; "Meine Daten löschen" / "Delete my data" asks for confirmation with a
// card, and its button erases the conversation as DELETE /v1/conversations/{id} does. Personal chats
// only: a group chat's conversation belongs to all its members.
import { t } from '../../agents/texts.ts'
import type { Compactor } from '../../conversations/compaction.ts'
import { exportConversation } from '../../conversations/export.ts'
import { eraseConversation } from '../../conversations/repository.ts'
import type { Database } from '../../db/database.ts'
import type { Logger } from '../../log.ts'
import { plainActivity } from './activities.ts'
import { adaptiveCardMessage } from './adaptive-card.ts'
import type { Activity } from './connector.ts'
import { findTeamsConversation } from './conversations.ts'

/** What the buttons of the confirmation card send back (the `value` of a message activity). */
export const ERASE_ACTION = 'data.erase'
export const CANCEL_ACTION = 'data.cancel'

// The whole message must be the command: "Wie lösche ich meine Daten im CRM?" is a question.
const EXPORT_COMMANDS = new Set([
  'meine daten exportieren',
  'daten exportieren',
  'export my data',
  'export data',
])
const ERASE_COMMANDS = new Set([
  'meine daten löschen',
  'meine daten loeschen',
  'daten löschen',
  'delete my data',
  'erase my data',
  'delete data',
])

// Teams takes activities up to about 28 KB; an export is sent in parts of at most this many characters
// (at most two bytes each in UTF-8 for German text, and JSON escapes the rest).
const PART_CHARS = 12_000

export function dataCommand(text: string): 'export' | 'erase' | undefined {
  const folded = text
    .toLowerCase()
    .replace(/[.!?„“"':]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  if (EXPORT_COMMANDS.has(folded)) return 'export'
  if (ERASE_COMMANDS.has(folded)) return 'erase'
  return undefined
}

export interface DataRequest {
  /** The activity's `value` (a card button), if any. */
  value: unknown
  /** The text addressed to the bot, its mention removed. */
  text: string
  teamsConversationId: string
  locale: 'de' | 'en'
  /** A personal chat (data commands work only there). */
  personal: boolean
  /** The bot is addressed: a personal chat, or mentioned in a group. */
  addressed: boolean
  reply: (activity: Activity) => Promise<unknown>
}

/** Handles a data command or a confirmation button; false when the activity is neither. */
export async function handleDataRequest(
  deps: { database: Database; compactor?: Compactor | undefined; logger?: Logger | undefined },
  request: DataRequest,
): Promise<boolean> {
  const text = t(request.locale).data
  const action = (request.value as { action?: unknown } | undefined)?.action
  const command = action === undefined ? dataCommand(request.text) : undefined
  if (action !== ERASE_ACTION && action !== CANCEL_ACTION && !command) return false
  if (!request.addressed) return true
  if (!request.personal) {
    await request.reply(plainActivity(text.personalOnly))
    return true
  }
  const conversation = await findTeamsConversation(deps.database, request.teamsConversationId)

  if (action === CANCEL_ACTION) {
    await request.reply(plainActivity(text.cancelled))
    return true
  }
  if (action === ERASE_ACTION) {
    // The card names the conversation it was shown for: a card from before an erasure erases nothing new.
    const named = (request.value as { conversation?: unknown }).conversation
    if (!conversation || named !== conversation.id) {
      await request.reply(plainActivity(text.expired))
      return true
    }
    await deps.database.transaction((tx) => eraseConversation(tx, conversation.id))
    deps.logger?.info('conversation erased', { conversationId: conversation.id })
    deps.compactor?.request()
    await request.reply(plainActivity(text.erased))
    return true
  }
  if (!conversation) {
    await request.reply(plainActivity(text.nothingStored))
    return true
  }
  if (command === 'erase') {
    await request.reply(
      adaptiveCardMessage(
        [{ type: 'TextBlock', text: text.eraseQuestion, wrap: true }],
        [
          {
            type: 'Action.Submit',
            title: text.eraseConfirm,
            style: 'destructive',
            data: { action: ERASE_ACTION, conversation: conversation.id },
          },
          { type: 'Action.Submit', title: text.eraseCancel, data: { action: CANCEL_ACTION } },
        ],
      ),
    )
    return true
  }
  const data = await exportConversation(deps.database, conversation.id)
  const parts = splitLines(JSON.stringify(data, null, 2), PART_CHARS)
  for (const [i, part] of parts.entries()) {
    const heading = text.exportHeading
      .replace('{part}', String(i + 1))
      .replace('{parts}', String(parts.length))
    await request.reply(plainActivity(`${heading}\n\n${part}`))
  }
  return true
}

/** Cuts text into parts of at most `max` characters, at line ends where there are any. */
function splitLines(text: string, max: number): string[] {
  const parts: string[] = []
  let current = ''
  for (const line of text.split('\n')) {
    for (let start = 0; start < Math.max(line.length, 1); start += max) {
      const piece = line.slice(start, start + max)
      if (current && current.length + 1 + piece.length > max) {
        parts.push(current)
        current = piece
      } else current = current ? `${current}\n${piece}` : piece
    }
  }
  if (current) parts.push(current)
  return parts
}
