// Runs the retrieval eval set against a store in one search mode, scores the rankings and times the queries.
import type { Database } from '../../src/db/database.ts'
import type { Embedder } from '../../src/retrieval/embedders/embedder.ts'
import { type SearchMode, search } from '../../src/retrieval/search.ts'
import type { RetrievalCase } from './datasets.ts'
import { type RetrievalScores, rankDocuments, scoreRetrieval } from './retrieval-metrics.ts'
import { spread } from './stats.ts'

// Enough chunks that ten distinct documents remain after collapsing chunks of the same document.
const CHUNKS_PER_QUESTION = 40

export interface RetrievalRun {
  id: string
  question: string
  relevant: string[]
  ranked: string[]
}

export async function runRetrievalEval(
  database: Database,
  embedder: Embedder,
  cases: readonly RetrievalCase[],
  mode: SearchMode,
): Promise<{ scores: RetrievalScores; runs: RetrievalRun[]; latencyMs: { p50: number; p95: number } }> {
  const runs: RetrievalRun[] = []
  const durations: number[] = []
  for (const c of cases) {
    const started = performance.now()
    const hits = await search(database, embedder, {
      query: c.question,
      k: CHUNKS_PER_QUESTION,
      mode,
      filters: { lang: c.lang },
    })
    durations.push(performance.now() - started)
    runs.push({ id: c.id, question: c.question, relevant: c.relevant, ranked: rankDocuments(hits) })
  }
  return { scores: scoreRetrieval(runs), runs, latencyMs: spread(durations) }
}
