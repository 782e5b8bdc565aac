// `npm run bench:load`: load and soak figures for the real server (a child process on loopback).
// 1. Offline mode: a short ramp of open-loop arrival rates finds the highest rate the machine sustains
//    (no errors, p95 under a second, throughput keeping up), then that rate is held for --seconds.
// 2. Streaming: --users concurrent conversations against the OpenAI-compatible stub with realistic
//    latency (routing 300 ms, first token 300 ms, then about 30 tokens/s), for --seconds.
// Each prints turns/s, latency percentiles, the error rate, the server's memory over the run (sampled
// every second; before and after taken after a full GC) and the database's count of stored user
// messages against the number of accepted ones. --rounds repeats the run on the same server, so that
// the idle heap after each round shows whether memory grows. Not a test.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { readJsonl, retrievalCase, routingCase } from '../evals/lib/datasets.ts'
import { createPgliteDatabase } from '../src/db/pglite.ts'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    'ramp-seconds': { type: 'string', default: '5' },
    users: { type: 'string', default: '50' },
    rates: { type: 'string', default: '5,10,15,20,25,30,40,50,60,70,80,100' },
    only: { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
})
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  )
}
const ms = (v: number) => `${Number.isFinite(v) ? v.toFixed(0) : '–'} ms`
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`

type Sample = { at: number; rss: number; heapUsed: number; collected: boolean }

interface Service {
  child: ChildProcess
  base: string
  dir: string
  samples: Sample[]
  /** Full GC in the server, then one sample. */
  collected(): Promise<Sample>
}

async function startService(env: Record<string, string>): Promise<Service> {
  const dir = await mkdtemp(join(tmpdir(), 'dm-load-'))
  const port = 20000 + Math.floor(Math.random() * 20000)
  const child = spawn(process.execPath, ['--expose-gc', 'bench/serve-with-stats.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      // The benchmark measures capacity, not the per-client limits.
      LIMIT_CONVERSATIONS_PER_CLIENT: '0',
      LIMIT_CONVERSATIONS_PER_TENANT: '0',
      LIMIT_MESSAGES_PER_CONVERSATION: '0',
      LIMIT_MESSAGES_PER_TENANT: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const samples: Sample[] = []
  const waiting: Array<(s: Sample) => void> = []
  child.on('message', (m) => {
    const sample = { ...(m as Omit<Sample, 'at'>), at: performance.now() }
    samples.push(sample)
    if (sample.collected) waiting.shift()?.(sample)
  })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) {
        return {
          child,
          base,
          dir,
          samples,
          collected: () =>
            new Promise((resolve) => {
              waiting.push(resolve)
              child.send('gc')
            }),
        }
      }
    } catch {
      // not up yet
    }
    await sleep(200)
  }
  throw new Error('service did not become ready')
}

/** Stops the service and counts what its database holds. */
async function stopAndCount(service: Service): Promise<{ userMessages: number; conversations: number }> {
  const exited = new Promise((resolve) => service.child.once('exit', resolve))
  service.child.kill('SIGTERM')
  await exited
  const database = await createPgliteDatabase({ dataDir: join(service.dir, 'pglite') })
  const { rows } = await database.query<{ user_messages: number; conversations: number }>(
    `select (select count(*)::int from messages where author = 'user') as user_messages,
            (select count(*)::int from conversations) as conversations`,
  )
  await database.close()
  await rm(service.dir, { recursive: true, force: true })
  return { userMessages: rows[0]?.user_messages ?? 0, conversations: rows[0]?.conversations ?? 0 }
}

function startStub(): Promise<{ child: ChildProcess; url: string }> {
  // About 90 tokens at 30 tokens/s: an answer of a few sentences in three seconds.
  const flags = ['--route-ms', '300', '--first-chunk-ms', '300', '--chunk-ms', '33', '--chunks', '90']
  const child = spawn(process.execPath, ['bench/model-stub.ts', ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.once('exit', () => reject(new Error('the model stub exited')))
    child.stdout?.once('data', (data: Buffer) => resolve({ child, url: data.toString().trim() }))
  })
}

/** The load: turns sent, their latencies, and how many the server accepted (stored the message). */
class Tally {
  turns: number[] = []
  firstToken: number[] = []
  errors = 0
  accepted = 0
  sent = 0
  conversations = 0
}

/** One user's conversations: a new one every TURNS_PER_CONVERSATION turns. */
function conversationSource(base: string, tally: Tally) {
  let current: Promise<{ id: string; token: string }> | undefined
  let used = 0
  return async () => {
    if (!current || used >= TURNS_PER_CONVERSATION) {
      used = 0
      current = fetch(`${base}/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).then(async (res) => {
        if (res.status !== 201) throw new Error(`conversation refused: ${res.status}`)
        tally.conversations++
        return (await res.json()) as { id: string; token: string }
      })
    }
    used++
    return current
  }
}

/** One streamed turn; records its latency, first token and outcome. */
async function turn(base: string, conversation: { id: string; token: string }, text: string, tally: Tally) {
  tally.sent++
  const started = performance.now()
  try {
    const res = await fetch(`${base}/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${conversation.token}`,
      },
      body: JSON.stringify({ text }),
    })
    if (!res.ok || !res.body) {
      tally.errors++
      await res.body?.cancel()
      return
    }
    // A 200 means the message was stored before the stream began.
    tally.accepted++
    let buffer = ''
    let seenToken = false
    const decoder = new TextDecoder()
    for await (const part of res.body) {
      buffer += decoder.decode(part, { stream: true })
      if (!seenToken && buffer.includes('event: token')) {
        seenToken = true
        tally.firstToken.push(performance.now() - started)
      }
    }
    if (!buffer.includes('event: done') || buffer.includes('event: error')) tally.errors++
    tally.turns.push(performance.now() - started)
  } catch {
    tally.errors++
  }
}

/** Open-loop arrivals at `rate` per second for `seconds`; resolves when every turn has ended. */
async function arrivals(base: string, questions: string[], rate: number, seconds: number, tally: Tally) {
  const next = conversationSource(base, tally)
  const pending: Promise<void>[] = []
  const started = performance.now()
  const total = Math.round(rate * seconds)
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    const text = questions[(tally.sent + i) % questions.length] ?? 'Was ist KI?'
    pending.push(
      next()
        .then((c) => turn(base, c, text, tally))
        .catch(() => {
          tally.errors++
        }),
    )
  }
  await Promise.all(pending)
  return (performance.now() - started) / 1000
}

/** Closed loop: `users` users, each sending its next message when the last answer is complete. */
async function users(base: string, questions: string[], count: number, seconds: number, tally: Tally) {
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: count }, async (_, u) => {
      const next = conversationSource(base, tally)
      // Users do not start in lockstep, and pause briefly between questions (reading).
      await sleep(Math.random() * 1000)
      for (let i = u; performance.now() < deadline; i += count) {
        try {
          await turn(base, await next(), questions[i % questions.length] ?? 'Was ist KI?', tally)
        } catch {
          tally.errors++
        }
        await sleep(200 + Math.random() * 800)
      }
    }),
  )
  return (performance.now() - started) / 1000
}

/** Samples the live heap (after a full GC) every `everyMs` while `running` is pending. */
async function gcSamples(service: Service, running: Promise<unknown>, everyMs: number): Promise<Sample[]> {
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

function memoryLines(service: Service, before: Sample, during: Sample[], after: Sample, from: number) {
  const rss = service.samples.filter((s) => !s.collected && s.at >= from).map((s) => s.rss)
  console.log(
    `memory: live heap (after full GC, idle) ${mb(before.heapUsed)} before → ${mb(after.heapUsed)} after; RSS ${mb(before.rss)} → ${mb(after.rss)} (${mb(Math.min(...rss))}–${mb(Math.max(...rss))} during)`,
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

function report(label: string, tally: Tally, seconds: number) {
  const completed = tally.turns.length
  console.log(
    `| ${label} | ${completed} | ${(completed / seconds).toFixed(1)} | ${ms(percentile(tally.turns, 50))} / ${ms(percentile(tally.turns, 95))} / ${ms(percentile(tally.turns, 99))} | ${ms(percentile(tally.firstToken, 50))} / ${ms(percentile(tally.firstToken, 95))} / ${ms(percentile(tally.firstToken, 99))} | ${tally.errors} (${((tally.errors / Math.max(1, tally.sent)) * 100).toFixed(2)} %) |`,
  )
}

const header = () => {
  console.log('| run | turns | turns/s | turn p50 / p95 / p99 | first token p50 / p95 / p99 | errors |')
  console.log('|---|---|---|---|---|---|')
}

const questions = [
  ...(await readJsonl('evals/datasets/retrieval.jsonl', retrievalCase)).map((c) => c.question),
  ...(await readJsonl('evals/datasets/routing.jsonl', routingCase)).map((c) => c.text),
]
console.log(
  `# bench:load — ${new Date().toISOString()}, Node ${process.version}, hold ${SECONDS} s, ${questions.length} questions (retrieval and routing eval sets, handoffs included)\n`,
)

if (args.only !== 'streaming') {
  console.log('## Offline mode (extractive answers), embedded database\n')
  const service = await startService({})
  // Warm-up: the first turns compile and fill caches.
  const warm = new Tally()
  await arrivals(service.base, questions, 5, 2, warm)
  console.log(`Ramp, ${RAMP_SECONDS} s per rate (open loop):\n`)
  header()
  const sustained = (tally: Tally, seconds: number, rate: number) =>
    tally.errors === 0 &&
    percentile(tally.turns, 95) <= MAX_P95_MS &&
    tally.turns.length / seconds >= rate * KEEP_UP
  const passed: number[] = []
  const rampTotal = new Tally()
  for (const rate of RATES) {
    const tally = new Tally()
    const seconds = await arrivals(service.base, questions, rate, RAMP_SECONDS, tally)
    report(`ramp ${rate}/s`, tally, seconds)
    rampTotal.accepted += tally.accepted
    if (!sustained(tally, seconds, rate)) break
    passed.push(rate)
  }
  if (passed.length === 0) throw new Error('not even the lowest rate was sustained')
  console.log(
    `\nHighest rate passed in the ramp: ${passed.at(-1)} turns/s (no errors, p95 <= ${MAX_P95_MS} ms, completions >= ${KEEP_UP * 100} % of arrivals). Held for ${SECONDS} s${ROUNDS > 1 ? ` x ${ROUNDS}` : ''}; a hold that misses the bar steps down one rate.\n`,
  )
  await sleep(2000)
  let accepted = warm.accepted + rampTotal.accepted
  for (const rate of [...passed].reverse()) {
    let held = true
    for (let round = 1; round <= ROUNDS && held; round++) {
      const before = await service.collected()
      const from = performance.now()
      const hold = new Tally()
      const running = arrivals(service.base, questions, rate, SECONDS, hold)
      const during = await gcSamples(service, running, 10_000)
      const seconds = await running
      header()
      report(`hold ${rate}/s for ${SECONDS} s${ROUNDS > 1 ? `, round ${round}` : ''}`, hold, seconds)
      await sleep(2000)
      memoryLines(service, before, during, await service.collected(), from)
      accepted += hold.accepted
      held = sustained(hold, seconds, rate)
    }
    if (held) {
      console.log(`\nSustained: ${rate} turns/s.\n`)
      break
    }
    console.log(`\n${rate} turns/s was not sustained over the hold; one rate lower.\n`)
  }
  const counted = await stopAndCount(service)
  console.log(
    `database: ${counted.userMessages} user messages stored, ${accepted} accepted (warm-up, ramp and hold${ROUNDS > 1 ? 's' : ''}) — ${counted.userMessages === accepted ? 'all stored' : 'MISMATCH'}\n`,
  )
}

if (args.only !== 'offline') {
  console.log(
    `## ${USERS} concurrent streaming conversations, stub model (routing 300 ms, first token 300 ms, ~30 tokens/s)\n`,
  )
  const stub = await startStub()
  const service = await startService({
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: stub.url,
    MODEL_MAX_RETRIES: '0',
    EMBEDDINGS_PROVIDER: 'local',
    // Every user may stream at once: the gate must not be what is measured.
    MODEL_CONCURRENCY: String(USERS),
  })
  const warm = new Tally()
  await users(service.base, questions, 5, 3, warm)
  await sleep(1000)
  let accepted = warm.accepted
  for (let round = 1; round <= ROUNDS; round++) {
    const before = await service.collected()
    const from = performance.now()
    const tally = new Tally()
    const running = users(service.base, questions, USERS, SECONDS, tally)
    const during = await gcSamples(service, running, 10_000)
    const seconds = await running
    header()
    report(`${USERS} users for ${SECONDS} s${ROUNDS > 1 ? `, round ${round}` : ''}`, tally, seconds)
    await sleep(2000)
    memoryLines(service, before, during, await service.collected(), from)
    accepted += tally.accepted
  }
  const counted = await stopAndCount(service)
  stub.child.kill()
  console.log(
    `database: ${counted.userMessages} user messages stored, ${accepted} accepted (warm-up and run${ROUNDS > 1 ? 's' : ''}) — ${counted.userMessages === accepted ? 'all stored' : 'MISMATCH'}`,
  )
}
