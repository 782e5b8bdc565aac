// The event stream's batching: the first token at once, later tokens together, every other event at
// once with what is held before it, and on the wire the same events in the same order.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSseBatcher, sseFrame, TOKEN_HOLD_MS } from '../../src/server/sse-batch.ts'

describe('SSE batching', () => {
  let writes: string[]
  const write = async (text: string) => {
    writes.push(text)
  }
  beforeEach(() => {
    writes = []
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('writes the first token at once and holds the next ones for at most the hold time', async () => {
    const out = createSseBatcher(write)
    await out.send('route', '{"route":"answer"}')
    await out.send('token', '{"text":"Zuerst"}')
    expect(writes).toEqual([sseFrame('route', '{"route":"answer"}'), sseFrame('token', '{"text":"Zuerst"}')])
    await out.send('token', '{"text":" die"}')
    await out.send('token', '{"text":" Ziele"}')
    expect(writes).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(TOKEN_HOLD_MS - 1)
    expect(writes).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(writes.slice(2)).toEqual([
      sseFrame('token', '{"text":" die"}') + sseFrame('token', '{"text":" Ziele"}'),
    ])
  })

  it('writes held tokens together with the next event that is not a token, in order', async () => {
    const out = createSseBatcher(write)
    const events: Array<[string, string]> = [
      ['token', '{"text":"a"}'],
      ['token', '{"text":"b"}'],
      ['token', '{"text":"c"}'],
      ['sources', '{"sources":[]}'],
      ['token', '{"text":"d"}'],
      ['done', '{"message":{}}'],
    ]
    for (const [event, data] of events) await out.send(event, data)
    expect(writes).toEqual([
      sseFrame('token', '{"text":"a"}'),
      sseFrame('token', '{"text":"b"}') +
        sseFrame('token', '{"text":"c"}') +
        sseFrame('sources', '{"sources":[]}'),
      sseFrame('token', '{"text":"d"}') + sseFrame('done', '{"message":{}}'),
    ])
    // Nothing is left for the timer: the held tokens went out with the events after them.
    await vi.advanceTimersByTimeAsync(TOKEN_HOLD_MS * 2)
    expect(writes).toHaveLength(3)
    expect(writes.join('')).toBe(events.map(([event, data]) => sseFrame(event, data)).join(''))
  })

  it('drops what it holds and what comes after once the client is gone', async () => {
    const out = createSseBatcher(write)
    await out.send('token', '{"text":"a"}')
    await out.send('token', '{"text":"b"}')
    out.close()
    await vi.advanceTimersByTimeAsync(TOKEN_HOLD_MS * 2)
    // The turn goes on without the client: what it sends after that is dropped too.
    await out.send('token', '{"text":"c"}')
    await out.send('done', '{"message":{}}')
    await vi.advanceTimersByTimeAsync(TOKEN_HOLD_MS * 2)
    await out.flush()
    expect(writes).toEqual([sseFrame('token', '{"text":"a"}')])
  })

  it('keeps a failed timed write from surfacing as an unhandled rejection', async () => {
    const out = createSseBatcher(async (text) => {
      if (writes.length > 0) throw new Error('socket closed')
      writes.push(text)
    })
    await out.send('token', '{"text":"a"}')
    await out.send('token', '{"text":"b"}')
    await vi.advanceTimersByTimeAsync(TOKEN_HOLD_MS)
    expect(writes).toHaveLength(1)
  })
})
