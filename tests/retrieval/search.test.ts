// Hybrid search on both database paths, and POST /v1/search with its validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { createIdfTable } from '../../src/retrieval/embedders/local-idf.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { search, textTerms } from '../../src/retrieval/search.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

const FIXTURES = new URL('../fixtures/corpus', import.meta.url).pathname
const embedder = createLocalEmbedder()

describe.each(databaseAdapters)('search: $name', (adapter) => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  beforeAll(async () => {
    t = await adapter.open()
    app = (await createTestApp(t.database)).app
    await ingestCorpus({ database: t.database, embedder, corpusDir: FIXTURES })
  })
  afterAll(async () => {
    await t.dispose()
  })

  it.each(['hybrid', 'vector', 'fulltext'] as const)(
    'finds the base form from an inflected word (%s)',
    async (mode) => {
      const hits = await search(t.database, embedder, { query: 'Betriebsräte', k: 3, mode })
      expect(hits[0]?.documentId).toBe('betriebsrat-beteiligen')
    },
  )

  it('fuses both lists and reports both ranks', async () => {
    const hits = await search(t.database, embedder, { query: 'psychische Belastung durch Tempo', k: 5 })
    expect(hits[0]).toMatchObject({ documentId: 'gesundheit-entlasten', vectorRank: 1, textRank: 1 })
    expect(hits[0]?.heading).toBe('Gesundheit schützen, wenn KI die Arbeit verändert › Belastung erkennen')
    expect(hits[0]?.url).toBe('https://example.org/gesundheit')
    const scores = hits.map((h) => h.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it.each([
    [{ lang: 'en' as const }, ['gesundheit-entlasten-en']],
    [{ field: ['health'] }, ['gesundheit-entlasten', 'gesundheit-entlasten-en']],
    [{ audience: ['works_council'] }, ['betriebsrat-beteiligen']],
    [{ phase: ['basics'] }, ['lange-abschnitte']],
  ])('applies the filter %j', async (filters, expected) => {
    const hits = await search(t.database, embedder, {
      query: 'KI Arbeit Betriebsrat Gesundheit Qualifizierung',
      k: 20,
      filters,
    })
    expect([...new Set(hits.map((h) => h.documentId))].sort()).toEqual(expected)
  })

  it('answers POST /v1/search with the documented shape', async () => {
    const res = await app.request('/v1/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'Wie beteiligen wir den Betriebsrat?',
        k: 2,
        filters: { audience: 'works_council' },
      }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { results: Array<Record<string, unknown>> }
    expect(body.results).toHaveLength(2)
    expect(body.results[0]).toMatchObject({
      documentId: 'betriebsrat-beteiligen',
      title: 'Den Betriebsrat früh beteiligen',
      lang: 'de',
      heading: expect.stringContaining('Den Betriebsrat früh beteiligen'),
      text: expect.any(String),
      score: expect.any(Number),
      ranks: { vector: expect.any(Number), fulltext: expect.any(Number) },
    })
  })
})

describe('POST /v1/search validation', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  beforeAll(async () => {
    t = (await databaseAdapters[0]?.open()) as TestDatabase
    app = (await createTestApp(t.database)).app
  })
  afterAll(async () => {
    await t.dispose()
  })

  const post = (body: string, type = 'application/json') =>
    app.request('/v1/search', { method: 'POST', headers: { 'content-type': type }, body })

  it.each([
    ['an empty query', '{"query":"   "}', 'validation_failed', 'query: must not be empty'],
    [
      'an over-long query',
      JSON.stringify({ query: 'x'.repeat(1001) }),
      'validation_failed',
      'query: must be at most 1000 characters',
    ],
    ['k = 0', '{"query":"KI","k":0}', 'validation_failed', 'k: must be at least 1'],
    [
      'an unknown language',
      '{"query":"KI","lang":"fr"}',
      'validation_failed',
      'lang: Invalid option: expected one of "de"|"en"',
    ],
    ['an unknown phase', '{"query":"KI","filters":{"phase":"later"}}', 'validation_failed', undefined],
    ['an unknown field', '{"query":"KI","extra":1}', 'validation_failed', undefined],
    ['malformed JSON', '{"query": "KI"', 'malformed_json', 'The request body is not valid JSON.'],
  ])('rejects %s with a clear 400', async (_label, body, code, message) => {
    const res = await post(body)
    expect(res.status).toBe(400)
    const json = (await res.json()) as { error: { code: string; message: string } }
    expect(json.error.code).toBe(code)
    if (message) expect(json.error.message).toBe(message)
    expect(json.error.message).not.toMatch(/select|stack|at \//i)
  })

  it('rejects a body that is not JSON', async () => {
    const res = await post('query=KI', 'application/x-www-form-urlencoded')
    expect(res.status).toBe(400)
  })
})

describe('textTerms', () => {
  const stats = createIdfTable({ chunks: 100, df: { ki: 70, betrieb: 40, betriebsrat: 20, beteil: 5 } })

  it('keeps content words, rarest first, and leaves out words found in most passages', () => {
    expect(textTerms('Wie beteiligen wir den Betriebsrat im Betrieb bei KI?', stats)).toBe(
      'beteiligen or Betriebsrat',
    )
    expect(textTerms('KI im Betrieb', stats)).toBe('Betrieb or KI')
  })

  it('cannot carry query syntax', () => {
    expect(textTerms(`'; drop table chunks; -- "x" | !y & z:*`, stats)).toBe('drop or table or chunks')
  })
})
