// `npm run reranker:fit`: fits the reranker (a logistic model over the signals of rerank.ts) on the
// sections' own questions and writes src/retrieval/reranker-model.json. Every question is asked once
// with itself left out of the question index, so the model learns how a new wording of a section's
// question finds it, not that a question finds itself. The dev split of the question set
// (evals/datasets/questions/dev.jsonl) sets the level from which the best section counts as an answer
// ("not covered" below it) and is reported; the test split is never read.
import { readFile, writeFile } from 'node:fs/promises'
import { migrate } from '../src/db/migrate.ts'
import { readMigrations } from '../src/db/migration-files.ts'
import { createPgliteDatabase } from '../src/db/pglite.ts'
import type { Lang } from '../src/retrieval/corpus-schema.ts'
import { createLocalEmbedder } from '../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../src/retrieval/ingest.ts'
import {
  FEATURES,
  type Feature,
  featuresOf,
  probability,
  queryContext,
  type RerankerModel,
} from '../src/retrieval/rerank.ts'
import { detectRole } from '../src/retrieval/role.ts'
import { type SearchHit, searchWithVector } from '../src/retrieval/search.ts'
import { expandQuery } from '../src/retrieval/thesaurus.ts'

const OUT = new URL('../src/retrieval/reranker-model.json', import.meta.url)
// L2 penalty and steps of plain gradient descent on the full batch; the fit is small and convex.
const L2 = 1e-3
const STEPS = 300
const LEARNING_RATE = 0.5

interface Query {
  text: string
  lang: Lang
  /** The section (document and heading) that answers it. */
  gold: (hit: SearchHit) => boolean
  excludeQuestion?: string
}

interface Row {
  x: number[]
  y: number
  query: number
  fusedOrder: number
}

interface DevCase {
  question: string
  lang: Lang
  covered: boolean
  gold: { doc: string }[]
}

const devCases = (await readFile('evals/datasets/questions/dev.jsonl', 'utf8'))
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as DevCase)

// `--rows file` reads the candidates' signals written by an earlier `--dump file` (same corpus, same
// signals): the fit itself takes seconds, finding the candidates minutes.
const cached = flag('--rows')
const { trainRows, devRows } = cached
  ? (JSON.parse(await readFile(cached, 'utf8')) as { trainRows: Row[]; devRows: Row[] })
  : await findRows()

async function findRows(): Promise<{ trainRows: Row[]; devRows: Row[] }> {
  const embedder = createLocalEmbedder()
  const database = await createPgliteDatabase()
  await migrate(database, await readMigrations())
  await ingestCorpus({ database, embedder, corpusDir: 'corpus' })

  const candidates = async (query: Query): Promise<SearchHit[]> => {
    const expanded = expandQuery(query.text, query.lang)
    return searchWithVector(database, embedder, {
      query: expanded,
      vector: await embedder.embeddings.embedQuery(expanded),
      mode: 'hybrid',
      filters: { lang: query.lang },
      ...(query.excludeQuestion ? { excludeQuestion: query.excludeQuestion } : {}),
    })
  }

  const { rows: sections } = await database.query<{
    document_id: string
    heading: string
    lang: Lang
    questions: string[]
  }>(
    `select c.document_id, c.heading, c.lang, array_agg(q.question order by q.position) as questions
     from chunk_questions q join chunks c on c.id = q.chunk_id
     group by c.id, c.document_id, c.heading, c.lang order by c.id`,
  )
  const training: Query[] = sections.flatMap((section) =>
    section.questions.map((question) => ({
      text: question,
      lang: section.lang,
      gold: (hit: SearchHit) => hit.documentId === section.document_id && hit.heading === section.heading,
      excludeQuestion: question,
    })),
  )
  const dev: Query[] = devCases.map((c) => ({
    text: c.question,
    lang: c.lang,
    gold: (hit: SearchHit) => c.gold.some((g) => g.doc === hit.documentId),
  }))
  console.error(
    `${sections.length} sections with questions, ${training.length} training questions, ${dev.length} dev questions`,
  )

  const rowsOf = async (queries: readonly Query[]): Promise<Row[]> => {
    const rows: Row[] = []
    for (const [n, query] of queries.entries()) {
      const context = queryContext({ query: query.text, role: detectRole(query.text) })
      for (const [order, hit] of (await candidates(query)).entries()) {
        const f = featuresOf(hit, context)
        rows.push({
          x: FEATURES.map((name) => f[name]),
          y: query.gold(hit) ? 1 : 0,
          query: n,
          fusedOrder: order,
        })
      }
    }
    return rows
  }
  const found = { trainRows: await rowsOf(training), devRows: await rowsOf(dev) }
  await database.close()
  const dump = flag('--dump')
  if (dump) await writeFile(dump, JSON.stringify({ features: FEATURES, ...found, devCases }))
  return found
}

// A listwise logistic model (softmax over each question's candidates, the gold sections sharing the
// target), fitted by gradient descent on the full batch: it learns to put the answering section first.
const groups = new Map<number, Row[]>()
for (const r of trainRows) groups.set(r.query, [...(groups.get(r.query) ?? []), r])
const lists = [...groups.values()].filter((rows) => rows.some((r) => r.y === 1))
let w = FEATURES.map(() => 0)
const dot = (x: readonly number[]) => x.reduce((sum, v, i) => sum + v * (w[i] ?? 0), 0)
for (let step = 0; step < STEPS; step++) {
  const gradient = w.map((v) => L2 * v)
  for (const rows of lists) {
    const scores = rows.map((r) => dot(r.x))
    const top = Math.max(...scores)
    const exp = scores.map((z) => Math.exp(z - top))
    const total = exp.reduce((a, b) => a + b, 0)
    const gold = rows.filter((r) => r.y === 1).length
    rows.forEach((r, k) => {
      const g = ((exp[k] ?? 0) / total - r.y / gold) / lists.length
      r.x.forEach((v, i) => {
        gradient[i] = (gradient[i] ?? 0) + g * v
      })
    })
  }
  w = w.map((v, i) => v - LEARNING_RATE * (gradient[i] ?? 0))
}
const model: RerankerModel = {
  bias: 0,
  weights: Object.fromEntries(FEATURES.map((name, i) => [name, Number((w[i] ?? 0).toFixed(4))])) as Record<
    Feature,
    number
  >,
}

/** The fitted model's score of a candidate's signals. */
const scoreOf = (r: Row) =>
  probability(Object.fromEntries(FEATURES.map((n, i) => [n, r.x[i] ?? 0])) as Record<Feature, number>, model)

/** Share of queries whose first candidate is gold, in fused order and in reranked order. */
function firstHit(rows: readonly Row[], byModel: boolean): number {
  const order = (r: Row) => (byModel ? scoreOf(r) : -r.fusedOrder)
  const best = new Map<number, Row>()
  for (const r of rows) {
    const seen = best.get(r.query)
    if (!seen || order(r) > order(seen)) best.set(r.query, r)
  }
  const queries = new Set(rows.map((r) => r.query)).size
  return [...best.values()].filter((r) => r.y === 1).length / Math.max(1, queries)
}
// "Not covered": the share of the question's words in the best candidate (as the fitted model orders
// them) from which the dev split's covered questions are told from those the corpus does not answer,
// chosen for the best balanced accuracy.
const coverageAt = FEATURES.indexOf('coverage')
const topCoverage = new Map<number, { p: number; coverage: number }>()
for (const r of devRows) {
  const p = scoreOf(r)
  const seen = topCoverage.get(r.query)
  if (!seen || p > seen.p) topCoverage.set(r.query, { p, coverage: r.x[coverageAt] ?? 0 })
}
const balanced = (level: number) => {
  const answered = devCases.map((c, i) => ({ c, answered: (topCoverage.get(i)?.coverage ?? 0) >= level }))
  const rate = (rows: typeof answered, want: boolean) =>
    rows.filter((r) => r.answered === want).length / Math.max(1, rows.length)
  return (
    (rate(
      answered.filter((r) => r.c.covered),
      true,
    ) +
      rate(
        answered.filter((r) => !r.c.covered),
        false,
      )) /
    2
  )
}
// Candidate levels: midway between neighbouring observed values.
const observed = [...new Set([...topCoverage.values()].map((t) => t.coverage))].sort((a, b) => a - b)
let coveredFrom = 0.5
for (const [i, value] of observed.entries()) {
  const level = i === 0 ? value : ((observed[i - 1] ?? value) + value) / 2
  if (balanced(level) > balanced(coveredFrom)) coveredFrom = level
}
coveredFrom = Number(coveredFrom.toFixed(3))

const pct = (v: number) => v.toFixed(3)
const coveredRows = devRows.filter((r) => devCases[r.query]?.covered)
console.log('first candidate is gold                fused   reranked')
console.log(
  `training (own questions, LOO)          ${pct(firstHit(trainRows, false))}   ${pct(firstHit(trainRows, true))}`,
)
console.log(
  `dev, covered questions (document)      ${pct(firstHit(coveredRows, false))}   ${pct(firstHit(coveredRows, true))}`,
)
console.log(`dev, "not covered" from ${coveredFrom}: balanced accuracy ${pct(balanced(coveredFrom))}`)
console.log(JSON.stringify(model, null, 2))

await writeFile(
  OUT,
  `${JSON.stringify(
    {
      $comment:
        "Fitted by `npm run reranker:fit` (scripts/fit-reranker.ts) on the corpus sections' own questions; coveredFrom chosen on the dev split; do not edit.",
      ...model,
      coveredFrom,
    },
    null,
    2,
  )}\n`,
)

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}
