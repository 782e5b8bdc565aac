// Follow-up questions: with a model, condensed into a standalone question; without one, a heuristic.
import type { MessageRow } from '../conversations/repository.ts'
import { contentStems, foldText } from '../retrieval/embedders/text-features.ts'
import type { ChatModel } from './models.ts'
import { redactPersonalData } from './pii.ts'
import { condenseMessages } from './prompts/condense.ts'

// A short message that starts like a continuation or points back ("und dazu?", "what about pilots?")
// is searched together with the question before it.
const FOLLOW_UP_START =
  /^(und|aber|auch|was ist mit|wie ist es mit|gilt das|and|but|also|what about|how about|does that|is that)\b/i
const FOLLOW_UP_REFERENCE = /\b(das|dazu|davon|daruber|dafur|dies|diese[srnm]?|it|this|that|these|those)\b/i

/**
 * The longest standalone question: as long as a search query may be (POST /v1/search). A question is
 * far shorter; a longer one would only make every later step (redaction, search, the prompt) costlier.
 */
export const MAX_STANDALONE_CHARS = 1000

export function isFollowUp(text: string): boolean {
  const words = contentStems(text).length
  if (words <= 1) return true
  return words <= 4 && (FOLLOW_UP_START.test(text.trim()) || FOLLOW_UP_REFERENCE.test(foldText(text)))
}

/** The question to search for. A model failure falls back to the heuristic: retrieval never waits on it. */
export async function standaloneQuestion(
  text: string,
  history: readonly MessageRow[],
  model: ChatModel | undefined,
  signal?: AbortSignal,
): Promise<string> {
  const previous = [...history].reverse().find((m) => m.author === 'user')?.text
  if (!previous) return text
  if (model) {
    try {
      const redacted = history.map((m) => ({ author: m.author, text: redactPersonalData(m.text) }))
      const result = await model.invoke(
        condenseMessages(redacted, redactPersonalData(text)),
        signal ? { signal } : {},
      )
      const question = typeof result.content === 'string' ? result.content.trim() : ''
      if (question.length >= 3 && question.length <= MAX_STANDALONE_CHARS) return question
    } catch {
      // fall through to the heuristic
    }
  }
  return isFollowUp(text) ? joined(previous, text) : text
}

/**
 * The previous question and the follow-up as one, at most MAX_STANDALONE_CHARS long: the follow-up
 * whole, as much of the previous question's beginning (where its topic is) as fits before it.
 */
function joined(previous: string, followUp: string): string {
  if (followUp.length >= MAX_STANDALONE_CHARS - 1) return followUp.slice(0, MAX_STANDALONE_CHARS)
  const room = MAX_STANDALONE_CHARS - followUp.length - 1
  if (previous.length <= room) return `${previous} ${followUp}`
  // Cut at a space, so that no half word is searched for.
  const head = previous.slice(0, room)
  const space = head.lastIndexOf(' ')
  return `${space > 0 ? head.slice(0, space) : head} ${followUp}`
}
