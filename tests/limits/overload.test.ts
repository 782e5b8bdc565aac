// The load-shedding monitor: on an injected clock (what counts as late, how long it holds), and once on
// the real event loop, blocked on purpose.
import { describe, expect, it } from 'vitest'
import { createOverloadMonitor, startOverloadMonitor } from '../../src/server/limits/overload.ts'

describe('overload monitor', () => {
  it('marks the process overloaded for 200 ms after a tick later than the limit', () => {
    let now = 0
    const monitor = createOverloadMonitor(200, () => now)
    // On time, and late by less than the limit: not overloaded.
    for (const step of [50, 50, 200, 50]) {
      now += step
      monitor.tick()
      expect(monitor.overloaded()).toBe(false)
    }
    // Due 50 ms after the last tick, it fires 300 ms late.
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
      const until = performance.now() + 800
      while (performance.now() < until) {
        // Blocks the event loop, as a backlog of work would.
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
