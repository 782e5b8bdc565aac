// The Node entry as `npm run bench:load` runs it: the same server, reporting its memory and its event
// loop's longest delay to the benchmark over the IPC channel every second, and after a full garbage
// collection when asked. Start with --expose-gc.
import { monitorEventLoopDelay } from 'node:perf_hooks'

type Sample = { rss: number; heapUsed: number; loopMaxMs: number; collected: boolean }

// The longest time the event loop was blocked in the last second (the histogram is reset after each
// report): a stall shows here as it does in every request waiting behind it.
const loop = monitorEventLoopDelay({ resolution: 10 })
loop.enable()

const report = (collected: boolean) => {
  // The benchmark may be gone already (the server is still shutting down).
  if (!process.connected) return
  const { rss, heapUsed } = process.memoryUsage()
  process.send?.({ rss, heapUsed, loopMaxMs: loop.max / 1e6, collected } satisfies Sample)
  if (!collected) loop.reset()
}

setInterval(() => report(false), 1000).unref()
process.on('message', (message) => {
  if (message !== 'gc') return
  ;(globalThis as { gc?: () => void }).gc?.()
  report(true)
})
// The IPC channel must not keep the process alive once the server has stopped.
process.channel?.unref()

await import('../src/server/node.ts')
