// OpenAI-compatible embeddings (OpenAI, Azure OpenAI, vLLM, Ollama, …) through LangChain.
import { OpenAIEmbeddings } from '@langchain/openai'
import type { Embedder } from './embedder.ts'

export interface OpenAIEmbedderOptions {
  apiKey: string
  baseURL?: string
  model: string
  /** Requested size; when omitted, one probe call tells the model's native size. */
  dimensions?: number
  /** Injected for tests and hosts without a global fetch. */
  fetch?: typeof fetch
  /** Per request (EMBEDDINGS_TIMEOUT_MS). */
  timeoutMs?: number
}

// pgvector indexes `vector` columns of at most 2,000 dimensions with HNSW.
const MAX_INDEXABLE_DIMENSIONS = 2000

export async function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Promise<Embedder> {
  const embeddings = new OpenAIEmbeddings({
    apiKey: options.apiKey,
    model: options.model,
    ...(options.dimensions ? { dimensions: options.dimensions } : {}),
    // Bounded: a slow or failing endpoint must not hold ingestion or a search for long.
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: 2,
    batchSize: 128,
    configuration: {
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  })
  const dimensions = options.dimensions ?? (await embeddings.embedQuery('dimension probe')).length
  if (dimensions > MAX_INDEXABLE_DIMENSIONS) {
    throw new Error(
      `The embeddings model ${options.model} returns ${dimensions} dimensions; set EMBEDDINGS_DIMENSIONS to ${MAX_INDEXABLE_DIMENSIONS} or less.`,
    )
  }
  return { id: `openai:${options.model}:${dimensions}`, dimensions, embeddings }
}
