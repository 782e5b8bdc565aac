// The Node entry as `npm run bench:load` runs it: the same server, reporting its memory to the
// benchmark over the IPC channel every second, and after a full garbage collection when asked.
// Start with --expose-gc.

type Sample = { rss: number; heapUsed: number; collected: boolean }

const report = (collected: boolean) => {
  const { rss, heapUsed } = process.memoryUsage()
  process.send?.({ rss, heapUsed, collected } satisfies Sample)
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
