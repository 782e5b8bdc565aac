// `npm run bench:chat`: HTTP load against the real server (a child process on loopback) in offline mode
// and against a local OpenAI-compatible stub with fixed latency. Prints turns/s, time to the first
// `token` event (p50/p95/p99), the service's own overhead before the first model token (over all
// turns, and over those that found a place at the model's gate at once), what the stub alone takes
// beyond its fixed waits (a bare client's calls during the same run), the service's CPU time per turn
// and the requests it shed (503 busy), measured after a warm-up. Not a test.
//
// BENCH_BASELINE=<dir>: another checkout of the project (e.g. `git worktree add /tmp/base <commit>`
// with node_modules linked) is measured in the same run, alternating with this one mode by mode, so
// that both see the same machine.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { readJsonl, retrievalCase } from '../evals/lib/datasets.ts'
import { loadConfig } from '../src/config.ts'
import {
  newConversation,
  percentile,
  RefusedError,
  type ServiceProcess,
  sleep,
  startService,
  stopService,
  streamTurn,
} from './harness.ts'
import { FIRST_CHUNK_MS, ROUTE_MS, startModelStub } from './model-stub.ts'

const USERS = Number(process.env.BENCH_USERS ?? 10)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
// Up to this long a user pauses before the next question (reading the answer).
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 500)
// The load runs this long before it is measured: a service that has just started is still compiling
// (V8 tiers up its JavaScript and Postgres' WebAssembly module on other threads for some seconds after
// the start, which counts as the process's CPU time), and a server in use has done that long ago.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5)
const BASELINE = process.env.BENCH_BASELINE
// The service's model gate, as the service reads it from the same environment: this many turns use
// the model at once, the others wait for a place.
const MODEL_PLACES = loadConfig(process.env).MODEL_CONCURRENCY

// BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each service run there.
const nodeArgs = process.env.BENCH_CPU_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
  : []

/** The process's user + system CPU time in milliseconds (Linux; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return Number.NaN
  }
}

/**
 * The model endpoint's own latency beyond its fixed waits, as a bare client on this machine sees it
 * while the load runs (a routing call, then a streamed answer to its first chunk, per sample): the part
 * of the measured overhead that is the stub, loopback HTTP and three processes sharing two cores.
 */
async function probeEndpoint(url: string, deadline: number): Promise<number[]> {
  const post = (body: object) =>
    fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body: JSON.stringify({
        model: 'stub',
        messages: [{ role: 'user', content: 'Wie fangen wir an?' }],
        ...body,
      }),
    })
  const floors: number[] = []
  while (Date.now() < deadline) {
    const routed = performance.now()
    await (
      await post({ tools: [{ type: 'function', function: { name: 'route_message', parameters: {} } }] })
    ).json()
    const stream = await post({ stream: true })
    const reader = stream.body?.getReader()
    await reader?.read()
    floors.push(performance.now() - routed - ROUTE_MS - FIRST_CHUNK_MS)
    await reader?.cancel()
    await sleep(Math.random() * THINK_MS)
  }
  return floors
}

async function load(service: ServiceProcess, questions: string[], endpoint?: string) {
  const { base } = service
  const firstToken: number[] = []
  // The first tokens of turns sent while fewer than MODEL_PLACES turns were in flight: they found a
  // place at the model's gate at once, so their overhead is the service's alone.
  const firstTokenPlaced: number[] = []
  let inFlight = 0
  const turns: number[] = []
  let errors = 0
  let shed = 0
  const measureFrom = Date.now() + WARMUP_SECONDS * 1000
  const deadline = measureFrom + SECONDS * 1000
  let cpuBefore = Number.NaN
  let started = 0
  const warmedUp = sleep(WARMUP_SECONDS * 1000).then(() => {
    cpuBefore = cpuMs(service.child.pid)
    started = performance.now()
  })
  const user = async (u: number) => {
    // Users do not arrive in lockstep: staggered starts and a short pause to read each answer.
    await sleep(Math.random() * THINK_MS)
    for (let i = u; Date.now() < deadline; i += USERS, await sleep(Math.random() * THINK_MS)) {
      // Turns started during the warm-up run as the others, uncounted.
      const counted = Date.now() >= measureFrom
      // One question per conversation: a follow-up would add the condensing call to the model.
      let conversation: Awaited<ReturnType<typeof newConversation>>
      try {
        conversation = await newConversation(base)
      } catch (error) {
        // A refused request is the service protecting itself: counted, and the user tries again later.
        if (!(error instanceof RefusedError)) throw error
        if (!counted) continue
        if (error.status === 503) shed++
        else errors++
        continue
      }
      const placed = inFlight < MODEL_PLACES
      inFlight++
      const result = await streamTurn(base, conversation, questions[i % questions.length] ?? '').finally(
        () => inFlight--,
      )
      if (!counted) continue
      if (result.firstTokenMs !== undefined) {
        firstToken.push(result.firstTokenMs)
        if (placed) firstTokenPlaced.push(result.firstTokenMs)
      }
      if (result.status === 503) shed++
      else if (!result.ok) errors++
      else turns.push(result.totalMs)
    }
  }
  const [floors] = await Promise.all([
    endpoint ? warmedUp.then(() => probeEndpoint(endpoint, deadline)) : warmedUp.then(() => []),
    ...Array.from({ length: USERS }, (_, u) => user(u)),
  ])
  const seconds = (performance.now() - started) / 1000
  const cpu = cpuMs(service.child.pid) - cpuBefore
  return {
    firstToken,
    firstTokenPlaced,
    turns,
    errors,
    shed,
    seconds,
    floors,
    cpuPerTurn: cpu / Math.max(1, turns.length),
  }
}

function report(label: string, code: string, r: Awaited<ReturnType<typeof load>>, modelWait = 0) {
  const f = (v: number) => v.toFixed(1)
  const ft = r.firstToken
  const overhead = (values: number[]) =>
    `${f(percentile(values, 50) - modelWait)} / ${f(percentile(values, 95) - modelWait)} ms`
  const placed = `${overhead(r.firstTokenPlaced)} (${((100 * r.firstTokenPlaced.length) / Math.max(1, ft.length)).toFixed(0)} %)`
  console.log(
    `| ${label} | ${code} | ${USERS} | ${r.turns.length} | ${(r.turns.length / r.seconds).toFixed(1)} | ${f(percentile(ft, 50))} / ${f(percentile(ft, 95))} / ${f(percentile(ft, 99))} ms | ${
      modelWait ? overhead(ft) : '–'
    } | ${modelWait ? placed : '–'} | ${r.floors.length > 0 ? `${f(percentile(r.floors, 50))} / ${f(percentile(r.floors, 95))} ms` : '–'} | ${f(r.cpuPerTurn)} ms | ${r.shed} | ${r.errors} | ${loadavg()[0]?.toFixed(2)} |`,
  )
}

const questions = (await readJsonl('evals/datasets/retrieval.jsonl', retrievalCase)).map((c) => c.question)
const checkouts: Array<[string, string | undefined]> = BASELINE
  ? [
      ['base', BASELINE],
      ['this', undefined],
    ]
  : [['this', undefined]]

console.log(
  `# bench:chat — ${new Date().toISOString()}, Node ${process.version}, ${SECONDS} s per run after ${WARMUP_SECONDS} s of warm-up\n`,
)
console.log(
  '| mode | code | users | turns | turns/s | first token p50 / p95 / p99 | service overhead p50 / p95 | overhead of turns placed at once (share) | endpoint alone p50 / p95 | server CPU per turn | shed (503) | errors | load avg (1 min) |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')

for (const [code, cwd] of checkouts) {
  const offline = await startService({}, { nodeArgs, ...(cwd ? { cwd } : {}) })
  report('offline (extractive), embedded db', code, await load(offline, questions))
  await stopService(offline)
}

const stub = await startModelStub()
for (const [code, cwd] of checkouts) {
  const online = await startService(
    {
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: stub.url,
      MODEL_MAX_RETRIES: '0',
      EMBEDDINGS_PROVIDER: 'local',
    },
    { nodeArgs, ...(cwd ? { cwd } : {}) },
  )
  // The service waits for the routing call (concurrent with retrieval) and then for the first chunk.
  report('stub model, embedded db', code, await load(online, questions, stub.url), ROUTE_MS + FIRST_CHUNK_MS)
  await stopService(online)
}
stub.child.kill()
console.log(
  `\nService overhead = time to first token − the stub's fixed waits (routing ${ROUTE_MS} ms + first chunk ${FIRST_CHUNK_MS} ms). Target: p95 <= 25 ms at 10 users. Turns placed at once: sent while fewer than MODEL_CONCURRENCY (${MODEL_PLACES}) turns were in flight, so none waited for a place at the model's gate; the others may have (the gate is a limit, the wait is the model's capacity, not the service's work). Endpoint alone = the same two calls from a bare client straight to the stub during the run, beyond the same fixed waits: what the overhead holds that is not the service. Server CPU per turn: the service process's user + system time during the run over the turns served (conversation created, routed, answered).`,
)
