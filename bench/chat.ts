// `npm run bench:chat`: HTTP load against the real server (a child process on loopback) in offline mode
// and against a local OpenAI-compatible stub with fixed latency. Prints turns/s, time to the first
// `token` event (p50/p95/p99) and the service's own overhead before the first model token. Not a test.
import { readJsonl, retrievalCase } from '../evals/lib/datasets.ts'
import { newConversation, percentile, sleep, startService, stopService, streamTurn } from './harness.ts'
import { FIRST_CHUNK_MS, ROUTE_MS, startModelStub } from './model-stub.ts'

const USERS = Number(process.env.BENCH_USERS ?? 10)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
// Up to this long a user pauses before the next question (reading the answer).
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 500)

// BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each service run there.
const nodeArgs = process.env.BENCH_CPU_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
  : []

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
      const result = await streamTurn(
        base,
        await newConversation(base),
        questions[i % questions.length] ?? '',
      )
      if (result.firstTokenMs !== undefined) firstToken.push(result.firstTokenMs)
      if (!result.ok) errors++
      else turns.push(result.totalMs)
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

const offline = await startService({}, { nodeArgs })
report('offline (extractive), embedded db', await load(offline.base, questions))
await stopService(offline)

const stub = await startModelStub()
const online = await startService(
  {
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: stub.url,
    MODEL_MAX_RETRIES: '0',
    EMBEDDINGS_PROVIDER: 'local',
  },
  { nodeArgs },
)
// The service waits for the routing call (concurrent with retrieval) and then for the first chunk.
report('stub model, embedded db', await load(online.base, questions), ROUTE_MS + FIRST_CHUNK_MS)
await stopService(online)
stub.child.kill()
console.log(
  `\nService overhead = time to first token − the stub's fixed waits (routing ${ROUTE_MS} ms + first chunk ${FIRST_CHUNK_MS} ms). Target: p95 <= 25 ms at 10 users.`,
)
