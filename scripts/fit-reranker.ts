// `npm run reranker:fit`: fits the reranker (a logistic model over the signals of rerank.ts) on the
// sections' own questions and writes src/retrieval/reranker-model.json. Every question is asked once
// with itself left out of the question index, so the model learns how a new wording of a section's
// question finds it, not that a question finds itself. The dev split of the question set
// (evals/datasets/questions/dev.jsonl) and the real questions of dev-real.jsonl set the level from which
// the best section counts as an answer ("not covered" below it). The real questions also train the
// model beside the sections' own ones, weighted by REAL_WEIGHT, chosen by `--cv` (five folds over them);
// the test split is never read.
import { readFile, writeFile } from 'node:fs/promises'
import { migrate } from '../src/db/migrate.ts'
import { readMigrations } from '../src/db/migration-files.ts'
import { createPgliteDatabase } from '../src/db/pglite.ts'
import type { Lang } from '../src/retrieval/corpus-schema.ts'
import { createLocalEmbedder } from '../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../src/retrieval/ingest.ts'
import {
  documentSupport,
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
/** The weight of the real questions' loss against the sections' own questions' (each a mean). */
const REAL_WEIGHT = Number(flag('--real-weight') ?? 1)

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
  gold: { doc: string; section?: string }[]
}

const readCases = async (file: string) =>
  (await readFile(`evals/datasets/questions/${file}`, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as DevCase)
const devCases = await readCases('dev.jsonl')
const realCases = await readCases('dev-real.jsonl')

// `--rows file` reads the candidates' signals written by an earlier `--dump file` (same corpus, same
// signals): the fit itself takes seconds, finding the candidates minutes.
const cached = flag('--rows')
const { trainRows, devRows, realRows } = cached
  ? (JSON.parse(await readFile(cached, 'utf8')) as { trainRows: Row[]; devRows: Row[]; realRows: Row[] })
  : await findRows()

async function findRows(): Promise<{ trainRows: Row[]; devRows: Row[]; realRows: Row[] }> {
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
  const real: Query[] = realCases.map((c) => ({
    text: c.question,
    lang: c.lang,
    gold: (hit: SearchHit) =>
      c.gold.some((g) => g.doc === hit.documentId && g.section === hit.heading.split(' › ')[1]),
  }))
  console.error(
    `${sections.length} sections with questions, ${training.length} training questions, ${dev.length} dev questions, ${real.length} real questions`,
  )

  const rowsOf = async (queries: readonly Query[]): Promise<Row[]> => {
    const rows: Row[] = []
    for (const [n, query] of queries.entries()) {
      const context = queryContext({ query: query.text, role: detectRole(query.text) })
      const pool = await candidates(query)
      const support = documentSupport(pool)
      for (const [order, hit] of pool.entries()) {
        const f = featuresOf(hit, context, support[order] ?? 0)
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
  const found = {
    trainRows: await rowsOf(training),
    devRows: await rowsOf(dev),
    realRows: await rowsOf(real),
  }
  await database.close()
  const dump = flag('--dump')
  if (dump) await writeFile(dump, JSON.stringify({ features: FEATURES, ...found, devCases }))
  return found
}

// A listwise logistic model (softmax over each question's candidates, the gold sections sharing the
// target), fitted by gradient descent on the full batch: it learns to put the answering section first.
// The sections' own questions and the real questions each contribute their mean loss, the real ones
// times REAL_WEIGHT.
const listsOf = (rows: readonly Row[]): Row[][] => {
  const groups = new Map<number, Row[]>()
  for (const r of rows) groups.set(r.query, [...(groups.get(r.query) ?? []), r])
  return [...groups.values()].filter((list) => list.some((r) => r.y === 1))
}

function fitWeights(sets: ReadonlyArray<{ lists: Row[][]; weight: number }>): number[] {
  let w = FEATURES.map(() => 0)
  const dot = (x: readonly number[]) => x.reduce((sum, v, i) => sum + v * (w[i] ?? 0), 0)
  for (let step = 0; step < STEPS; step++) {
    const gradient = w.map((v) => L2 * v)
    for (const { lists, weight } of sets) {
      for (const rows of lists) {
        const scores = rows.map((r) => dot(r.x))
        const top = Math.max(...scores)
        const exp = scores.map((z) => Math.exp(z - top))
        const total = exp.reduce((a, b) => a + b, 0)
        const gold = rows.filter((r) => r.y === 1).length
        rows.forEach((r, k) => {
          const g = (weight * ((exp[k] ?? 0) / total - r.y / gold)) / lists.length
          r.x.forEach((v, i) => {
            gradient[i] = (gradient[i] ?? 0) + g * v
          })
        })
      }
    }
    w = w.map((v, i) => v - LEARNING_RATE * (gradient[i] ?? 0))
  }
  return w
}

const modelOf = (w: readonly number[]): RerankerModel => ({
  bias: 0,
  weights: Object.fromEntries(FEATURES.map((name, i) => [name, Number((w[i] ?? 0).toFixed(4))])) as Record<
    Feature,
    number
  >,
})

/** A model's score of a candidate's signals. */
const scoreOf = (r: Row, m: RerankerModel) =>
  probability(Object.fromEntries(FEATURES.map((n, i) => [n, r.x[i] ?? 0])) as Record<Feature, number>, m)

/** Share of queries (with a gold candidate or not) whose first candidate is gold, fused or reranked. */
function firstHit(rows: readonly Row[], m?: RerankerModel): number {
  const order = (r: Row) => (m ? scoreOf(r, m) : -r.fusedOrder)
  const best = new Map<number, Row>()
  for (const r of rows) {
    const seen = best.get(r.query)
    if (!seen || order(r) > order(seen)) best.set(r.query, r)
  }
  const queries = new Set(rows.map((r) => r.query)).size
  return [...best.values()].filter((r) => r.y === 1).length / Math.max(1, queries)
}

const ownLists = listsOf(trainRows)
const coveredReal = realRows.filter((r) => realCases[r.query]?.covered)
const pct = (v: number) => v.toFixed(3)

// `--cv`: five folds over the real questions; each fold is scored by a model fitted without it, for
// several weights of the real questions. Prints the table and exits without writing the model.
if (process.argv.includes('--cv')) {
  const queries = [...new Set(coveredReal.map((r) => r.query))]
  const foldOf = (q: number) => queries.indexOf(q) % 5
  console.log('real weight   real first gold (5-fold, held out)   own questions (LOO)')
  for (const weight of [0, 0.25, 0.5, 1, 2, 4]) {
    let hits = 0
    for (let fold = 0; fold < 5; fold++) {
      const train = coveredReal.filter((r) => foldOf(r.query) !== fold)
      const held = coveredReal.filter((r) => foldOf(r.query) === fold)
      const m = modelOf(
        fitWeights([
          { lists: ownLists, weight: 1 },
          { lists: listsOf(train), weight },
        ]),
      )
      hits += firstHit(held, m) * new Set(held.map((r) => r.query)).size
    }
    const all = modelOf(
      fitWeights([
        { lists: ownLists, weight: 1 },
        { lists: listsOf(coveredReal), weight },
      ]),
    )
    console.log(
      `${String(weight).padEnd(13)} ${pct(hits / queries.length).padEnd(36)} ${pct(firstHit(trainRows, all))}`,
    )
  }
  console.log(`fused order without reranking: real ${pct(firstHit(coveredReal))}`)
  process.exit(0)
}

const model = modelOf(
  fitWeights([
    { lists: ownLists, weight: 1 },
    { lists: listsOf(coveredReal), weight: REAL_WEIGHT },
  ]),
)

// "Not covered": the share of the question's words in the best candidate (as the fitted model orders
// them) from which covered questions are told from those the corpus does not answer, chosen for the
// best balanced accuracy over the dev split and the real questions together.
const coverageAt = FEATURES.indexOf('coverage')
const topCoverage = (rows: readonly Row[]) => {
  const top = new Map<number, { p: number; coverage: number }>()
  for (const r of rows) {
    const p = scoreOf(r, model)
    const seen = top.get(r.query)
    if (!seen || p > seen.p) top.set(r.query, { p, coverage: r.x[coverageAt] ?? 0 })
  }
  return top
}
const levels = [
  ...[...topCoverage(devRows)].map(([q, t]) => ({
    covered: devCases[q]?.covered ?? true,
    coverage: t.coverage,
  })),
  ...[...topCoverage(realRows)].map(([q, t]) => ({
    covered: realCases[q]?.covered ?? true,
    coverage: t.coverage,
  })),
]
// Questions without any candidate never reach the level: they are "not covered" whatever it is.
const balanced = (level: number) => {
  const rate = (covered: boolean) => {
    const rows = levels.filter((l) => l.covered === covered)
    return rows.filter((l) => l.coverage >= level === covered).length / Math.max(1, rows.length)
  }
  return (rate(true) + rate(false)) / 2
}
// Candidate levels: midway between neighbouring observed values.
const observed = [...new Set(levels.map((l) => l.coverage))].sort((a, b) => a - b)
let coveredFrom = 0.5
for (const [i, value] of observed.entries()) {
  const level = i === 0 ? value : ((observed[i - 1] ?? value) + value) / 2
  if (balanced(level) > balanced(coveredFrom)) coveredFrom = level
}
coveredFrom = Number(coveredFrom.toFixed(3))

const coveredRows = devRows.filter((r) => devCases[r.query]?.covered)
console.log('first candidate is gold                fused   reranked')
console.log(
  `training (own questions, LOO)          ${pct(firstHit(trainRows))}   ${pct(firstHit(trainRows, model))}`,
)
console.log(
  `dev, covered questions (document)      ${pct(firstHit(coveredRows))}   ${pct(firstHit(coveredRows, model))}`,
)
console.log(
  `real, covered questions (section; fit) ${pct(firstHit(coveredReal))}   ${pct(firstHit(coveredReal, model))}`,
)
console.log(
  `"not covered" from ${coveredFrom}: balanced accuracy ${pct(balanced(coveredFrom))} (dev and real)`,
)
console.log(JSON.stringify(model, null, 2))

await writeFile(
  OUT,
  `${JSON.stringify(
    {
      $comment:
        "Fitted by `npm run reranker:fit` (scripts/fit-reranker.ts) on the corpus sections' own questions and the real questions of the dev-real split; coveredFrom chosen on the dev and dev-real splits; do not edit.",
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
