// Chooses the embedder from the configuration: OpenAI-compatible with a key, the local one without.
import type { Config } from '../../config.ts'
import type { Embedder } from './embedder.ts'
import { createLocalEmbedder } from './local-embedder.ts'
import { createOpenAIEmbedder } from './openai-embedder.ts'

export async function selectEmbedder(
  config: Pick<
    Config,
    | 'OPENAI_API_KEY'
    | 'OPENAI_BASE_URL'
    | 'EMBEDDINGS_PROVIDER'
    | 'EMBEDDINGS_MODEL'
    | 'EMBEDDINGS_DIMENSIONS'
    | 'EMBEDDINGS_TIMEOUT_MS'
  >,
  fetchImpl?: typeof fetch,
): Promise<Embedder> {
  if (config.EMBEDDINGS_PROVIDER === 'openai' && !config.OPENAI_API_KEY) {
    throw new Error('EMBEDDINGS_PROVIDER=openai needs OPENAI_API_KEY.')
  }
  if (config.EMBEDDINGS_PROVIDER === 'local' || !config.OPENAI_API_KEY) return createLocalEmbedder()
  return createOpenAIEmbedder({
    apiKey: config.OPENAI_API_KEY,
    model: config.EMBEDDINGS_MODEL,
    timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    ...(config.EMBEDDINGS_DIMENSIONS ? { dimensions: config.EMBEDDINGS_DIMENSIONS } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  })
}
