// `npm run eval`: the eval suite. Retrieval (vector / full text / hybrid), routing (rules / rules +
// model) and answers (offline / generated) side by side, against the real app with the model served
// from fixtures at the HTTP edge. Writes evals/reports/latest.{json,md,html}, compares with
// evals/baseline.json and exits 1 when a threshold of evals/gate.json is not met.
//
//   npm run eval                       replay the fixtures (no key, no network)
//   npm run eval -- --record           answer from OPENAI_API_KEY/OPENAI_BASE_URL and store the fixtures
//   npm run eval -- --author           rebuild fixtures from evals/fixtures/authored/
//   npm run eval -- --live             talk to the real endpoint, store nothing
//   npm run eval -- --only routing     one part: retrieval, routing or answers (comma-separated)
//   npm run eval -- --update-baseline  make this run the baseline
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChatModel } from '../src/agents/models.ts'
import { progressBar } from '../src/cli/progress-bar.ts'
import { loadConfig } from '../src/config.ts'
import type { Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { readMigrations } from '../src/db/migration-files.ts'
import { createPgliteDatabase } from '../src/db/pglite.ts'
import { createLogger } from '../src/log.ts'
import { loadCorpus } from '../src/retrieval/corpus-loader.ts'
import { createLocalEmbedder } from '../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../src/retrieval/ingest.ts'
import { createApp } from '../src/server/app.ts'
import {
  conversationsOf,
  driveConversations,
  type EvalConversation,
  turnsWithPrevious,
} from './lib/answer-eval.ts'
import { scoreAnswers } from './lib/answer-metrics.ts'
import { authoredTurns } from './lib/authoring.ts'
import {
  adversarialCase,
  answerCase,
  conversationCase,
  DatasetError,
  questionCase,
  readJsonl,
  retrievalCase,
  routingCase,
} from './lib/datasets.ts'
import { applyGate, compareWithBaseline, type Metrics, readGate } from './lib/gate.ts'
import { FixtureStore, fixtureMode } from './lib/model-fixtures.ts'
import { runQuestionEval } from './lib/question-eval.ts'
import { type AnswerMode, type EvalReport, flatMetrics, markdownSummary, turnRow } from './lib/report.ts'
import { htmlReport } from './lib/report-html.ts'
import { runRetrievalEval } from './lib/retrieval-eval.ts'
import { fixtureConfig, runRoutingEval } from './lib/routing-eval.ts'

const ANSWER_FIXTURES = 'evals/fixtures/answers.jsonl'
const ANSWER_AUTHORED = 'evals/fixtures/authored/answers-model.jsonl'
const EVAL_CORPUS = 'evals/corpus'
const REPORTS = 'evals/reports'
const BASELINE = 'evals/baseline.json'
const PARTS = ['retrieval', 'questions', 'routing', 'answers'] as const

const argv = process.argv.slice(2)
const mode = fixtureMode(argv)
const onlyArg = argv.find((a) => a.startsWith('--only'))
const only = onlyArg
  ? ((onlyArg.includes('=') ? onlyArg.split('=')[1] : argv[argv.indexOf(onlyArg) + 1])?.split(',') ?? [])
  : [...PARTS]
const unknownPart = only.find((p) => !(PARTS as readonly string[]).includes(p))
if (unknownPart) exit(2, `--only takes ${PARTS.join(', ')} (comma-separated), not "${unknownPart}".`)
if ((mode === 'record' || mode === 'live') && !process.env.OPENAI_API_KEY)
  exit(2, `--${mode} needs OPENAI_API_KEY (and OPENAI_BASE_URL for endpoints other than OpenAI).`)

const started = performance.now()
const stage = (name: string) => {
  const at = performance.now()
  return () => console.error(`${name}: ${((performance.now() - at) / 1000).toFixed(1)} s`)
}

// Every dataset is checked before anything runs; all bad lines are listed at once.
const datasets = await loadDatasets()
const embedder = createLocalEmbedder()
const database = await createPgliteDatabase()
const migrations = await readMigrations()
await migrate(database, migrations)
let done = stage('ingest')
const ingestBar = progressBar('ingest   ')
await ingestCorpus({ database, embedder, corpusDir: 'corpus', onProgress: ingestBar.update })
ingestBar.done()
done()

const report: Omit<EvalReport, 'metrics' | 'gate' | 'baseline' | 'failures' | 'passed'> = {
  generatedAt: new Date().toISOString(),
  fixtureMode: mode,
  seconds: 0,
  datasets: {
    ...Object.fromEntries(
      Object.entries(datasets).map(([name, rows]) => [name, Array.isArray(rows) ? rows.length : 0]),
    ),
    routingDev: datasets.routing.dev.length,
    routingTest: datasets.routing.test.length,
    questionsDev: datasets.questions.dev.length,
    questionsDevReal: datasets.questions.devReal.length,
    questionsTest: datasets.questions.test.length,
  },
  retrieval: [],
  questions: [],
  routing: { runs: [], latency: { rulesMicrosPerMessage: 0, modelMsPerMessage: 0 } },
  answers: [],
}
const failures: string[] = []
// Model requests that found no fixture, over all parts.
let missing = 0

if (only.includes('retrieval')) {
  done = stage('retrieval')
  const bar = progressBar('retrieval')
  for (const [i, searchMode] of (['vector', 'fulltext', 'hybrid'] as const).entries()) {
    const { scores, runs, latencyMs } = await runRetrievalEval(
      database,
      embedder,
      datasets.retrieval,
      searchMode,
    )
    const misses = runs
      .filter((r) => !r.ranked.slice(0, 5).some((id) => r.relevant.includes(id)))
      .map((r) => ({ id: r.id, question: r.question, relevant: r.relevant, top: r.ranked.slice(0, 5) }))
    report.retrieval.push({ mode: searchMode, scores, latencyMs, misses })
    bar.update(i + 1, 3)
  }
  bar.done()
  done()
}

if (only.includes('questions')) {
  done = stage('questions')
  for (const split of ['dev', 'devReal', 'test'] as const) {
    const { scores, outcomes } = await runQuestionEval(database, embedder, datasets.questions[split])
    report.questions.push({
      split,
      scores,
      // The test split's questions and what was cited for them stay out of the report.
      misses:
        split === 'test' ? [] : outcomes.filter((o) => !o.firstGold && !(o.saidNotCovered && !o.covered)),
    })
  }
  done()
}

if (only.includes('routing')) {
  done = stage('routing')
  const routing = await runRoutingEval(datasets.routing, mode)
  report.routing = {
    runs: routing.runs.map((run) => ({
      name: run.name,
      label: run.label,
      scores: run.scores,
      border: run.border,
      // The test set's messages stay out of the report: what is not shown cannot be tuned to.
      misrouted:
        run.split === 'test'
          ? []
          : run.outcomes
              .filter((o) => o.expected !== o.actual)
              .map((o) => ({ id: o.id, text: o.text, expected: o.expected, actual: o.actual })),
    })),
    latency: routing.latency,
  }
  if (await routing.store.save())
    console.error(`wrote ${routing.store.madeCount} fixtures to ${routing.store.file}`)
  const testTexts = datasets.routing.test.map((c) => c.text.slice(0, 40))
  if (routing.store.misses.length)
    failures.push(routing.store.missReport((about) => testTexts.some((text) => about.includes(text))))
  missing += routing.store.misses.length
  done()
}

if (only.includes('answers')) {
  const conversations = conversationsOf(datasets.answers, datasets.conversations, datasets.adversarial)
  // The eval corpus adds a document with an injected instruction; added after retrieval was measured.
  const corpusDir = await mkdtemp(join(tmpdir(), 'dm-eval-corpus-'))
  try {
    await cp('corpus', corpusDir, { recursive: true, dereference: true })
    await cp(EVAL_CORPUS, corpusDir, { recursive: true })
    await ingestCorpus({ database, embedder, corpusDir })
  } finally {
    await rm(corpusDir, { recursive: true, force: true })
  }
  const documents = await loadCorpus('corpus').then(async (docs) => [
    ...docs,
    ...(await loadCorpus(EVAL_CORPUS)),
  ])
  const corpusIds = new Set(documents.map((d) => d.meta.id))
  const titles = new Map(documents.map((d) => [d.meta.id, d.meta.title]))

  for (const answerMode of ['offline', 'generated'] as const satisfies readonly AnswerMode[]) {
    done = stage(`answers (${answerMode})`)
    const turns = await answerTurns(answerMode, conversations, database, titles)
    report.answers.push({
      mode: answerMode,
      scores: scoreAnswers(turns, corpusIds),
      turns: turns
        .map((turn) => turnRow(turn, corpusIds))
        .sort((a, b) => Number(b.failures.length > 0) - Number(a.failures.length > 0)),
    })
    done()
  }
}
await database.close()

// Gate, baseline, reports.
report.seconds = (performance.now() - started) / 1000
const metrics: Metrics = { ...flatMetrics(report), 'fixtures.missing': missing }
const gate = applyGate(await readGate('evals/gate.json'), metrics).filter(
  (g) => g.value !== null || PARTS.some((part) => only.includes(part) && partOf(g.metric) === part),
)
for (const g of gate.filter((g) => !g.passed))
  failures.push(
    g.value === null
      ? `${g.metric} was not measured (${g.why})`
      : `${g.metric} = ${g.value.toFixed(3)}, must be ${g.bound}: ${g.why}`,
  )
const unmet = gate.filter((g) => g.passed && g.target && !g.target.met)
if (unmet.length)
  console.error(
    `Targets not yet met (above their floor, so not failing):\n${unmet
      .map((g) => `- ${g.metric} = ${g.value?.toFixed(3)}, target ${g.target?.bound}: ${g.why}`)
      .join('\n')}`,
  )
const baseline = await readBaseline()
const full: EvalReport = {
  ...report,
  metrics,
  gate,
  baseline: baseline ? { file: BASELINE, changes: compareWithBaseline(baseline, metrics) } : null,
  failures,
  passed: failures.length === 0,
}
await mkdir(REPORTS, { recursive: true })
const markdown = markdownSummary(full)
await writeFile(join(REPORTS, 'latest.json'), `${JSON.stringify(full, null, 2)}\n`)
await writeFile(join(REPORTS, 'latest.md'), markdown)
await writeFile(join(REPORTS, 'latest.html'), htmlReport(full))
if (argv.includes('--update-baseline')) {
  await writeFile(
    BASELINE,
    `${JSON.stringify({ about: 'Metrics of the run the team accepted; `npm run eval -- --update-baseline` replaces them.', generatedAt: full.generatedAt, metrics }, null, 2)}\n`,
  )
  console.error(`baseline updated: ${BASELINE}`)
}

console.log(markdown.split('\n## Failing turns')[0])
for (const a of full.answers) {
  const failing = a.turns.filter((t) => t.failures.length).length
  console.log(`Failing turns (${a.mode}): ${failing} of ${a.turns.length}, listed in ${REPORTS}/latest.md.`)
}
const regressions = full.baseline?.changes.filter((c) => c.regression) ?? []
if (regressions.length)
  console.log(
    `\nRegressions against the baseline: ${regressions.map((c) => `${c.metric} ${c.baseline} -> ${c.now}`).join(', ')}`,
  )
console.log(`\nReports: ${REPORTS}/latest.json, latest.md, latest.html (${report.seconds.toFixed(1)} s)`)
console.log(full.passed ? '\nPASS' : `\nFAIL:\n${failures.map((f) => `- ${f}`).join('\n')}`)
process.exitCode = full.passed ? 0 : 1

// --- helpers ---

async function loadDatasets() {
  const dir = 'evals/datasets'
  const problems: string[] = []
  const load = async <T>(file: string, schema: Parameters<typeof readJsonl<T>>[1]) =>
    readJsonl<T>(join(dir, file), schema).catch((error: unknown) => {
      if (!(error instanceof DatasetError)) throw error
      problems.push(error.message.replace(/^Invalid dataset lines:\n/, ''))
      return [] as T[]
    })
  const sets = {
    retrieval: await load('retrieval.jsonl', retrievalCase),
    questions: {
      dev: await load('questions/dev.jsonl', questionCase),
      devReal: await load('questions/dev-real.jsonl', questionCase),
      test: await load('questions/test.jsonl', questionCase),
    },
    routing: {
      dev: await load('routing/dev.jsonl', routingCase),
      test: await load('routing/test.jsonl', routingCase),
    },
    answers: await load('answers.jsonl', answerCase),
    conversations: await load('conversations.jsonl', conversationCase),
    adversarial: await load('adversarial.jsonl', adversarialCase),
  }
  if (problems.length) exit(2, `Invalid dataset lines:\n${problems.join('\n')}`)
  return sets
}

async function answerTurns(
  answerMode: AnswerMode,
  conversations: readonly EvalConversation[],
  database: Database,
  titles: ReadonlyMap<string, string>,
) {
  const total = conversations.reduce((sum, c) => sum + c.turns.length, 0)
  const bar = progressBar(`answers (${answerMode})`.padEnd(9))
  let turnsDone = 0
  const onTurn = () => bar.update(++turnsDone, total)
  const base = { database, migrations, logger: createLogger('silent'), embedder }
  try {
    if (answerMode === 'offline') {
      const app = createApp({ ...base, config: loadConfig({}) })
      return await driveConversations(conversations, { app, database, onTurn })
    }
    const store = await FixtureStore.load(ANSWER_FIXTURES)
    const author =
      mode === 'author'
        ? await authoredTurns(ANSWER_AUTHORED, turnsWithPrevious(conversations), titles)
        : undefined
    const stop = store.intercept(mode, author)
    try {
      const config = fixtureConfig(mode)
      const app = createApp({ ...base, config, model: createChatModel(config) })
      return await driveConversations(conversations, {
        app,
        database,
        onTurn,
        modelRequests: () => store.requests,
      })
    } finally {
      stop()
      if (await store.save()) console.error(`wrote ${store.madeCount} fixtures to ${store.file}`)
      if (store.misses.length) failures.push(store.missReport())
      missing += store.misses.length
    }
  } finally {
    bar.done()
  }
}

function partOf(metric: string): string {
  return metric.split('.')[0] ?? ''
}

async function readBaseline(): Promise<Metrics | undefined> {
  try {
    return (JSON.parse(await readFile(BASELINE, 'utf8')) as { metrics: Metrics }).metrics
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw error
  }
}

function exit(code: number, message: string): never {
  console.error(message)
  process.exit(code)
}
