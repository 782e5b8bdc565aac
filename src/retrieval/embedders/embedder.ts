// The embeddings port: LangChain's interface plus the identity the store records next to each vector.
import type { EmbeddingsInterface } from '@langchain/core/embeddings'

export interface Embedder {
  /** Names the model and dimension; vectors of different ids are never mixed. */
  id: string
  dimensions: number
  embeddings: EmbeddingsInterface
}
