// Load shedding for one Node process. A timer that should fire every TICK_MS measures how late it
// fires: when the event loop is late by more than the limit, requests are queueing for the CPU faster
// than they are served. New API requests are then refused with 503 busy (cheap, and nothing is
// stored) until the process has caught up; taking them would only make every turn in the queue wait
// longer, until clients time out.

// Often enough to notice a backlog within a tenth of a second; the timer itself costs nothing.
const TICK_MS = 50
// How long one late tick keeps the process marked as overloaded: a few ticks, so that the state does
// not flap, and no longer, so that the capacity a drained backlog frees is used at once (a hold of a
// second refused so much that an overloaded server served only 35 turns/s instead of its 60).
const HOLD_MS = 200

export interface OverloadMonitor {
  /** True while the event loop has been late by more than the limit within the last HOLD_MS. */
  overloaded(): boolean
}

/** The monitor's logic on an injected clock: `tick` is what the timer calls every TICK_MS. */
export function createOverloadMonitor(
  maxLagMs: number,
  now: () => number = () => performance.now(),
): OverloadMonitor & { tick(): void } {
  let expected = now() + TICK_MS
  let overloadedUntil = Number.NEGATIVE_INFINITY
  return {
    tick() {
      const at = now()
      if (at - expected > maxLagMs) overloadedUntil = at + HOLD_MS
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
