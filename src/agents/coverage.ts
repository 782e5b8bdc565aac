// How much of a question the found passages cover: the IDF-weighted share of the question's word
// stems that occur in them. The fused search score is relative; this is an absolute check.
import { corpusIdf as idf } from '../retrieval/embedders/local-idf.ts'
import { contentStems } from '../retrieval/embedders/text-features.ts'
import type { SearchHit } from '../retrieval/search.ts'

export function questionCoverage(
  question: string,
  hits: readonly Pick<SearchHit, 'heading' | 'text'>[],
): number {
  const found = new Set(hits.flatMap((hit) => contentStems(`${hit.heading} ${hit.text}`)))
  const stems = [...new Set(contentStems(question))]
  const total = stems.reduce((sum, stem) => sum + idf.weight(stem), 0)
  if (total === 0) return 0
  return stems.filter((stem) => found.has(stem)).reduce((sum, stem) => sum + idf.weight(stem), 0) / total
}
