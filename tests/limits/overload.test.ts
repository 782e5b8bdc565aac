// The load-shedding monitor: on an injected clock (what counts as late, how long it holds), and once on
// the real event loop, blocked on purpose.
import { describe, expect, it } from 'vitest'
import { createOverloadMonitor, startOverloadMonitor } from '../../src/server/limits/overload.ts'

describe('overload monitor', () => {
  it('marks the process overloaded on the second late tick in a row, until 200 ms after the last', () => {
    let now = 0
    const monitor = createOverloadMonitor(200, () => now)
    // On time, late by less than the limit, and late once (a hiccup): not overloaded.
    for (const step of [50, 50, 200, 50, 350, 50]) {
      now += step
      monitor.tick()
      expect(monitor.overloaded()).toBe(false)
    }
    // Due 50 ms after the last tick, it fires 300 ms late, twice: a queue.
    now += 350
    monitor.tick()
    expect(monitor.overloaded()).toBe(false)
    now += 350
    monitor.tick()
    expect(monitor.overloaded()).toBe(true)
    now += 50
    monitor.tick()
    now += 100
    expect(monitor.overloaded()).toBe(true)
    now += 50
    expect(monitor.overloaded()).toBe(false)
  })

  it('notices a blocked event loop and recovers once it runs freely again', async () => {
    const monitor = startOverloadMonitor(300)
    try {
      // Blocks the event loop twice in a row, as a queue of work would.
      for (const block of [800, 800]) {
        const until = performance.now() + block
        while (performance.now() < until) {
          // busy
        }
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
      // The monitor's timer, due long ago, fires as soon as the loop is free, and marks the overload.
      let noticed = false
      for (let i = 0; i < 20 && !noticed; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5))
        noticed = monitor.overloaded()
      }
      expect(noticed).toBe(true)
      let recovered = false
      for (let i = 0; i < 60 && !recovered; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        recovered = !monitor.overloaded()
      }
      expect(recovered).toBe(true)
    } finally {
      monitor.stop()
    }
  })
})
