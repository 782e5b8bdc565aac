// Generated answers: the model streams an answer over the delimited sources; citations are checked
// afterwards, and an answer in the wrong language or without any citation is withheld. A model that fails gives way to the offline answer; a cut stream leaves a marked partial.
import type { AIMessageChunk, BaseMessageLike } from '@langchain/core/messages'
import { detectTextLang } from '../retrieval/embedders/text-features.ts'
import type { SearchHit } from '../retrieval/search.ts'
import { checkCitations } from './citations.ts'
import type { ChatModel } from './models.ts'
import { redactPersonalData } from './pii.ts'
import { answerMessages, NOT_COVERED } from './prompts/answer.ts'
import type { Locale } from './texts.ts'

export type GenerationEvent =
  | { type: 'token'; text: string }
  | {
      type: 'complete'
      text: string
      citations: ReturnType<typeof checkCitations>['citations']
      flags: string[]
    }
  | { type: 'failed'; partial: string }
  /** The model answered, but not in a way that may reach the user. */
  | { type: 'rejected'; reason: RejectionReason }
  /** The model found that the sources do not cover the question. */
  | { type: 'not_covered' }

/**
 * Why a finished answer is withheld: written in another language than the question, or citing none of
 * the sources (an answer that ignores them is not grounded, whatever it says).
 */
export type RejectionReason = 'wrong_language' | 'uncited'

const textOf = (chunk: AIMessageChunk): string =>
  typeof chunk.content === 'string'
    ? chunk.content
    : chunk.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('')

/**
 * What a caller other than the chat may change: the prompt (drafts write a letter's body) and a tidy-up
 * of the finished text before its citations are checked (a draft drops the greeting a model wrote).
 */
export interface GenerationShape {
  messages: (locale: Locale, question: string, hits: readonly SearchHit[]) => BaseMessageLike[]
  tidy?: (text: string) => string
}

export async function* generateAnswer(
  model: ChatModel,
  locale: Locale,
  question: string,
  hits: readonly SearchHit[],
  signal?: AbortSignal,
  shape: GenerationShape = { messages: answerMessages },
): AsyncGenerator<GenerationEvent> {
  let text = ''
  // How much of the text was passed on as tokens.
  let shown = 0
  // A stream that ends without a finish reason was cut off, even when no error surfaced.
  let finished = false
  try {
    const stream = await model.stream(
      shape.messages(locale, redactPersonalData(question), hits),
      signal ? { signal } : {},
    )
    for await (const chunk of stream) {
      if ((chunk as AIMessageChunk).response_metadata?.finish_reason) finished = true
      const piece = textOf(chunk as AIMessageChunk)
      if (!piece) continue
      text += piece
      // Held back while the answer may still become the not-covered signal, which users never see.
      if (NOT_COVERED.startsWith(text.trim())) continue
      yield { type: 'token', text: text.slice(shown) }
      shown = text.length
    }
  } catch {
    finished = false
  }
  if (!finished || !text.trim()) {
    yield { type: 'failed', partial: text.trim() ? text : '' }
    return
  }
  if (text.trim() === NOT_COVERED) {
    yield { type: 'not_covered' }
    return
  }
  const checked = checkCitations(shape.tidy ? shape.tidy(text) : text, hits)
  if (detectTextLang(checked.text, locale) !== locale) {
    yield { type: 'rejected', reason: 'wrong_language' }
    return
  }
  if (checked.uncited) {
    yield { type: 'rejected', reason: 'uncited' }
    return
  }
  const flags = checked.removed > 0 ? ['unknown_citations_removed'] : []
  yield { type: 'complete', text: checked.text, citations: checked.citations, flags }
}
