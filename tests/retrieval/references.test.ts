// Documents name each other by id; readers see titles (quoted in passages, linked on knowledge pages).
import { describe, expect, it } from 'vitest'
import { loadCorpus } from '../../src/retrieval/corpus-loader.ts'
import { corpusReferences, documentReferences } from '../../src/retrieval/references.ts'

const references = documentReferences([
  { id: 'ki-verordnung-fristen', title: 'Fristen der KI-Verordnung' },
  { id: 'ki-verordnung-fristen-en', title: 'AI Act deadlines' },
  { id: 'glossar', title: 'Glossar' },
])

describe('documentReferences', () => {
  it('replaces every id in running text by its quoted title, German and English quotes', () => {
    expect(references.asTitles('Termine: ki-verordnung-fristen. Begriffe im Dokument glossar', 'de')).toBe(
      'Termine: „Fristen der KI-Verordnung“. Begriffe im Dokument „Glossar“',
    )
    expect(references.asTitles('(dates and status: ki-verordnung-fristen-en)', 'en')).toBe(
      '(dates and status: “AI Act deadlines”)',
    )
  })

  it('takes the longest id and leaves addresses, anchors, longer words and capitalised words alone', () => {
    const text =
      'https://example.org/ki-verordnung-fristen, /wissen/glossar, #glossar, ki-verordnung-fristen-alt, ' +
      'Glossar, glossare, datei.glossar'
    expect(references.asTitles(text, 'de')).toBe(text)
    expect(references.split('siehe ki-verordnung-fristen-en')).toEqual([
      'siehe ',
      { id: 'ki-verordnung-fristen-en', title: 'AI Act deadlines' },
    ])
  })

  it("names the version in the text's language, whichever version's id was written", () => {
    const bilingual = documentReferences([
      { id: 'fristen', title: 'Fristen', lang: 'de' },
      { id: 'fristen-en', title: 'Deadlines', lang: 'en', translationOf: 'fristen' },
      { id: 'nur-deutsch', title: 'Nur deutsch', lang: 'de' },
    ])
    expect(bilingual.asTitles('see fristen and nur-deutsch', 'en')).toBe('see “Deadlines” and “Nur deutsch”')
    expect(bilingual.asTitles('siehe fristen-en', 'de')).toBe('siehe „Fristen“')
    expect(bilingual.named('fristen, fristen-en', 'en')).toEqual(['fristen-en'])
    expect(bilingual.split('fristen')).toEqual([{ id: 'fristen', title: 'Fristen', lang: 'de' }])
  })

  it('names each referenced id once, in order', () => {
    expect(references.named('glossar und ki-verordnung-fristen, wieder glossar')).toEqual([
      'glossar',
      'ki-verordnung-fristen',
    ])
    expect(references.named('nichts')).toEqual([])
  })

  it('leaves no id-shaped reference in the prose of the shipped corpus once resolved', async () => {
    const corpus = await loadCorpus('corpus')
    const shipped = corpusReferences(corpus)
    // The corpus does cross-reference by id, hundreds of times.
    expect(corpus.flatMap((d) => shipped.named(d.body)).length).toBeGreaterThan(300)
    // What a reader would still see as a code after a cue word: "siehe ki-…", "(Dokument bewertung-…)".
    const idAfterCue =
      /\b(?:Dokument|Dokumente|document|documents|siehe|see|Termine?:|dates?:)\s+([a-z0-9]+(?:-[a-z0-9]+)+)/g
    const heads = new Set(corpus.map((d) => d.meta.id.split('-')[0]))
    const left = corpus.flatMap((d) =>
      [...shipped.asTitles(d.body, d.meta.lang).matchAll(idAfterCue)]
        .filter((m) => heads.has(m[1]?.split('-')[0]))
        .map((m) => `${d.meta.id}: ${m[0]}`),
    )
    expect(left).toEqual([])
  })

  it('shows an English reader the English version of every document that has one', async () => {
    const corpus = await loadCorpus('corpus')
    const shipped = corpusReferences(corpus)
    const lang = new Map(corpus.map((d) => [d.meta.id, d.meta.lang]))
    const translated = new Set(corpus.flatMap((d) => (d.meta.translation_of ? [d.meta.translation_of] : [])))
    const other = corpus.flatMap((d) =>
      shipped
        .named(`${d.body}\n${d.meta.sources.join('\n')}`, d.meta.lang)
        .filter((id) => lang.get(id) !== d.meta.lang && translated.has(id))
        .map((id) => `${d.meta.id} -> ${id}`),
    )
    expect(other).toEqual([])
  })

  it('never shows a title twice in a row where a text named a document by title and by id', async () => {
    const corpus = await loadCorpus('corpus')
    const shipped = corpusReferences(corpus)
    const twice = corpus.flatMap((d) => {
      const text = shipped.asTitles(d.body, d.meta.lang)
      return (
        corpus
          .map((named) => named.meta.title)
          // What lies between two mentions of the title: a few characters mean it was said twice.
          .filter((title) =>
            text
              .split(title)
              .slice(1, -1)
              .some((between) => between.length < 20),
          )
          .map((title) => `${d.meta.id}: ${title}`)
      )
    })
    expect(twice).toEqual([])
  })
})
