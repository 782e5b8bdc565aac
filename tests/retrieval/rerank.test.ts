// The reranker's policy parts: passages about this service are demoted unless the question is about
// it, the reader's role prefers the passages written for them, every hit carries its coverage, and a
// section whose document brings more sections into the pool is preferred to an equal one that comes alone.
import { describe, expect, it } from 'vitest'
import { documentSupport, rerank } from '../../src/retrieval/rerank.ts'
import type { SearchHit } from '../../src/retrieval/search.ts'
import { searchHit } from '../helpers/search-hit.ts'

const hit = (chunkId: string, over: Partial<SearchHit>) =>
  searchHit({
    chunkId,
    title: 'Mit der Belegschaft über KI sprechen',
    heading: 'Mit der Belegschaft über KI sprechen › Wie wir informieren',
    text: 'Sprechen Sie früh mit der Belegschaft über KI: Ziele, Daten und was sich für die Arbeit ändert.',
    questions: ['Wie sprechen wir mit der Belegschaft über KI?'],
    vectorRank: 1,
    textRank: 1,
    questionRank: 1,
    questionTextRank: 1,
    similarity: 0.5,
    questionSimilarity: 0.5,
    ...over,
  })

describe('rerank', () => {
  const self = hit('digital-mentor-rolle#3', { aboutThisService: true })
  const other = hit('einfuehrung-kommunikation#0', { vectorRank: 2, textRank: 2 })

  it('puts a passage about this service after an equal one when the question is not about the service', () => {
    const ranked = rerank([self, other], { query: 'Wie sprechen wir mit der Belegschaft über KI?' })
    expect(ranked.map((h) => h.chunkId)).toEqual(['einfuehrung-kommunikation#0', 'digital-mentor-rolle#3'])
  })

  it.each([
    'Wie spricht der Digital-Mentor mit der Belegschaft über KI?',
    'How does the digital mentor talk with staff about AI?',
    'Can the AI assistant talk with the Belegschaft about KI, or do I need a person?',
  ])('lets it compete when the question is about the service: %s', (query) => {
    expect(rerank([self, other], { query })[0]?.chunkId).toBe('digital-mentor-rolle#3')
  })

  it('prefers the passage written for the reader’s role when all else is equal', () => {
    const forCouncils = hit('b#0', { audience: ['works_council'], vectorRank: 2, textRank: 2 })
    const forManagers = hit('a#0', { audience: ['management'] })
    const query = 'Wie sprechen wir mit der Belegschaft über KI?'
    expect(rerank([forManagers, forCouncils], { query, role: 'works_council' })[0]?.chunkId).toBe('b#0')
  })

  it('sets every hit’s coverage: the share of the question’s words in the section', () => {
    const [ranked] = rerank([other], { query: 'Wie sprechen wir mit der Belegschaft über Quantencomputer?' })
    expect(ranked?.coverage).toBeGreaterThan(0)
    expect(ranked?.coverage).toBeLessThan(1)
    expect(rerank([other], { query: 'Wie sprechen wir mit der Belegschaft über KI?' })[0]?.coverage).toBe(1)
  })

  it('counts a word as covered when the section has a word that stands for it (synonym, sector)', () => {
    // "Leute" is in the group of "Belegschaft"; a painter's business belongs to the crafts.
    expect(rerank([other], { query: 'Wie sprechen wir mit den Leuten über KI?' })[0]?.coverage).toBe(1)
    const crafts = hit('anwendungsfaelle-handwerk#0', {
      title: 'KI im Handwerk',
      heading: 'KI im Handwerk › Wo KI im Handwerk hilft',
      text: 'Im Handwerk hilft KI bei Angeboten und Aufmaß.',
      questions: ['Wo hilft KI im Handwerk?'],
    })
    expect(rerank([crafts], { query: 'Wo hilft KI im Malerbetrieb?' })[0]?.coverage).toBe(1)
    expect(rerank([crafts], { query: 'Wo hilft KI im Reisebüro?' })[0]?.coverage).toBeLessThan(1)
  })

  it('counts for each candidate the other candidates of its document, up to three', () => {
    const pool = ['a', 'b', 'a', 'c', 'a', 'a', 'a'].map((documentId) => ({ documentId }))
    expect(documentSupport(pool)).toEqual([1, 0, 1, 0, 1, 1, 1])
    expect(documentSupport([{ documentId: 'a' }, { documentId: 'a' }])).toEqual([1 / 3, 1 / 3])
    expect(documentSupport([])).toEqual([])
  })

  it('prefers, all else equal, the section whose document brings other sections into the pool', () => {
    const alone = hit('einfuehrung-qualifizierung#2', { documentId: 'einfuehrung-qualifizierung' })
    const supported = hit('ki-kompetenz-pflicht#0', { documentId: 'ki-kompetenz-pflicht', vectorRank: 2 })
    const sibling = hit('ki-kompetenz-pflicht#4', {
      documentId: 'ki-kompetenz-pflicht',
      heading: 'Mit der Belegschaft über KI sprechen › Dokumentation',
      text: 'Ein kurzer Nachweis genügt.',
      questions: [],
      vectorRank: 9,
      textRank: 9,
      questionRank: null,
      questionTextRank: null,
    })
    const ranked = rerank([alone, supported, sibling], {
      query: 'Wie sprechen wir mit der Belegschaft über KI?',
    })
    expect(ranked[0]?.chunkId).toBe('ki-kompetenz-pflicht#0')
    // Without its sibling in the pool, the better-ranked section that comes alone stays first.
    expect(
      rerank([alone, supported], { query: 'Wie sprechen wir mit der Belegschaft über KI?' })[0]?.chunkId,
    ).toBe('einfuehrung-qualifizierung#2')
  })
})
