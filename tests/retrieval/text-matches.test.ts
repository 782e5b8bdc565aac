// The full-text list ranks every match up to TEXT_MATCHES, not only the first the scan reads: the
// passage that ranks best is found although 499 others that match come before it in the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { insertChunks } from '../../src/retrieval/chunk-store.ts'
import { searchWithVector, TEXT_MATCHES } from '../../src/retrieval/search.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'

const embedder = { id: 'test-4', dimensions: 4 }
// As many matches as the dev questions find at most on the shipped corpus (357), and more.
const MATCHES = 500

describe.each(databaseAdapters)('full-text matches: $name', (adapter) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await adapter.open()
    await migrate(t.database, await readMigrations())
    await t.database.query(
      `insert into documents (id, title, lang, audience, field, phase, reviewed, path, content_hash)
       values ('doc', 'Doc', 'de', '{management}', 'general', 'basics', '2026-11-24', '-', '-')`,
    )
    await insertChunks(
      t.database,
      Array.from({ length: MATCHES }, (_, i) => ({
        id: `c${String(i).padStart(3, '0')}`,
        documentId: 'doc',
        position: i,
        heading: '',
        // The last passage, written last, says the word most often for its length.
        text:
          i === MATCHES - 1
            ? 'Der Lernpfad, ein Lernpfad, noch ein Lernpfad.'
            : `Ein Lernpfad unter vielen Themen der Weiterbildung im Betrieb, Abschnitt ${i}.`,
        questions: [],
        lang: 'de',
        vector: [1, 0, 0, 0],
      })),
      embedder,
    )
    await t.database.exec('analyze chunks')
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('ranks the best match first although the scan reads it last', async () => {
    expect(TEXT_MATCHES).toBeGreaterThanOrEqual(MATCHES)
    const hits = await searchWithVector(t.database, embedder, {
      query: 'Lernpfad',
      k: 3,
      mode: 'fulltext',
      vector: null,
      filters: { lang: 'de' },
    })
    expect(hits[0]?.chunkId).toBe(`c${MATCHES - 1}`)
    // With the former bound of 200 the scan stopped before it.
    const bounded = await searchWithVector(t.database, embedder, {
      query: 'Lernpfad',
      k: 3,
      mode: 'fulltext',
      vector: null,
      filters: { lang: 'de' },
      textMatches: 200,
    })
    expect(bounded.map((h) => h.chunkId)).not.toContain(`c${MATCHES - 1}`)
  })
})
