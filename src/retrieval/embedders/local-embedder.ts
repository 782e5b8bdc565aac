// The default embedder: deterministic hashed features of German and English text. No download, no key.
import type { EmbeddingsInterface } from '@langchain/core/embeddings'
import type { Embedder } from './embedder.ts'
import { corpusIdf, type IdfTable } from './local-idf.ts'
import { contentStems, fnv1a } from './text-features.ts'

/**
 * 512 dimensions: enough room that the hashed features of a section rarely collide, small enough
 * that 100k chunks index and search fast on the embedded database.
 */
export const LOCAL_DIMENSIONS = 512

// Feature weights: whole stems carry the meaning; character 4-grams catch compounds
// ("Gefährdungsbeurteilung" ~ "Beurteilung der Gefährdung") and typos; stem pairs catch phrases.
const STEM_WEIGHT = 1
const GRAM_WEIGHT = 0.6
const PAIR_WEIGHT = 0.5
const GRAM = 4

function addFeature(vector: Float64Array, feature: string, weight: number) {
  const index = fnv1a(feature, 0) % vector.length
  // A second hash decides the sign, so collisions cancel out on average instead of piling up.
  const sign = fnv1a(feature, 0x5bd1e995) & 1 ? 1 : -1
  vector[index] = (vector[index] ?? 0) + sign * weight
}

export function embedLocally(text: string, idf: IdfTable, dimensions = LOCAL_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions)
  const stems = contentStems(text)
  const counts = new Map<string, number>()
  for (const s of stems) counts.set(s, (counts.get(s) ?? 0) + 1)
  for (const [s, count] of counts) {
    // Sublinear term frequency (the tenth mention adds little) times IDF (a word in every section says little).
    const tf = (1 + Math.log(count)) * idf.weight(s)
    addFeature(vector, `w:${s}`, STEM_WEIGHT * tf)
    const padded = `#${s}#`
    const grams = Math.max(1, padded.length - GRAM + 1)
    for (let i = 0; i < grams; i++) {
      addFeature(vector, `g:${padded.slice(i, i + GRAM)}`, (GRAM_WEIGHT * tf) / Math.sqrt(grams))
    }
  }
  for (let i = 1; i < stems.length; i++) {
    const [a = '', b = ''] = [stems[i - 1], stems[i]]
    addFeature(vector, `p:${a}_${b}`, PAIR_WEIGHT * Math.min(idf.weight(a), idf.weight(b)))
  }
  let norm = 0
  for (const value of vector) norm += value * value
  norm = Math.sqrt(norm) || 1
  return Array.from(vector, (value) => value / norm)
}

export function createLocalEmbedder(idf: IdfTable = corpusIdf): Embedder {
  const embeddings: EmbeddingsInterface = {
    embedDocuments: async (texts) => texts.map((text) => embedLocally(text, idf)),
    embedQuery: async (text) => embedLocally(text, idf),
  }
  return {
    id: `local-hash-v2:${LOCAL_DIMENSIONS}:${idf.fingerprint}`,
    dimensions: LOCAL_DIMENSIONS,
    embeddings,
  }
}
