// Inverse document frequencies for the local embedder, fitted on the corpus by `npm run embedder:fit`.
import fitted from './local-idf.json' with { type: 'json' }
import { fnv1a } from './text-features.ts'

export interface IdfTable {
  weight(stem: string): number
  /** The share of corpus chunks that contain the stem (0 for unseen stems). */
  share(stem: string): number
  /** Every stem with a frequency in the table. */
  stems(): Iterable<string>
  /** Changes whenever the table changes; part of the embedder id. */
  fingerprint: string
}

export function createIdfTable(stats: { chunks: number; df: Record<string, number> } = fitted): IdfTable {
  const df = new Map(Object.entries(stats.df))
  // Smoothed IDF (as in scikit-learn): a stem in every chunk still weighs 1, an unseen one the most.
  const idf = (count: number) => Math.log((stats.chunks + 1) / (count + 1)) + 1
  const unseen = idf(0)
  return {
    share: (stem) => (df.get(stem) ?? 0) / Math.max(1, stats.chunks),
    stems: () => df.keys(),
    weight: (stem) => {
      const count = df.get(stem)
      return count === undefined ? unseen : idf(count)
    },
    fingerprint: fnv1a(JSON.stringify(stats), 0).toString(16).padStart(8, '0'),
  }
}

/** The table fitted on the shipped corpus, built once and shared by everything that weighs words. */
export const corpusIdf: IdfTable = createIdfTable()
