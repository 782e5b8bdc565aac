import { describe, expect, it } from 'vitest'
import {
  compoundParts,
  expandQuery,
  intentTerms,
  sectorTerms,
  stemAlternatives,
} from '../../src/retrieval/thesaurus.ts'

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

  it('adds the sector a trade or business belongs to, also inside compounds, and not the other way round', () => {
    expect(sectorTerms('Wir sind ein Malerbetrieb mit 12 Leuten')).toEqual(['Handwerk Handwerksbetrieb'])
    expect(sectorTerms('Was kann eine Bäckerei mit KI anfangen?')).toEqual(['Handwerk Handwerksbetrieb'])
    expect(sectorTerms('Unsere Spedition plant KI im Lager')).toEqual(['Logistik Lager'])
    expect(sectorTerms('Im Pflegedienst schreiben wir viel Dokumentation')).toEqual(['Pflege'])
    expect(expandQuery('Was kann ein Tischler mit KI anfangen?', 'de')).toContain('Handwerk')
    // Words that merely contain a short trade word, and the sector itself, add nothing.
    expect(sectorTerms('Kann ich Bilder herunterladen?')).toEqual([])
    expect(sectorTerms('Wie finden wir Anwendungsfälle?')).toEqual([])
  })

  it('reads the English names a German question uses as the corpus’s German terms, one way only', () => {
    const expanded = expandQuery('AI Act für unseren Website-Chatbot: was müssen wir beachten?', 'de')
    expect(expanded).toContain('KI-Verordnung')
    expect(expanded).toContain('KI')
    // For coverage, "Act" counts as found in a section that says "KI-Verordnung".
    expect([...(stemAlternatives('Gilt der AI Act für uns?').get('act') ?? [])]).toContain('verordn')
    expect(expandQuery('Was verlangt die KI-Verordnung?', 'de')).not.toContain('Act')
    expect(expandQuery('What does the AI Act require?', 'en')).toBe('What does the AI Act require?')
  })

  it('splits German compounds into parts the corpus knows', () => {
    expect(compoundParts('Kompetenzpflicht')).toEqual(['kompetenz', 'pflicht'])
    expect(compoundParts('Haus')).toEqual([])
  })
})
