import { describe, expect, it } from 'vitest'
import { compoundParts, expandQuery, intentTerms } from '../../src/retrieval/thesaurus.ts'

describe('query expansion', () => {
  it('adds the other words of a German synonym group', () => {
    expect(expandQuery('Was sagt der Chef dazu?', 'de')).toContain('Führungskraft')
  })

  it('recognises a question that asks for use cases without naming them, in German and English', () => {
    expect(intentTerms('Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?', 'de')).toHaveLength(1)
    expect(expandQuery('Wofür lohnt sich KI bei uns?', 'de')).toContain('Anwendungsfälle')
    expect(expandQuery('Welche Aufgaben eignen sich für KI?', 'de')).toContain('Einsatzmöglichkeiten')
    expect(expandQuery('How do we find out where AI makes sense in our company?', 'en')).toContain(
      'use cases',
    )
    // Other questions stay as they are; English gets no synonym groups.
    expect(intentTerms('Was kostet ein Pilotprojekt?', 'de')).toEqual([])
    expect(expandQuery('What does the AI Act require?', 'en')).toBe('What does the AI Act require?')
  })

  it('splits German compounds into parts the corpus knows', () => {
    expect(compoundParts('Kompetenzpflicht')).toEqual(['kompetenz', 'pflicht'])
    expect(compoundParts('Haus')).toEqual([])
  })
})
