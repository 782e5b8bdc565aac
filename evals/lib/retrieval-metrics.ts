// Ranking metrics over document ids: hit@k, reciprocal rank and nDCG with binary relevance.

/** 1 when any relevant id is among the first k, else 0. */
export function hitAt(ranked: readonly string[], relevant: readonly string[], k: number): number {
  return ranked.slice(0, k).some((id) => relevant.includes(id)) ? 1 : 0
}

/** 1/rank of the first relevant id within the first k, else 0 (averaged, this is MRR@k). */
export function reciprocalRank(ranked: readonly string[], relevant: readonly string[], k: number): number {
  const index = ranked.slice(0, k).findIndex((id) => relevant.includes(id))
  return index === -1 ? 0 : 1 / (index + 1)
}

/** Normalised discounted cumulative gain at k with gain 1 for each relevant id (Järvelin & Kekäläinen). */
export function ndcgAt(ranked: readonly string[], relevant: readonly string[], k: number): number {
  const dcg = ranked
    .slice(0, k)
    .reduce((sum, id, i) => sum + (relevant.includes(id) ? 1 / Math.log2(i + 2) : 0), 0)
  const ideal = Array.from({ length: Math.min(k, relevant.length) }, (_, i) => 1 / Math.log2(i + 2)).reduce(
    (a, b) => a + b,
    0,
  )
  return ideal === 0 ? 0 : dcg / ideal
}

/** Distinct document ids in the order of their best chunk. */
export function rankDocuments(hits: ReadonlyArray<{ documentId: string }>): string[] {
  return [...new Set(hits.map((hit) => hit.documentId))]
}

export interface RetrievalScores {
  hit1: number
  hit3: number
  hit5: number
  mrr10: number
  ndcg10: number
}

export function scoreRetrieval(
  runs: ReadonlyArray<{ ranked: readonly string[]; relevant: readonly string[] }>,
): RetrievalScores {
  const mean = (f: (r: (typeof runs)[number]) => number) =>
    runs.length ? runs.reduce((sum, r) => sum + f(r), 0) / runs.length : 0
  return {
    hit1: mean((r) => hitAt(r.ranked, r.relevant, 1)),
    hit3: mean((r) => hitAt(r.ranked, r.relevant, 3)),
    hit5: mean((r) => hitAt(r.ranked, r.relevant, 5)),
    mrr10: mean((r) => reciprocalRank(r.ranked, r.relevant, 10)),
    ndcg10: mean((r) => ndcgAt(r.ranked, r.relevant, 10)),
  }
}
