// An OpenAI-compatible chat endpoint with fixed latencies for `npm run bench:chat`, run as a process of
// its own so that its timers do not share an event loop with the load generator. Answers a routing
// tool call after ROUTE_MS and streams a cited answer whose first chunk comes after FIRST_CHUNK_MS.
// Prints its URL on the first line of stdout.
import { createServer } from 'node:http'
import { chunkEvent, DONE_EVENT, toolCallCompletion } from '../tests/helpers/openai-wire.ts'

export const ROUTE_MS = 150
export const FIRST_CHUNK_MS = 250
const CHUNK_MS = 15
const CHUNKS = 12

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function start() {
  const server = createServer(async (req, res) => {
    let raw = ''
    for await (const part of req) raw += part
    const body = JSON.parse(raw) as { tools?: Array<{ function: { name: string } }> }
    if (body.tools) {
      await sleep(ROUTE_MS)
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
    await sleep(FIRST_CHUNK_MS)
    for (let i = 0; i < CHUNKS; i++) {
      res.write(chunkEvent(i === CHUNKS - 1 ? ' [1].' : ` Wort${i}`))
      await sleep(CHUNK_MS)
    }
    res.write(chunkEvent(null, 'stop'))
    res.end(DONE_EVENT)
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    console.log(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`)
  })
}

if (import.meta.main) start()
