import { describe, expect, it } from 'vitest'
import { extractiveAnswer, sentencesOf } from '../../src/agents/extractive.ts'
import type { SearchHit } from '../../src/retrieval/search.ts'

const hit = (documentId: string, title: string, heading: string, text: string): SearchHit => ({
  chunkId: `${documentId}#0`,
  documentId,
  title,
  heading: `${title} › ${heading}`,
  text,
  lang: 'de',
  url: null,
  reviewed: '2026-12-01',
  score: 0,
  vectorRank: null,
  textRank: null,
  similarity: 0.3,
})

describe('sentencesOf', () => {
  it('keeps a short enumeration together with the line that introduces it', () => {
    const text = [
      'Ein bewährtes Vorgehen für kleine Betriebe hat drei Schritte:',
      '',
      '1. Abläufe durchgehen',
      '2. **Daten** sichten',
      '3. klein anfangen',
      '',
      'Danach wird gemeinsam entschieden, welche Idee zuerst erprobt wird.',
    ].join('\n')
    expect(sentencesOf(text)).toEqual([
      'Ein bewährtes Vorgehen für kleine Betriebe hat drei Schritte: (1) Abläufe durchgehen, (2) Daten sichten, (3) klein anfangen.',
      'Danach wird gemeinsam entschieden, welche Idee zuerst erprobt wird.',
    ])
  })

  it('leaves long list items as sentences of their own', () => {
    const text = [
      'Für jeden Schmerzpunkt wird festgehalten:',
      '- **Welche Daten gibt es?** Zum Beispiel Aufträge, Rechnungen, E-Mails, Fotos und Maschinendaten.',
      '- **Wo liegen sie?** In Software, in Tabellen, auf Papier oder nur im Gedächtnis einzelner Leute.',
    ].join('\n')
    expect(sentencesOf(text)).toEqual([
      'Welche Daten gibt es? Zum Beispiel Aufträge, Rechnungen, E-Mails, Fotos und Maschinendaten.',
      'Wo liegen sie? In Software, in Tabellen, auf Papier oder nur im Gedächtnis einzelner Leute.',
    ])
  })

  it('does not end a sentence at an ordinal or an abbreviation', () => {
    const text =
      'Die Pflicht gilt seit dem 2. Februar 2025 für alle Betreiber. Sie folgt aus Art. 4 der Verordnung, vgl. Abs. 1 der Norm. Das ist der zweite Satz dieses Beispiels.'
    expect(sentencesOf(text)).toEqual([
      'Die Pflicht gilt seit dem 2. Februar 2025 für alle Betreiber.',
      'Sie folgt aus Art. 4 der Verordnung, vgl. Abs. 1 der Norm.',
      'Das ist der zweite Satz dieses Beispiels.',
    ])
  })
})

describe('extractiveAnswer', () => {
  const about = hit(
    'grundlagen',
    'KI-Grundlagen',
    'Was KI kann',
    'KI kann Muster in Daten erkennen und Texte erzeugen, wenn sie gut trainiert ist. Sinnvoll ist das nur mit guten Daten im Betrieb.',
  )
  const useCases = hit(
    'anwendungsfaelle',
    'KI-Anwendungsfälle im eigenen Betrieb finden',
    'Vom Problem ausgehen',
    'Die Suche beginnt bei den Schmerzpunkten der eigenen Abläufe, nicht bei der Technik. Ein kleines Team geht die wichtigsten Abläufe einmal von Anfang bis Ende durch.',
  )

  it('lets the passage whose heading fits the question lead, with its sentences in text order', () => {
    const { body, citations } = extractiveAnswer('Wo ist KI in meinem Betrieb sinnvoll?', [about, useCases])
    expect(citations[0]).toMatchObject({ n: 1, documentId: 'anwendungsfaelle' })
    expect(body.startsWith('Die Suche beginnt bei den Schmerzpunkten')).toBe(true)
    expect(body.indexOf('Ein kleines Team')).toBeGreaterThan(body.indexOf('Die Suche beginnt'))
    for (const citation of citations) expect(body).toContain(`[${citation.n}]`)
  })

  it('answers from nothing with nothing', () => {
    expect(extractiveAnswer('Was kostet KI?', [])).toEqual({ body: '', citations: [] })
  })
})
