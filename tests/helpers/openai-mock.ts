// msw handlers that speak the OpenAI wire format, for tests that configure an OpenAI-compatible endpoint.
import { delay, HttpResponse, http } from 'msw'
import { chunkEvent, DONE_EVENT, textCompletion, toolCallCompletion } from './openai-wire.ts'

export const OPENAI_BASE = 'https://api.openai.com/v1'

/** A stand-in embeddings model: word hashing into `dims` dimensions, unit length. */
export function fakeEmbedding(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0)
  for (const word of text.toLowerCase().split(/\W+/u).filter(Boolean)) {
    let h = 7
    for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) >>> 0
    vector[h % dims] = (vector[h % dims] ?? 0) + 1
  }
  const norm = Math.hypot(...vector) || 1
  return vector.map((v) => v / norm)
}

const toBase64 = (vector: number[]) => Buffer.from(new Float32Array(vector).buffer).toString('base64')

export interface EmbeddingsCall {
  model: string
  input: string[]
  encoding_format?: string
  dimensions?: number
}

/** POST /embeddings: answers in the format asked for (the SDK asks for base64 by default). */
export function embeddingsHandler(options: {
  nativeDimensions: number
  calls?: EmbeddingsCall[]
  base?: string
}) {
  return http.post(`${options.base ?? OPENAI_BASE}/embeddings`, async ({ request }) => {
    const body = (await request.json()) as EmbeddingsCall & { input: string | string[] }
    const input = Array.isArray(body.input) ? body.input : [body.input]
    options.calls?.push({ ...body, input })
    const dims = body.dimensions ?? options.nativeDimensions
    return HttpResponse.json({
      object: 'list',
      model: body.model,
      data: input.map((text, index) => {
        const vector = fakeEmbedding(text, dims)
        return {
          object: 'embedding',
          index,
          embedding: body.encoding_format === 'base64' ? toBase64(vector) : vector,
        }
      }),
      usage: { prompt_tokens: input.join(' ').length, total_tokens: input.join(' ').length },
    })
  })
}

export interface ChatCall {
  kind: 'route' | 'answer' | 'complete'
  body: {
    model: string
    messages: Array<{ role: string; content: string }>
    stream?: boolean
    tools?: unknown[]
  }
}

export interface ChatScript {
  /** Structured routing answer; omitted: the endpoint fails with 500 for routing calls. */
  route?: (text: string) => { route: string; confidence: number; reason: string }
  /** The streamed answer, in pieces; `cutAfter` closes the connection after that many pieces. */
  answer?: (prompt: string) => { pieces: string[]; cutAfter?: number } | { status: number }
  /** Plain completions (condensing follow-ups). */
  complete?: (prompt: string) => string
  /** Milliseconds before each response starts (a slow model); `infinite` never answers. */
  delayMs?: number | 'infinite'
}

/** POST /chat/completions in the OpenAI wire format: tool calls, streamed chunks, plain completions, errors. */
export function chatHandler(script: ChatScript, calls: ChatCall[] = [], base = OPENAI_BASE) {
  return http.post(`${base}/chat/completions`, async ({ request }) => {
    const body = (await request.json()) as ChatCall['body']
    const last = body.messages.at(-1)?.content ?? ''
    if (script.delayMs !== undefined) await delay(script.delayMs)
    if (body.tools) {
      calls.push({ kind: 'route', body })
      if (!script.route)
        return HttpResponse.json({ error: { message: 'boom', type: 'server_error' } }, { status: 500 })
      const message = /<message>\n([\s\S]*)\n<\/message>/.exec(last)?.[1] ?? last
      const name = (body.tools[0] as { function: { name: string } }).function.name
      return HttpResponse.json(toolCallCompletion(body.model, name, script.route(message)))
    }
    if (body.stream) {
      calls.push({ kind: 'answer', body })
      const planned = script.answer?.(last) ?? { status: 500 }
      if ('status' in planned) {
        return HttpResponse.json(
          { error: { message: 'upstream failure', type: 'server_error' } },
          { status: planned.status },
        )
      }
      const encoder = new TextEncoder()
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          planned.pieces.forEach((piece, i) => {
            if (planned.cutAfter !== undefined && i >= planned.cutAfter) return
            controller.enqueue(encoder.encode(chunkEvent(piece)))
          })
          if (planned.cutAfter !== undefined) {
            // The connection closes mid-answer: no finish reason, no [DONE].
            controller.close()
            return
          }
          controller.enqueue(encoder.encode(chunkEvent(null, 'stop')))
          controller.enqueue(encoder.encode(DONE_EVENT))
          controller.close()
        },
      })
      return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } })
    }
    calls.push({ kind: 'complete', body })
    return HttpResponse.json(textCompletion(body.model, script.complete?.(last) ?? ''))
  })
}
