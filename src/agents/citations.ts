// Checks the citations of a generated answer: only [n] that name a passage survive, each mapped to its
// document; an answer that cites nothing is flagged.
import type { Citation } from '../conversations/repository.ts'
import type { SearchHit } from '../retrieval/search.ts'

export interface CheckedAnswer {
  text: string
  citations: Citation[]
  /** Markers that named no passage and were removed. */
  removed: number
  uncited: boolean
}

/** The citation of a passage: its document, heading, address and review date ("Stand"). */
export function citationOf(hit: SearchHit, n: number, heading = hit.heading): Citation {
  return {
    n,
    documentId: hit.documentId,
    title: hit.title,
    heading,
    ...(hit.url ? { url: hit.url } : {}),
    reviewed: hit.reviewed,
  }
}

export function checkCitations(text: string, hits: readonly SearchHit[]): CheckedAnswer {
  let removed = 0
  const used = new Set<number>()
  const cleaned = text.replace(/\s?\[(\d{1,3})\]/g, (marker, digits: string) => {
    const n = Number(digits)
    if (n >= 1 && n <= hits.length) {
      used.add(n)
      return marker
    }
    removed++
    return ''
  })
  const citations = [...used]
    .sort((a, b) => a - b)
    .map((n) => {
      return citationOf(hits[n - 1] as SearchHit, n)
    })
  return { text: cleaned, citations, removed, uncited: citations.length === 0 }
}
