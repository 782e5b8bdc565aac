// Ingestion on both database paths: idempotent, atomic on bad input, and never mixing embedders.
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { CorpusError } from '../../src/retrieval/corpus-loader.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { createIdfTable } from '../../src/retrieval/embedders/local-idf.ts'
import { selectEmbedder } from '../../src/retrieval/embedders/select-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { search } from '../../src/retrieval/search.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { type EmbeddingsCall, embeddingsHandler } from '../helpers/openai-mock.ts'

const FIXTURES = new URL('../fixtures/corpus', import.meta.url).pathname

describe.each(databaseAdapters)('ingestCorpus: $name', (adapter) => {
  let t: TestDatabase
  let corpusDir: string
  beforeEach(async () => {
    t = await adapter.open()
    await migrate(t.database, await readMigrations())
    corpusDir = await mkdtemp(join(tmpdir(), 'dm-ingest-'))
    await cp(FIXTURES, corpusDir, { recursive: true })
  })
  afterEach(async () => {
    await t.dispose()
    await rm(corpusDir, { recursive: true, force: true })
  })

  const counts = async () => {
    const { rows } = await t.database.query<{ documents: number; chunks: number }>(
      'select (select count(*)::int from documents) as documents, (select count(*)::int from chunks) as chunks',
    )
    return rows[0]
  }

  it('adds everything once, then skips, replaces and removes exactly what changed', async () => {
    const embedder = createLocalEmbedder()
    const first = await ingestCorpus({ database: t.database, embedder, corpusDir })
    expect(first).toMatchObject({ added: 4, updated: 0, removed: 0, unchanged: 0, reembedded: false })
    expect(first.chunks).toBeGreaterThan(8)
    const afterFirst = await counts()
    expect(afterFirst).toEqual({ documents: 4, chunks: first.chunks })

    const again = await ingestCorpus({ database: t.database, embedder, corpusDir })
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 4, chunks: 0 })
    expect(await counts()).toEqual(afterFirst)

    const file = join(corpusDir, 'de', 'gesundheit-entlasten.md')
    await writeFile(file, '\n## Neu\n\nEin neuer Abschnitt über Pausen.\n', { flag: 'a' })
    await unlink(join(corpusDir, 'de', 'lange-abschnitte.md'))
    const changed = await ingestCorpus({ database: t.database, embedder, corpusDir })
    expect(changed).toMatchObject({ added: 0, updated: 1, removed: 1, unchanged: 2 })
    const { rows } = await t.database.query<{ document_id: string }>(
      `select distinct document_id from chunks order by document_id`,
    )
    expect(rows.map((r) => r.document_id)).toEqual([
      'betriebsrat-beteiligen',
      'gesundheit-entlasten',
      'gesundheit-entlasten-en',
    ])
    const hits = await search(t.database, embedder, { query: 'Pausen', k: 1, mode: 'fulltext' })
    expect(hits[0]?.heading).toBe('Gesundheit schützen, wenn KI die Arbeit verändert › Neu')
  })

  it('shows the titles of the documents a passage names, and re-ingests it when such a title changes', async () => {
    const embedder = createLocalEmbedder()
    const health = join(corpusDir, 'de', 'gesundheit-entlasten.md')
    await writeFile(health, '\n## Weiter\n\nWie das geht, steht im Dokument betriebsrat-beteiligen.\n', {
      flag: 'a',
    })
    await ingestCorpus({ database: t.database, embedder, corpusDir })
    const passage = async () => {
      const { rows } = await t.database.query<{ text: string }>(
        `select text from chunks where document_id = 'gesundheit-entlasten' and heading like '%Weiter'`,
      )
      return rows[0]?.text
    }
    expect(await passage()).toBe('Wie das geht, steht im Dokument „Den Betriebsrat früh beteiligen“.')

    const council = join(corpusDir, 'de', 'betriebsrat-beteiligen.md')
    await writeFile(
      council,
      (await readFile(council, 'utf8')).replace(
        'title: Den Betriebsrat früh beteiligen',
        'title: Den Betriebsrat rechtzeitig beteiligen',
      ),
    )
    const renamed = await ingestCorpus({ database: t.database, embedder, corpusDir })
    expect(renamed).toMatchObject({ updated: 2, unchanged: 2 })
    expect(await passage()).toBe('Wie das geht, steht im Dokument „Den Betriebsrat rechtzeitig beteiligen“.')
  })

  it('writes nothing when one document is invalid', async () => {
    const embedder = createLocalEmbedder()
    await ingestCorpus({ database: t.database, embedder, corpusDir })
    const before = await counts()
    await writeFile(join(corpusDir, 'de', 'betriebsrat-beteiligen.md'), '# Front matter lost\n')
    await writeFile(
      join(corpusDir, 'de', 'neu.md'),
      '---\nid: neu\ntitle: Ein neues Dokument\nlang: de\naudience: [employees]\nfield: health\nphase: basics\nsources: [x]\nreviewed: 2026-11-24\n---\n# Neu\n\nText.\n',
    )
    await expect(ingestCorpus({ database: t.database, embedder, corpusDir })).rejects.toBeInstanceOf(
      CorpusError,
    )
    expect(await counts()).toEqual(before)
    const { rows } = await t.database.query(`select id from documents where id = 'neu'`)
    expect(rows).toEqual([])
  })

  it('re-embeds everything when the embedder changes, and never mixes vectors', async () => {
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir })
    const other = createLocalEmbedder(createIdfTable({ chunks: 1, df: {} }))
    const switched = await ingestCorpus({ database: t.database, embedder: other, corpusDir })
    expect(switched).toMatchObject({ reembedded: true, added: 0, updated: 4, unchanged: 0 })
    const { rows } = await t.database.query<{ embedder: string }>('select distinct embedder from chunks')
    expect(rows).toEqual([{ embedder: other.id }])
  })

  it('recomputes the stored full-text vectors when the server stems differently from when they were stored', async () => {
    const embedder = createLocalEmbedder()
    const first = await ingestCorpus({ database: t.database, embedder, corpusDir })
    expect(first.restemmed).toBe(false)
    const versions = async () =>
      (
        await t.database.query<{ v: string }>(
          `select xmin::text || ':' || (select string_agg(xmin::text, ',') from chunk_questions) as v
           from chunks order by id limit 1`,
        )
      ).rows[0]?.v
    const stored = async () =>
      (
        await t.database.query<{ v: string }>(
          `select value #>> '{}' as v from store_settings where key = 'text_search'`,
        )
      ).rows[0]?.v
    const current = await stored()
    expect(current).toMatch(/^\d+:[0-9a-f]{32}$/)
    const untouched = await versions()
    // Unchanged corpus and stemming: nothing is written.
    expect(await ingestCorpus({ database: t.database, embedder, corpusDir })).toMatchObject({
      restemmed: false,
      unchanged: 4,
    })
    expect(await versions()).toBe(untouched)
    // As after a major upgrade of the server: the stored vectors were made by another version's stemmer.
    await t.database.query(
      `update store_settings set value = to_jsonb('15:0123'::text) where key = 'text_search'`,
    )
    const upgraded = await ingestCorpus({ database: t.database, embedder, corpusDir })
    expect(upgraded).toMatchObject({ restemmed: true, unchanged: 4, chunks: 0 })
    expect(await versions()).not.toBe(untouched)
    expect(await stored()).toBe(current)
    const stale = await t.database.query<{ n: number }>(
      `select count(*)::int as n from chunks
       where tsv <> to_tsvector(case lang when 'de' then 'german'::regconfig else 'english'::regconfig end,
                                heading || ' ' || text)`,
    )
    expect(stale.rows[0]?.n).toBe(0)
  })

  it('uses an OpenAI-compatible embeddings endpoint when a key is set', async () => {
    const calls: EmbeddingsCall[] = []
    mockNetwork.use(embeddingsHandler({ nativeDimensions: 1536, calls }))
    const embedder = await selectEmbedder({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: undefined,
      EMBEDDINGS_PROVIDER: 'auto',
      EMBEDDINGS_MODEL: 'text-embedding-3-small',
      EMBEDDINGS_TIMEOUT_MS: 30_000,
      EMBEDDINGS_DIMENSIONS: 64,
    })
    expect(embedder).toMatchObject({ id: 'openai:text-embedding-3-small:64', dimensions: 64 })
    const summary = await ingestCorpus({ database: t.database, embedder, corpusDir })
    expect(summary.added).toBe(4)
    expect(calls.every((call) => call.model === 'text-embedding-3-small' && call.dimensions === 64)).toBe(
      true,
    )
    const { rows } = await t.database.query<{ embedder: string; embedding_dim: number }>(
      'select distinct embedder, embedding_dim from chunks',
    )
    expect(rows).toEqual([{ embedder: 'openai:text-embedding-3-small:64', embedding_dim: 64 }])
    const hits = await search(t.database, embedder, { query: 'Betriebsrat Zeitplan', k: 3, mode: 'vector' })
    expect(hits[0]?.documentId).toBe('betriebsrat-beteiligen')
  })
})
