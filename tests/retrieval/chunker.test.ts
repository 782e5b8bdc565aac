// Golden test: the chunks of the fixture corpus are checked in; UPDATE_GOLDEN=1 rewrites them for review.
import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE, chunkDocument } from '../../src/retrieval/chunker.ts'
import { loadCorpus } from '../../src/retrieval/corpus-loader.ts'

const GOLDEN = new URL('../golden/fixture-chunks.json', import.meta.url)
const FIXTURES = new URL('../fixtures/corpus', import.meta.url).pathname

describe('chunkDocument', () => {
  it('matches the golden chunks of the fixture corpus', async () => {
    const documents = await loadCorpus(FIXTURES)
    const chunks = []
    for (const doc of documents) chunks.push(...(await chunkDocument(doc.meta.id, doc.meta.title, doc.body)))
    const actual = `${JSON.stringify(chunks, null, 2)}\n`
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(GOLDEN, actual)
    expect(actual).toBe(await readFile(GOLDEN, 'utf8'))
  })

  it('keeps the heading path, splits only long sections and never drops text', async () => {
    const markdown = [
      '# Titel',
      'Einleitung.',
      '## Abschnitt A',
      'Text A.',
      '### Unterabschnitt',
      'Text A1.',
      '```',
      '# kein Titel im Codeblock',
      '```',
      '## Abschnitt B',
      Array.from({ length: 80 }, (_, i) => `Satz Nummer ${i} über Beteiligung.`).join(' '),
    ].join('\n')
    const chunks = await chunkDocument('doc', 'Titel', markdown)
    expect(chunks.slice(0, 3).map((c) => c.heading)).toEqual([
      'Titel',
      'Titel › Abschnitt A',
      'Titel › Abschnitt A › Unterabschnitt',
    ])
    expect(chunks[2]?.text).toContain('# kein Titel im Codeblock')
    const long = chunks.filter((c) => c.heading === 'Titel › Abschnitt B')
    expect(long.length).toBeGreaterThan(1)
    for (const c of long) expect(c.text.length).toBeLessThanOrEqual(CHUNK_SIZE)
    expect(long.map((c) => c.text).join(' ')).toContain('Satz Nummer 79')
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i))
    expect(chunks.map((c) => c.id)).toEqual(chunks.map((_, i) => `doc#${i}`))
  })

  it('takes the questions block out of the text and gives it to the first chunk of its section', async () => {
    const questions = ['Was kostet ein Pilot?', 'Wie teuer wird das?', 'Welche Kosten kommen dazu?']
    const markdown = [
      '# Titel',
      '## Kosten',
      '```questions',
      ...questions.map((q) => `- ${q}`),
      '```',
      Array.from({ length: 80 }, (_, i) => `Satz ${i} über Kosten.`).join(' '),
      '## Danach',
      'Ohne Fragen.',
    ].join('\n')
    const chunks = await chunkDocument('doc', 'Titel', markdown)
    const costs = chunks.filter((c) => c.heading === 'Titel › Kosten')
    expect(costs.length).toBeGreaterThan(1)
    expect(costs.map((c) => c.questions)).toEqual([questions, ...costs.slice(1).map(() => [])])
    expect(chunks.map((c) => c.text).join(' ')).not.toMatch(/questions|Wie teuer/)
    expect(chunks.at(-1)).toMatchObject({ heading: 'Titel › Danach', text: 'Ohne Fragen.', questions: [] })
  })
})
