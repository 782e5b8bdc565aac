// Load shedding for one Node process. A timer that should fire every TICK_MS measures how late it
// fires: when the event loop is late by more than the limit on consecutive ticks, requests are
// queueing for the CPU faster than they are served. New API requests are then refused with 503 busy
// (cheap, and nothing is stored) until the process has caught up; taking them would only make every
// turn in the queue wait longer, until clients time out. One late tick alone (a long garbage
// collection, one slow statement, the process descheduled once) is a hiccup, not a queue.

// Often enough to notice a backlog within a tenth of a second; the timer itself costs nothing.
const TICK_MS = 50
// How long one late tick keeps the process marked as overloaded: a few ticks, so that the state does
// not flap, and no longer, so that the capacity a drained backlog frees is used at once (a hold of a
// second refused so much that an overloaded server served only 35 turns/s instead of its 60).
const HOLD_MS = 200
// Late ticks in a row that make an overload.
const STREAK = 2

export interface OverloadMonitor {
  /** True from the STREAK-th late tick in a row until HOLD_MS after the last late tick. */
  overloaded(): boolean
}

/** The monitor's logic on an injected clock: `tick` is what the timer calls every TICK_MS. */
export function createOverloadMonitor(
  maxLagMs: number,
  now: () => number = () => performance.now(),
): OverloadMonitor & { tick(): void } {
  let expected = now() + TICK_MS
  let late = 0
  let overloadedUntil = Number.NEGATIVE_INFINITY
  return {
    tick() {
      const at = now()
      late = at - expected > maxLagMs ? late + 1 : 0
      if (late >= STREAK) overloadedUntil = at + HOLD_MS
      expected = at + TICK_MS
    },
    overloaded: () => now() < overloadedUntil,
  }
}

/** Starts the monitor on a real timer that does not keep the process alive. */
export function startOverloadMonitor(maxLagMs: number): OverloadMonitor & { stop(): void } {
  const monitor = createOverloadMonitor(maxLagMs)
  const timer = setInterval(monitor.tick, TICK_MS)
  timer.unref()
  return { overloaded: monitor.overloaded, stop: () => clearInterval(timer) }
}
