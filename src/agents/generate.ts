// Generated answers: the model streams an answer over the delimited sources; citations are checked
// afterwards. A model that fails gives way to the offline answer; a cut stream leaves a marked partial.
import type { AIMessageChunk } from '@langchain/core/messages'
import type { SearchHit } from '../retrieval/search.ts'
import { checkCitations } from './citations.ts'
import type { ChatModel } from './models.ts'
import { redactPersonalData } from './pii.ts'
import { answerMessages } from './prompts/answer.ts'
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

const textOf = (chunk: AIMessageChunk): string =>
  typeof chunk.content === 'string'
    ? chunk.content
    : chunk.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('')

export async function* generateAnswer(
  model: ChatModel,
  locale: Locale,
  question: string,
  hits: readonly SearchHit[],
  signal?: AbortSignal,
): AsyncGenerator<GenerationEvent> {
  let text = ''
  // A stream that ends without a finish reason was cut off, even when no error surfaced.
  let finished = false
  try {
    const stream = await model.stream(
      answerMessages(locale, redactPersonalData(question), hits),
      signal ? { signal } : {},
    )
    for await (const chunk of stream) {
      if ((chunk as AIMessageChunk).response_metadata?.finish_reason) finished = true
      const piece = textOf(chunk as AIMessageChunk)
      if (!piece) continue
      text += piece
      yield { type: 'token', text: piece }
    }
  } catch {
    finished = false
  }
  if (!finished || !text.trim()) {
    yield { type: 'failed', partial: text.trim() ? text : '' }
    return
  }
  const checked = checkCitations(text, hits)
  const flags = [
    ...(checked.removed > 0 ? ['unknown_citations_removed'] : []),
    ...(checked.uncited ? ['uncited'] : []),
  ]
  yield { type: 'complete', text: checked.text, citations: checked.citations, flags }
}
