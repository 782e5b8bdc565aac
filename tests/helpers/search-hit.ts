// A search hit for unit tests of what consumes search results (answers, injection, reranking).
import type { SearchHit } from '../../src/retrieval/search.ts'

export function searchHit(overrides: Partial<SearchHit> & Pick<SearchHit, 'chunkId' | 'text'>): SearchHit {
  return {
    documentId: overrides.chunkId.split('#')[0] ?? overrides.chunkId,
    title: 'Titel',
    heading: 'Titel › Abschnitt',
    lang: 'de',
    url: null,
    reviewed: '2026-12-01',
    audience: ['management'],
    questions: [],
    aboutThisService: false,
    score: 0,
    vectorRank: null,
    textRank: null,
    questionRank: null,
    questionTextRank: null,
    similarity: 0.3,
    questionSimilarity: null,
    coverage: null,
    ...overrides,
  }
}
