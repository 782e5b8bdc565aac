// msw handlers that speak the OpenAI wire format, for tests that configure an OpenAI-compatible endpoint.
import { HttpResponse, http } from 'msw'

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
