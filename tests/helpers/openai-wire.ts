// Bodies in the OpenAI Chat Completions wire format, shared by the msw mocks and the benchmark stub.

/** A completion whose answer is one function call (how structured output arrives). */
export function toolCallCompletion(model: string, name: string, args: unknown) {
  return {
    id: 'chatcmpl-route',
    object: 'chat.completion',
    created: 1_764_000_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name, arguments: JSON.stringify(args) } },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 },
  }
}

/** One server-sent `chat.completion.chunk` event; `null` content with a finish reason ends the answer. */
export function chunkEvent(content: string | null, finish: string | null = null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-stream',
    object: 'chat.completion.chunk',
    created: 1_764_000_000,
    model: 'gpt-4o-mini',
    choices: [
      { index: 0, delta: content === null ? {} : { role: 'assistant', content }, finish_reason: finish },
    ],
  })}\n\n`
}

export const DONE_EVENT = 'data: [DONE]\n\n'

/** A plain (not streamed) completion with one text answer. */
export function completion(content: string) {
  return {
    id: 'chatcmpl-complete',
    object: 'chat.completion',
    created: 1_764_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
  }
}
