// `npm run bench:retrieval`: retrieval quality on the eval set, query latency at 1k/10k/100k chunks on
// PGlite and on `pg` over the wire, ingest throughput, the recall of language-filtered vector lists
// against exact search, and the cost of re-ingesting an unchanged corpus. Prints figures; a baseline
// (the bare vector k-NN query) is measured in the same run. Not a test.
// `-- --database-url postgres://…` measures on that PostgreSQL server instead of PGlite (its database
// must have the vector extension; the bench migrates it and empties the knowledge tables per size).
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import { readJsonl, retrievalCase } from '../evals/lib/datasets.ts'
import { runRetrievalEval } from '../evals/lib/retrieval-eval.ts'
import { type Database, toVectorLiteral } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { readMigrations } from '../src/db/migration-files.ts'
import { wrapPglite } from '../src/db/pglite.ts'
import { createPostgresDatabase } from '../src/db/postgres.ts'
import { ensureVectorIndex, insertChunks } from '../src/retrieval/chunk-store.ts'
import { chunkDocument } from '../src/retrieval/chunker.ts'
import { loadCorpus } from '../src/retrieval/corpus-loader.ts'
import { createLocalEmbedder } from '../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../src/retrieval/ingest.ts'
import {
  CANDIDATES,
  type SearchMode,
  searchWithVector,
  TEXT_MATCHES,
  textTerms,
} from '../src/retrieval/search.ts'

const urlFlag = process.argv.indexOf('--database-url')
const DATABASE_URL = urlFlag >= 0 ? process.argv[urlFlag + 1] : undefined
if (urlFlag >= 0 && !DATABASE_URL?.startsWith('postgres')) {
  console.error('Usage: npm run bench:retrieval -- [--database-url postgres://user:password@host:5432/db]')
  process.exit(2)
}
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number)
const QUERY_RUNS = 60
const embedder = createLocalEmbedder()

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}
const ms = (value: number) => `${value.toFixed(1)} ms`

async function freshDatabase(): Promise<{ db: PGlite | null; database: Database }> {
  if (DATABASE_URL) {
    const database = createPostgresDatabase(new pg.Pool({ connectionString: DATABASE_URL, max: 2 }))
    await migrate(database, await readMigrations())
    // Empty knowledge tables and no vector index: the same start as a new embedded database.
    await database.exec('truncate documents, chunks, chunk_questions cascade')
    const { rows } = await database.query<{ name: string }>(
      `select indexname as name from pg_indexes where indexname like '%embedding_hnsw%'`,
    )
    for (const { name } of rows) await database.exec(`drop index ${name}`)
    return { db: null, database }
  }
  const db = await PGlite.create({ extensions: { vector } })
  const database = wrapPglite(db)
  await migrate(database, await readMigrations())
  return { db, database }
}

async function quality() {
  const { database } = await freshDatabase()
  await ingestCorpus({ database, embedder, corpusDir: 'corpus' })
  const cases = await readJsonl('evals/datasets/retrieval.jsonl', retrievalCase)
  console.log(`\n## Retrieval quality (${cases.length} questions, document level, local embedder)\n`)
  console.log('| mode | hit@3 | hit@5 | MRR@10 | nDCG@10 |')
  console.log('|---|---|---|---|---|')
  for (const mode of ['vector', 'fulltext', 'hybrid'] as const) {
    const { scores } = await runRetrievalEval(database, embedder, cases, mode)
    const f = (v: number) => v.toFixed(3)
    console.log(
      `| ${mode} | ${f(scores.hit3)} | ${f(scores.hit5)} | ${f(scores.mrr10)} | ${f(scores.ndcg10)} |`,
    )
  }

  console.log('\nFull-text lists on the shipped corpus, ranked up to a bound against all matches:\n')
  console.log('| chunks | matches p50 / max | matches ranked | overlap@10 | overlap@40 | p50 / p95 |')
  console.log('|---|---|---|---|---|---|')
  for (const row of await textBound('corpus', database, cases)) console.log(row)

  // Re-ingesting the unchanged corpus: loads, hashes and compares, writes nothing.
  const runs: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    const summary = await ingestCorpus({ database, embedder, corpusDir: 'corpus' })
    runs.push(performance.now() - started)
    if (summary.chunks !== 0) throw new Error('unchanged corpus was re-embedded')
  }
  console.log(
    `\nRe-ingest of the unchanged corpus: median ${ms(percentile(runs, 50))} (5 runs; target < 1000 ms)`,
  )
  await database.close()
}

/** Synthetic passages built from real corpus sentences, so that vocabulary and lengths are realistic. */
async function syntheticTexts(
  count: number,
): Promise<Array<{ heading: string; text: string; lang: string }>> {
  const documents = await loadCorpus('corpus')
  const sentences: Array<{ text: string; lang: string; heading: string }> = []
  for (const doc of documents) {
    for (const chunk of await chunkDocument(doc.meta.id, doc.meta.title, doc.body)) {
      for (const sentence of chunk.text.split(/(?<=[.!?])\s+/)) {
        if (sentence.length > 30)
          sentences.push({ text: sentence, lang: doc.meta.lang, heading: chunk.heading })
      }
    }
  }
  let seed = 42
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed / 2 ** 32
  }
  return Array.from({ length: count }, () => {
    const first = sentences[Math.floor(random() * sentences.length)] ?? { text: '', lang: 'de', heading: '' }
    const pool = sentences.filter((s) => s.lang === first.lang)
    const parts = [first.text]
    for (let i = 0; i < 5; i++) parts.push(pool[Math.floor(random() * pool.length)]?.text ?? '')
    return { heading: first.heading, text: parts.join(' '), lang: first.lang }
  })
}

async function timeQueries(label: string, run: (question: string) => Promise<unknown>, questions: string[]) {
  for (const q of questions.slice(0, 5)) await run(q) // warm-up
  const times: number[] = []
  for (let i = 0; i < QUERY_RUNS; i++) {
    const question = questions[i % questions.length] ?? ''
    const started = performance.now()
    await run(question)
    times.push(performance.now() - started)
  }
  return { label, p50: percentile(times, 50), p95: percentile(times, 95) }
}

async function scaling() {
  const cases = await readJsonl('evals/datasets/retrieval.jsonl', retrievalCase)
  const questions = cases.map((c) => c.question)
  console.log('\n## Scaling on synthetic chunks (local embedder, 512 dimensions, HNSW m=16)\n')
  console.log(
    '| chunks | adapter | bare k-NN p50/p95 | vector p50/p95 | full text p50/p95 | hybrid p50/p95 | hybrid p95 / bare k-NN p95 |',
  )
  console.log('|---|---|---|---|---|---|---|')
  const ingestRows: string[] = []
  const filteredRows: string[] = []
  const textRows: string[] = []
  for (const size of SIZES) {
    const { db, database } = await freshDatabase()
    const texts = await syntheticTexts(size)
    const started = performance.now()
    const BATCH = 500
    for (let start = 0; start < texts.length; start += BATCH) {
      const batch = texts.slice(start, start + BATCH)
      const vectors = await embedder.embeddings.embedDocuments(batch.map((t) => `${t.heading}\n${t.text}`))
      await database.transaction(async (tx) => {
        if (start === 0) {
          await tx.query(
            `insert into documents (id, title, lang, audience, field, phase, reviewed, path, content_hash)
             values ('synthetic-de', 'Synthetisch', 'de', '{management}', 'general', 'basics', '2026-11-24', '-', '-'),
                    ('synthetic-en', 'Synthetic', 'en', '{management}', 'general', 'basics', '2026-11-24', '-', '-')`,
          )
        }
        await insertChunks(
          tx,
          batch.map((t, i) => ({
            id: `s${start + i}`,
            documentId: `synthetic-${t.lang}`,
            position: start + i,
            heading: t.heading,
            text: t.text,
            questions: [],
            lang: t.lang,
            vector: vectors[i] ?? [],
          })),
          embedder,
        )
      })
    }
    const ingestSeconds = (performance.now() - started) / 1000
    // Before: one HNSW index over both languages (the index before migration 013); the bare k-NN
    // baseline keeps using it. After: one index per language, as ingest makes them now.
    const single = await timed(() =>
      database.transaction(async (tx) => {
        await tx.exec(`set local maintenance_work_mem = '1GB'`) // the graph builds much faster in memory
        await tx.exec(`create index chunks_embedding_hnsw_512 on chunks
          using hnsw ((embedding::vector(512)) vector_cosine_ops) where embedding_dim = 512`)
      }),
    )
    await database.exec('analyze chunks; analyze documents') // as ingestCorpus does
    const questionsWithVectors = await embedQuestions(questions)
    filteredRows.push(...(await filteredRecall(size, 'one for both', database, questionsWithVectors)))
    const perLanguage = await timed(() =>
      database.transaction(async (tx) => {
        await tx.exec(`set local maintenance_work_mem = '1GB'`)
        await ensureVectorIndex(tx, embedder.dimensions)
      }),
    )
    await database.exec('analyze chunks')
    ingestRows.push(
      `| ${size} | ${(size / ingestSeconds).toFixed(0)} chunks/s (embed + insert) | ${single.toFixed(1)} s | ${perLanguage.toFixed(1)} s |`,
    )
    filteredRows.push(...(await filteredRecall(size, 'one per language', database, questionsWithVectors)))

    const server = db ? new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 }) : null
    await server?.start()
    const wire = server
      ? createPostgresDatabase(
          new pg.Pool({ connectionString: `postgres://postgres@${server.getServerConn()}/postgres`, max: 2 }),
        )
      : null
    const queryVectors = questionsWithVectors

    const targets: Array<readonly [string, Database]> = wire
      ? [
          ['pglite', database],
          ['pg (wire)', wire],
        ]
      : [['postgresql', database]]
    for (const [adapter, target] of targets) {
      const bare = await timeQueries(
        'bare',
        (q) =>
          target.query(
            `select id from chunks where embedding_dim = 512
             order by embedding::vector(512) <=> $1::vector(512) limit 5`,
            [toVectorLiteral(queryVectors.get(q) ?? [])],
          ),
        questions,
      )
      const byMode = async (mode: SearchMode) =>
        timeQueries(
          mode,
          (q) =>
            searchWithVector(target, embedder, {
              query: q,
              k: 5,
              mode,
              vector: mode === 'fulltext' ? null : (queryVectors.get(q) ?? null),
            }),
          questions,
        )
      const [vec, text, hybrid] = [await byMode('vector'), await byMode('fulltext'), await byMode('hybrid')]
      const pair = (r: { p50: number; p95: number }) => `${r.p50.toFixed(1)} / ${r.p95.toFixed(1)} ms`
      console.log(
        `| ${size} | ${adapter} | ${pair(bare)} | ${pair(vec)} | ${pair(text)} | ${pair(hybrid)} | ${(hybrid.p95 / bare.p95).toFixed(2)} |`,
      )
    }
    textRows.push(...(await textBound(size, database, cases)))
    await wire?.close()
    await server?.stop()
    if (db) await db.close()
    else await database.close()
  }
  console.log(
    '\n| chunks | ingest | HNSW build, one index | HNSW build, one per language |\n|---|---|---|---|',
  )
  for (const row of ingestRows) console.log(row)
  console.log(
    `\n### Language-filtered vector lists (${CANDIDATES} candidates per question and language) against exact search\n`,
  )
  console.log('| chunks | HNSW index | hnsw.iterative_scan | recall | short lists | p50 / p95 |')
  console.log('|---|---|---|---|---|---|')
  for (const row of filteredRows) console.log(row)
  console.log(
    `\n### Full-text lists (${CANDIDATES} candidates, the question's language) with the matches ranked up to a bound, against ranking all matches\n`,
  )
  console.log('| chunks | matches p50 / max | matches ranked | overlap@10 | overlap@40 | p50 / p95 |')
  console.log('|---|---|---|---|---|---|')
  for (const row of textRows) console.log(row)
}

/**
 * The full-text list of every question (in its language, as the chat asks) with the matches ranked up
 * to the former bound (200), the current one and all of them; overlap with the list of all matches.
 */
async function textBound(
  size: number | string,
  database: Database,
  cases: Array<{ question: string; lang: 'de' | 'en' }>,
): Promise<string[]> {
  const list = (query: string, lang: 'de' | 'en', textMatches: number | null) =>
    searchWithVector(database, embedder, {
      query,
      k: CANDIDATES,
      mode: 'fulltext',
      vector: null,
      filters: { lang },
      textMatches,
    })
  const counts: number[] = []
  const all = new Map<string, string[]>()
  for (const c of cases) {
    all.set(
      c.question,
      (await list(c.question, c.lang, null)).map((hit) => hit.chunkId),
    )
    const { rows } = await database.query<{ n: number }>(
      `select count(*)::int as n from chunks
       where lang = $2 and tsv @@ websearch_to_tsquery(case $2 when 'de' then 'german' else 'english' end::regconfig, $1)`,
      [textTerms(c.question), c.lang],
    )
    counts.push(rows[0]?.n ?? 0)
  }
  const rows: string[] = []
  for (const bound of [200, TEXT_MATCHES, null]) {
    const times: number[] = []
    let at10 = 0
    let at40 = 0
    for (const c of cases) {
      const started = performance.now()
      const got = (await list(c.question, c.lang, bound)).map((hit) => hit.chunkId)
      times.push(performance.now() - started)
      const truth = all.get(c.question) ?? []
      const share = (n: number) =>
        got.slice(0, n).filter((id) => truth.slice(0, n).includes(id)).length /
        Math.max(1, Math.min(n, truth.length))
      at10 += share(10)
      at40 += share(40)
    }
    rows.push(
      `| ${size} | ${percentile(counts, 50)} / ${Math.max(...counts)} | ${bound ?? 'all'} | ${(at10 / cases.length).toFixed(3)} | ${(at40 / cases.length).toFixed(3)} | ${percentile(times, 50).toFixed(1)} / ${percentile(times, 95).toFixed(1)} ms |`,
    )
  }
  return rows
}

/** Queries are embedded up front: the figures compare SQL with SQL. */
async function embedQuestions(questions: string[]): Promise<Map<string, number[]>> {
  const vectors = new Map<string, number[]>()
  for (const q of questions) vectors.set(q, await embedder.embeddings.embedQuery(q))
  return vectors
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await run()
  return (performance.now() - started) / 1000
}

/**
 * The vector list of every question in each language, as the search asks for it (filtered by language,
 * CANDIDATES long), with and without iterative scans, against the exact list (no index: a sequential
 * scan). Prints which index the filtered list was read from.
 */
async function filteredRecall(
  size: number,
  indexes: string,
  database: Database,
  queryVectors: Map<string, number[]>,
): Promise<string[]> {
  const questions = [...queryVectors.keys()]
  const request = (query: string, lang: 'de' | 'en') => ({
    query,
    k: CANDIDATES,
    mode: 'vector' as const,
    vector: queryVectors.get(query) ?? null,
    filters: { lang },
  })
  const list = (settings: string[], query: string, lang: 'de' | 'en') =>
    database.transaction(async (tx) => {
      for (const setting of settings) await tx.exec(`set local ${setting}`)
      const hits = await searchWithVector(tx, embedder, request(query, lang))
      return hits.map((hit) => hit.chunkId)
    })
  const plan: string[] = []
  await searchWithVector(
    {
      query: async (sql, params) => {
        const { rows } = await database.query(`explain (costs off) ${sql}`, params)
        plan.push(...rows.map((row) => String(Object.values(row)[0])))
        return { rows: [], rowCount: 0 }
      },
      exec: (sql) => database.exec(sql),
    },
    embedder,
    request(questions[0] ?? '', 'de'),
  )
  const used = [...new Set(plan.join('\n').match(/chunks_embedding_hnsw_\w+/g) ?? ['none (a scan)'])]
  console.log(`${size} chunks, ${indexes}: the German vector list reads ${used.join(', ')}`)
  const exact = new Map<string, string[]>()
  for (const q of questions)
    for (const lang of ['de', 'en'] as const)
      exact.set(`${lang}:${q}`, await list(['enable_indexscan = off', 'enable_bitmapscan = off'], q, lang))
  const rows: string[] = []
  for (const mode of ['off', 'relaxed_order']) {
    let found = 0
    let wanted = 0
    let short = 0
    const times: number[] = []
    for (const q of questions)
      for (const lang of ['de', 'en'] as const) {
        const started = performance.now()
        const got = await list([`hnsw.iterative_scan = ${mode}`], q, lang)
        times.push(performance.now() - started)
        const truth = exact.get(`${lang}:${q}`) ?? []
        const inTruth = new Set(truth)
        found += got.filter((id) => inTruth.has(id)).length
        wanted += truth.length
        if (got.length < truth.length) short++
      }
    rows.push(
      `| ${size} | ${indexes} | ${mode} | ${(found / Math.max(1, wanted)).toFixed(3)} | ${short} of ${times.length} | ${percentile(times, 50).toFixed(1)} / ${percentile(times, 95).toFixed(1)} ms |`,
    )
  }
  return rows
}

console.log(
  `# bench:retrieval — ${new Date().toISOString()}, Node ${process.version}, ${DATABASE_URL ? 'PostgreSQL server' : 'PGlite'}`,
)
await quality()
await scaling()
