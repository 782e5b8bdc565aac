// `npm run bench:load`: load and soak figures for the real server (a child process on loopback).
// 1. Offline mode: a baseline of turns sent one at a time, then a short ramp of open-loop arrival
//    rates finds the highest rate the machine sustains (no errors, p95 <= 500 ms, completions keeping
//    pace; a rate that misses is tried once more), and that rate is held for --seconds (a hold that
//    misses steps down one rate); latencies are compared with the baseline.
// 2. Streaming: --users concurrent conversations against the OpenAI-compatible stub with realistic
//    latency (routing 300 ms, first token 300 ms, then about 30 tokens/s), for --seconds, compared with
//    a baseline of the same users making the same model calls straight to the stub.
// Each prints turns/s, latency percentiles, the error rate, the server's memory over the run (sampled
// every second; before and after taken after a full GC) and the database's count of stored user
// messages against the number of accepted ones. --rounds repeats the run on the same server, so that
// the idle heap after each round shows whether memory grows. Not a test.
// --database-url postgres://… runs the servers on that PostgreSQL (with pgvector) instead of the
// embedded database, and --processes N starts N server processes on it, each turn sent to the next
// one in turn (as a load balancer without stickiness would); memory is reported for the first.
import { rm } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { readJsonl, retrievalCase, routingCase } from '../evals/lib/datasets.ts'
import { createPgliteDatabase } from '../src/db/pglite.ts'
import {
  type Conversation,
  ms,
  newConversation,
  percentile,
  type ServiceProcess,
  sleep,
  startService,
  stopService,
  streamTurn,
  type TurnResult,
} from './harness.ts'
import { startModelStub } from './model-stub.ts'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    'ramp-seconds': { type: 'string', default: '5' },
    users: { type: 'string', default: '50' },
    rates: { type: 'string', default: '5,10,15,20,25,30,40,50,60,70,80,100' },
    only: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    processes: { type: 'string', default: '1' },
  },
})
const DATABASE_URL = args['database-url']
const PROCESSES = Math.max(1, Number(args.processes))
if (DATABASE_URL !== undefined && !DATABASE_URL.startsWith('postgres')) {
  console.error(
    'Usage: npm run bench:load -- [--database-url postgres://user:password@host:5432/db] [--processes N]',
  )
  process.exit(2)
}
if (PROCESSES > 1 && !DATABASE_URL) {
  console.error('--processes needs --database-url: the embedded database serves one process')
  process.exit(2)
}
const SECONDS = Number(args.seconds)
const RAMP_SECONDS = Number(args['ramp-seconds'])
const USERS = Number(args.users)
// Runs of --seconds one after another on the same server: the idle heap after each shows a trend.
const ROUNDS = Math.max(1, Number(args.rounds))
const RATES = (args.rates ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
// A conversation has this many turns before the user starts a new one.
const TURNS_PER_CONVERSATION = 3
// The bar for "sustained", in the ramp and over the hold: no errors, p95 within this, and completions
// keeping pace with arrivals (a backlog that builds up is not sustained).
const MAX_P95_MS = 500
const KEEP_UP = 0.97
// Turns sent one at a time for the offline baseline: enough for a stable p95.
const BASELINE_TURNS = 200
// The stub's timing (see bench/model-stub.ts): about 90 tokens at 30 tokens/s, a few sentences in 3 s.
const STUB = { routeMs: 300, firstChunkMs: 300, chunkMs: 33, chunks: 90 }

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`
const times = (value: number, base: number) => `x${(value / base).toFixed(2)}`

type Sample = { at: number; rss: number; heapUsed: number; loopMaxMs: number; collected: boolean }

interface MeasuredService extends ServiceProcess {
  /** What the server reported every second. */
  samples: Sample[]
  /** Full GC in the server, then one sample. */
  collected(): Promise<Sample>
}

/** The server through bench/serve-with-stats.ts, which reports its memory over IPC. */
async function startMeasuredService(env: Record<string, string>): Promise<MeasuredService> {
  const service = await startService(env, {
    script: 'bench/serve-with-stats.ts',
    nodeArgs: ['--expose-gc'],
    ipc: true,
  })
  const samples: Sample[] = []
  const waiting: Array<(s: Sample) => void> = []
  service.child.on('message', (m) => {
    const sample = { ...(m as Omit<Sample, 'at'>), at: performance.now() }
    samples.push(sample)
    if (sample.collected) waiting.shift()?.(sample)
  })
  return {
    ...service,
    samples,
    collected: () =>
      new Promise((resolve) => {
        waiting.push(resolve)
        service.child.send('gc')
      }),
  }
}

const countUserMessages = `select count(*)::int as n from messages where author = 'user'`

/** User messages already in the PostgreSQL database (0 before the first migration). */
async function userMessagesOnServer(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const exists = await client.query<{ exists: boolean }>(
      `select to_regclass('messages') is not null as exists`,
    )
    if (!exists.rows[0]?.exists) return 0
    const { rows } = await client.query<{ n: number }>(countUserMessages)
    return rows[0]?.n ?? 0
  } finally {
    await client.end()
  }
}

/**
 * The server processes of a run: the first starts alone (it migrates and ingests), then the others.
 * With --database-url they share that database; `storedBefore` is its count of user messages then.
 */
async function startServers(env: Record<string, string>) {
  const shared: Record<string, string> = DATABASE_URL ? { DATABASE_URL } : {}
  const storedBefore = DATABASE_URL ? await userMessagesOnServer(DATABASE_URL) : 0
  const first = await startMeasuredService({ ...env, ...shared })
  const others = await Promise.all(
    Array.from({ length: PROCESSES - 1 }, () => startMeasuredService({ ...env, ...shared })),
  )
  return { services: [first, ...others], bases: [first, ...others].map((s) => s.base), storedBefore }
}

/** Stops the servers and counts the user messages their database gained. */
async function stopAndCount(servers: { services: ServiceProcess[]; storedBefore: number }): Promise<number> {
  if (DATABASE_URL) {
    await Promise.all(servers.services.map((service) => stopService(service)))
    return (await userMessagesOnServer(DATABASE_URL)) - servers.storedBefore
  }
  const [service] = servers.services
  if (!service) return 0
  await stopService(service, { keepData: true })
  const database = await createPgliteDatabase({ dataDir: join(service.dir, 'pglite') })
  const { rows } = await database.query<{ n: number }>(countUserMessages)
  await database.close()
  await rm(service.dir, { recursive: true, force: true })
  return rows[0]?.n ?? 0
}

/** The load: turns sent, their latencies, and how many the server accepted (stored the message). */
class Tally {
  turns: number[] = []
  firstToken: number[] = []
  errors = 0
  /** Errors by kind: status and code, how a stream ended, or why the request failed. */
  failures = new Map<string, number>()
  accepted = 0
  sent = 0

  /** Sends the user's next turn and records its outcome; a failure to send at all is an error. */
  async send(user: User) {
    this.sent++
    try {
      const result = await user()
      if (result.firstTokenMs !== undefined) this.firstToken.push(result.firstTokenMs)
      if (result.status === 200) {
        // A 200 means the message was stored before the stream began.
        this.accepted++
        this.turns.push(result.totalMs)
      }
      if (!result.ok) this.fail(result.failure ?? 'not ok')
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code
      this.fail(cause ? `request failed (${cause})` : String((error as Error).message ?? error))
    }
  }

  private fail(kind: string) {
    this.errors++
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1)
  }
}

/** One simulated user: each call sends its next turn. */
type User = () => Promise<TurnResult>

// Requests go to the server processes in turn, across users (a load balancer without stickiness).
let nextServer = 0
const pick = (bases: readonly string[]) => bases[nextServer++ % bases.length] ?? ''

/** A user of the service, asking the questions from `start` on; a new conversation every few turns. */
function serviceUser(bases: readonly string[], questions: string[], start = 0): User {
  let current: Promise<Conversation> | undefined
  let used = 0
  let next = start
  return async () => {
    if (!current || used >= TURNS_PER_CONVERSATION) {
      used = 0
      current = newConversation(pick(bases))
    }
    used++
    const conversation = current
    const text = questions[next++ % questions.length] ?? 'Was ist KI?'
    return streamTurn(pick(bases), await conversation, text)
  }
}

/**
 * A user served by the model alone: the calls the service makes for a turn, sent straight to the stub
 * one after another (a follow-up is condensed first, then routed; the answer is streamed to its end).
 * The floor under the service's latencies.
 */
function modelAloneUser(stubUrl: string): User {
  let used = 0
  const post = (body: object) =>
    fetch(`${stubUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'stub', messages: [{ role: 'user', content: 'Frage' }], ...body }),
    })
  return async () => {
    const followUp = used++ % TURNS_PER_CONVERSATION !== 0
    const started = performance.now()
    if (followUp) await (await post({})).json()
    await (await post({ tools: [{ type: 'function', function: { name: 'route_message' } }] })).json()
    const res = await post({ stream: true })
    let buffer = ''
    let firstTokenMs: number | undefined
    const decoder = new TextDecoder()
    for await (const part of res.body ?? []) {
      buffer += decoder.decode(part, { stream: true })
      if (firstTokenMs === undefined && buffer.includes('"content"'))
        firstTokenMs = performance.now() - started
    }
    const ok = res.ok && buffer.includes('[DONE]')
    const failure = ok ? undefined : `model answered ${res.status} without [DONE]`
    return { status: res.status, ok, firstTokenMs, totalMs: performance.now() - started, failure }
  }
}

/** Open-loop arrivals at `rate` per second for `seconds`; resolves when every turn has ended. */
async function arrivals(user: User, rate: number, seconds: number, tally: Tally) {
  const pending: Promise<void>[] = []
  const started = performance.now()
  const total = Math.round(rate * seconds)
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now()
    if (wait > 0) await sleep(wait)
    pending.push(tally.send(user))
  }
  await Promise.all(pending)
  return (performance.now() - started) / 1000
}

/** Closed loop: `count` users, each sending its next turn 0.2–1 s after the last one ended. */
async function users(makeUser: (u: number) => User, count: number, seconds: number, tally: Tally) {
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: count }, async (_, u) => {
      const user = makeUser(u)
      // Users do not start in lockstep, and pause briefly between questions (reading).
      await sleep(Math.random() * 1000)
      while (performance.now() < deadline) {
        await tally.send(user)
        await sleep(200 + Math.random() * 800)
      }
    }),
  )
  return (performance.now() - started) / 1000
}

/** Samples the live heap (after a full GC) every `everyMs` while `running` is pending. */
async function gcSamples(service: MeasuredService, running: Promise<unknown>, everyMs: number) {
  const samples: Sample[] = []
  let done = false
  void running.finally(() => {
    done = true
  })
  while (!done) {
    await Promise.race([sleep(everyMs), running])
    if (!done) samples.push(await service.collected())
  }
  return samples
}

/** Runs `load` on the service with the memory sampled around and during it; prints its row and memory. */
async function measuredRound(
  service: MeasuredService,
  label: string,
  load: (tally: Tally) => Promise<number>,
) {
  const before = await service.collected()
  const from = performance.now()
  const tally = new Tally()
  const running = load(tally)
  const during = await gcSamples(service, running, 10_000)
  const seconds = await running
  header()
  report(label, tally, seconds)
  await sleep(2000)
  memoryLines(service, before, during, await service.collected(), from)
  return { tally, seconds }
}

function memoryLines(
  service: MeasuredService,
  before: Sample,
  during: Sample[],
  after: Sample,
  from: number,
) {
  const seconds = service.samples.filter((s) => !s.collected && s.at >= from)
  const rss = seconds.map((s) => s.rss)
  console.log(
    `memory: live heap (after full GC, idle) ${mb(before.heapUsed)} before → ${mb(after.heapUsed)} after; RSS ${mb(before.rss)} → ${mb(after.rss)} (${mb(Math.min(...rss))}–${mb(Math.max(...rss))} during)`,
  )
  const stalls = seconds.filter((s) => s.loopMaxMs > 100)
  console.log(
    `event loop: longest stall ${ms(Math.max(...seconds.map((s) => s.loopMaxMs)))}; stalls over 100 ms in ${stalls.length} of ${seconds.length} seconds${stalls.length ? ` (at ${stalls.map((s) => `${((s.at - from) / 1000).toFixed(0)} s: ${ms(s.loopMaxMs)}`).join(', ')})` : ''}`,
  )
  // Under load the live heap includes the turns in flight; at a steady load a leak shows as a climb.
  // Least-squares slope over the samples taken under load, per minute.
  const n = during.length
  const mx = during.reduce((a, s) => a + s.at, 0) / Math.max(1, n)
  const my = during.reduce((a, s) => a + s.heapUsed, 0) / Math.max(1, n)
  const slope =
    during.reduce((a, s) => a + (s.at - mx) * (s.heapUsed - my), 0) /
    Math.max(
      1,
      during.reduce((a, s) => a + (s.at - mx) ** 2, 0),
    )
  console.log(
    `live heap under load, every 10 s: ${during.map((s) => (s.heapUsed / 2 ** 20).toFixed(1)).join(', ')} MB; trend ${n >= 3 ? `${((slope * 60_000) / 2 ** 20).toFixed(2)} MB/min` : '– (run longer)'}`,
  )
}

const triple = (values: number[]) =>
  `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))} / ${ms(percentile(values, 99))}`

function report(label: string, tally: Tally, seconds: number) {
  const completed = tally.turns.length
  const kinds = [...tally.failures].map(([kind, n]) => `${n} × ${kind}`).join(', ')
  console.log(
    `| ${label} | ${completed} | ${(completed / seconds).toFixed(1)} | ${triple(tally.turns)} | ${triple(tally.firstToken)} | ${tally.errors} (${((tally.errors / Math.max(1, tally.sent)) * 100).toFixed(2)} %)${kinds ? `: ${kinds}` : ''} | ${loadavg()[0]?.toFixed(1)} |`,
  )
}

const header = () => {
  // The machine's load average (1 min) at the end of the run: other work on it shows there.
  console.log(
    '| run | turns | turns/s | turn p50 / p95 / p99 | first token p50 / p95 / p99 | errors | load |',
  )
  console.log('|---|---|---|---|---|---|---|')
}

/** The run's latencies as multiples of the baseline's. */
function againstBaseline(name: string, run: Tally, baseline: Tally) {
  const at = (values: number[], p: number) => percentile(values, p)
  const turn = [50, 95, 99].map((p) => times(at(run.turns, p), at(baseline.turns, p))).join(' / ')
  const first = [50, 95, 99].map((p) => times(at(run.firstToken, p), at(baseline.firstToken, p))).join(' / ')
  console.log(`against ${name}: turn p50 / p95 / p99 ${turn}; first token ${first}`)
}

function storedLine(stored: number, accepted: number, what: string) {
  console.log(
    `database: ${stored} user messages stored, ${accepted} accepted (${what}) — ${stored === accepted ? 'all stored' : 'MISMATCH'}\n`,
  )
}

// Design questions (answered from the corpus) and the routing set (handoffs, crises, out of scope too).
const designQuestions = (await readJsonl('evals/datasets/retrieval.jsonl', retrievalCase)).map(
  (c) => c.question,
)
const questions = [
  ...designQuestions,
  ...(await readJsonl('evals/datasets/routing/dev.jsonl', routingCase)).map((c) => c.text),
]
const where = DATABASE_URL
  ? `PostgreSQL server, ${PROCESSES} server process${PROCESSES > 1 ? 'es' : ''}`
  : 'embedded database, one server process'
console.log(
  `# bench:load — ${new Date().toISOString()}, Node ${process.version}, hold ${SECONDS} s, ${where}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
)

if (args.only !== 'streaming') {
  console.log(
    `## Offline mode (extractive answers), ${where}, ${questions.length} questions (retrieval and routing eval sets, handoffs included)\n`,
  )
  const servers = await startServers({})
  const [service] = servers.services
  if (!service) throw new Error('no server started')
  const user = serviceUser(servers.bases, questions)
  // Warm-up: the first turns compile and fill caches.
  const warm = new Tally()
  await arrivals(user, 5, 2, warm)
  // Baseline: the same turns one at a time, so that nothing waits for anything else.
  const oneAtATime = async (label: string) => {
    const tally = new Tally()
    const started = performance.now()
    for (let i = 0; i < BASELINE_TURNS; i++) await tally.send(user)
    report(label, tally, (performance.now() - started) / 1000)
    return tally
  }
  console.log(`Baseline and ramp, ${RAMP_SECONDS} s per rate (open loop):\n`)
  header()
  const baseline = await oneAtATime('baseline: one turn at a time')
  const sustained = (tally: Tally, seconds: number, rate: number) =>
    tally.errors === 0 &&
    percentile(tally.turns, 95) <= MAX_P95_MS &&
    tally.turns.length / seconds >= rate * KEEP_UP
  const passed: number[] = []
  let accepted = warm.accepted + baseline.accepted
  ramp: for (const rate of RATES) {
    // A step of a few seconds can miss the bar through one pause of the machine: a rate ends the ramp
    // only when it misses twice.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const tally = new Tally()
      const seconds = await arrivals(user, rate, RAMP_SECONDS, tally)
      report(`ramp ${rate}/s${attempt > 1 ? ', again' : ''}`, tally, seconds)
      accepted += tally.accepted
      if (sustained(tally, seconds, rate)) {
        passed.push(rate)
        continue ramp
      }
      await sleep(2000)
    }
    break
  }
  if (passed.length === 0) throw new Error('not even the lowest rate was sustained')
  console.log(
    `\nHighest rate passed in the ramp: ${passed.at(-1)} turns/s (no errors, p95 <= ${MAX_P95_MS} ms, completions >= ${KEEP_UP * 100} % of arrivals). Held for ${SECONDS} s${ROUNDS > 1 ? ` x ${ROUNDS}` : ''}; a hold that misses the bar steps down one rate.\n`,
  )
  await sleep(2000)
  for (const rate of [...passed].reverse()) {
    let held = true
    for (let round = 1; round <= ROUNDS && held; round++) {
      const label = `hold ${rate}/s for ${SECONDS} s${ROUNDS > 1 ? `, round ${round}` : ''}`
      const { tally, seconds } = await measuredRound(service, label, (t) => arrivals(user, rate, SECONDS, t))
      againstBaseline('one turn at a time', tally, baseline)
      accepted += tally.accepted
      held = sustained(tally, seconds, rate)
    }
    if (held) {
      console.log(`\nSustained: ${rate} turns/s.\n`)
      break
    }
    console.log(`\n${rate} turns/s was not sustained over the hold; one rate lower.\n`)
  }
  // The baseline once more: a service that slows down as its database fills shows it here.
  await sleep(2000)
  header()
  const after = await oneAtATime('one turn at a time, after the holds')
  againstBaseline('the baseline before', after, baseline)
  accepted += after.accepted
  storedLine(
    await stopAndCount(servers),
    accepted,
    `warm-up, baselines, ramp and hold${ROUNDS > 1 ? 's' : ''}`,
  )
}

if (args.only !== 'offline') {
  console.log(
    `## ${USERS} concurrent streaming conversations, stub model (routing ${STUB.routeMs} ms, first token ${STUB.firstChunkMs} ms, ~${Math.round(1000 / STUB.chunkMs)} tokens/s), ${designQuestions.length} design questions\n`,
  )
  const stub = await startModelStub([
    ...['--route-ms', String(STUB.routeMs), '--first-chunk-ms', String(STUB.firstChunkMs)],
    ...['--chunk-ms', String(STUB.chunkMs), '--chunks', String(STUB.chunks)],
  ])
  // Baseline: the same users making a turn's model calls straight to the stub, for the same time.
  const baseline = new Tally()
  const baselineSeconds = await users(() => modelAloneUser(stub.url), USERS, SECONDS, baseline)
  header()
  report(`baseline: the model alone, ${USERS} users for ${SECONDS} s`, baseline, baselineSeconds)
  console.log()
  const servers = await startServers({
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: stub.url,
    MODEL_MAX_RETRIES: '0',
    EMBEDDINGS_PROVIDER: 'local',
    // Every user may stream at once: the gate must not be what is measured.
    MODEL_CONCURRENCY: String(USERS),
  })
  const [service] = servers.services
  if (!service) throw new Error('no server started')
  // Design questions only, so that every turn streams a model answer as in the baseline (a handoff
  // makes no answer call); each user starts at another place in them.
  const spread = (u: number) => Math.floor((u * designQuestions.length) / USERS)
  const warm = new Tally()
  await users((u) => serviceUser(servers.bases, designQuestions, spread(u)), 5, 3, warm)
  await sleep(1000)
  let accepted = warm.accepted
  for (let round = 1; round <= ROUNDS; round++) {
    const label = `${USERS} users for ${SECONDS} s${ROUNDS > 1 ? `, round ${round}` : ''}`
    const { tally } = await measuredRound(service, label, (t) =>
      users((u) => serviceUser(servers.bases, designQuestions, spread(u)), USERS, SECONDS, t),
    )
    againstBaseline('the model alone', tally, baseline)
    accepted += tally.accepted
  }
  storedLine(await stopAndCount(servers), accepted, `warm-up and run${ROUNDS > 1 ? 's' : ''}`)
  stub.child.kill()
}
