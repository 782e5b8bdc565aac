// An OpenAI-compatible chat endpoint with fixed latencies for the benchmarks and the shutdown test, run
// as a process of its own so that its timers do not share an event loop with the load generator.
// Answers a routing tool call, and a plain completion (condensing a follow-up: the last message as
// it is), after --route-ms, and streams a cited answer: the first chunk after --first-chunk-ms, then
// --chunks chunks every --chunk-ms. Prints its URL on the first line of stdout.
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { parseArgs } from 'node:util'
import { chunkEvent, DONE_EVENT, textCompletion, toolCallCompletion } from '../tests/helpers/openai-wire.ts'

// The defaults bench:chat measures its service overhead against.
export const ROUTE_MS = 150
export const FIRST_CHUNK_MS = 250
const CHUNK_MS = 15
const CHUNKS = 12

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface StubTiming {
  routeMs: number
  firstChunkMs: number
  chunkMs: number
  chunks: number
}

function start(timing: StubTiming) {
  const server = createServer(async (req, res) => {
    let raw = ''
    for await (const part of req) raw += part
    const body = JSON.parse(raw) as {
      tools?: Array<{ function: { name: string } }>
      stream?: boolean
      messages: Array<{ content: string }>
    }
    if (!body.tools && !body.stream) {
      await sleep(timing.routeMs)
      const last = body.messages.at(-1)?.content ?? ''
      const question = /<last_message>\n([\s\S]*)\n<\/last_message>/.exec(last)?.[1] ?? last
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(textCompletion('gpt-4o-mini', question)))
      return
    }
    if (body.tools) {
      await sleep(timing.routeMs)
      res.setHeader('content-type', 'application/json')
      const name = body.tools[0]?.function.name ?? 'route_message'
      res.end(
        JSON.stringify(
          toolCallCompletion('stub', name, { route: 'answer', confidence: 0.9, reason: 'design question' }),
        ),
      )
      return
    }
    res.setHeader('content-type', 'text/event-stream')
    await sleep(timing.firstChunkMs)
    let open = true
    res.on('close', () => {
      open = false
    })
    for (let i = 0; i < timing.chunks && open; i++) {
      res.write(chunkEvent(i === timing.chunks - 1 ? ' [1].' : ` Wort${i}`))
      if (i < timing.chunks - 1) await sleep(timing.chunkMs)
    }
    // The service hung up (its turn was interrupted): nothing more to send.
    if (!open) return
    res.write(chunkEvent(null, 'stop'))
    res.end(DONE_EVENT)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    console.log(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`)
  })
}

/** Runs the stub as a process of its own with these flags; resolves with its URL once it listens. */
export function startModelStub(flags: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bench/model-stub.ts', ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  // The stub must not outlive whoever started it, also when that one fails.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  return new Promise((resolve, reject) => {
    child.once('exit', () => reject(new Error('the model stub exited')))
    child.stdout?.once('data', (data: Buffer) => resolve({ child, url: data.toString().trim() }))
  })
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      'route-ms': { type: 'string', default: String(ROUTE_MS) },
      'first-chunk-ms': { type: 'string', default: String(FIRST_CHUNK_MS) },
      'chunk-ms': { type: 'string', default: String(CHUNK_MS) },
      chunks: { type: 'string', default: String(CHUNKS) },
    },
  })
  start({
    routeMs: Number(values['route-ms']),
    firstChunkMs: Number(values['first-chunk-ms']),
    chunkMs: Number(values['chunk-ms']),
    chunks: Math.max(1, Number(values.chunks)),
  })
}
