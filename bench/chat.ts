// `npm run bench:chat`: HTTP load against the real server (a child process on loopback) in offline mode
// and against a local OpenAI-compatible stub with fixed latency. Prints turns/s, time to the first
// `token` event (p50/p95/p99) and the service's own overhead before the first model token. Not a test.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readJsonl, retrievalCase } from '../evals/lib/datasets.ts'
import { FIRST_CHUNK_MS, ROUTE_MS } from './model-stub.ts'

const USERS = Number(process.env.BENCH_USERS ?? 10)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
// Up to this long a user pauses before the next question (reading the answer).
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 500)

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  )
}
// BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each service run there.
const profile = process.env.BENCH_CPU_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
  : []
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The model stub as a child process; resolves with its URL once it listens. */
function startStub(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bench/model-stub.ts'], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('exit', () => reject(new Error('the model stub exited')))
    child.stdout?.once('data', (data: Buffer) => resolve({ child, url: data.toString().trim() }))
  })
}

async function startService(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; base: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'dm-bench-'))
  const port = 20000 + Math.floor(Math.random() * 20000)
  const child = spawn(process.execPath, [...profile, 'src/server/node.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base, dir }
    } catch {
      // not up yet
    }
    await sleep(200)
  }
  throw new Error('service did not become ready')
}

async function stopService(service: { child: ChildProcess; dir: string }) {
  const exited = new Promise((resolve) => service.child.once('exit', resolve))
  service.child.kill('SIGTERM')
  await exited
  await rm(service.dir, { recursive: true, force: true })
}

async function load(base: string, questions: string[]) {
  const firstToken: number[] = []
  const turns: number[] = []
  let errors = 0
  const deadline = Date.now() + SECONDS * 1000
  const user = async (u: number) => {
    // Users do not arrive in lockstep: staggered starts and a short pause to read each answer.
    await sleep(Math.random() * THINK_MS)
    for (let i = u; Date.now() < deadline; i += USERS, await sleep(Math.random() * THINK_MS)) {
      // One question per conversation: a follow-up would add the condensing call to the model.
      const created = await fetch(`${base}/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      const { id, token } = (await created.json()) as { id: string; token: string }
      const started = performance.now()
      const res = await fetch(`${base}/v1/conversations/${id}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ text: questions[i % questions.length] }),
      })
      if (!res.ok || !res.body) {
        errors++
        continue
      }
      let seenToken = false
      let buffer = ''
      const decoder = new TextDecoder()
      for await (const part of res.body) {
        buffer += decoder.decode(part, { stream: true })
        if (!seenToken && buffer.includes('event: token')) {
          seenToken = true
          firstToken.push(performance.now() - started)
        }
      }
      if (!buffer.includes('event: done') || buffer.includes('event: error')) errors++
      turns.push(performance.now() - started)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: USERS }, (_, u) => user(u)))
  const seconds = (performance.now() - started) / 1000
  return { firstToken, turns, errors, seconds }
}

function report(label: string, r: Awaited<ReturnType<typeof load>>, modelWait = 0) {
  const f = (v: number) => v.toFixed(1)
  const ft = r.firstToken
  console.log(
    `| ${label} | ${USERS} | ${r.turns.length} | ${(r.turns.length / r.seconds).toFixed(1)} | ${f(percentile(ft, 50))} / ${f(percentile(ft, 95))} / ${f(percentile(ft, 99))} ms | ${
      modelWait ? `${f(percentile(ft, 50) - modelWait)} / ${f(percentile(ft, 95) - modelWait)} ms` : '–'
    } | ${r.errors} |`,
  )
}

const questions = (await readJsonl('evals/datasets/retrieval.jsonl', retrievalCase)).map((c) => c.question)
console.log(`# bench:chat — ${new Date().toISOString()}, Node ${process.version}, ${SECONDS} s per run\n`)
console.log(
  '| mode | users | turns | turns/s | first token p50 / p95 / p99 | service overhead p50 / p95 | errors |',
)
console.log('|---|---|---|---|---|---|---|')

const offline = await startService({})
report('offline (extractive), embedded db', await load(offline.base, questions))
await stopService(offline)

const stub = await startStub()
const online = await startService({
  OPENAI_API_KEY: 'sk-bench',
  OPENAI_BASE_URL: stub.url,
  MODEL_MAX_RETRIES: '0',
  EMBEDDINGS_PROVIDER: 'local',
})
// The service waits for the routing call (concurrent with retrieval) and then for the first chunk.
report('stub model, embedded db', await load(online.base, questions), ROUTE_MS + FIRST_CHUNK_MS)
await stopService(online)
stub.child.kill()
console.log(
  `\nService overhead = time to first token − the stub's fixed waits (routing ${ROUTE_MS} ms + first chunk ${FIRST_CHUNK_MS} ms). Target: p95 <= 25 ms at 10 users.`,
)
