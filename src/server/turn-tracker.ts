// The turns in flight, so that a shutdown can wait for them and, when the grace period is over,
// interrupt them: an interrupted turn stores what it has, marked, before the database closes.

export interface TurnTracker {
  /** Registers a turn; `end` must be called when it is over (safe to call twice). */
  begin(): { signal: AbortSignal; end(): void }
  /** Resolves true when no turn is in flight any more, false after `ms`. */
  drain(ms: number): Promise<boolean>
  /** Asks every turn in flight to stop (and every later one: the service is going down). */
  interrupt(): void
  readonly inFlight: number
}

export function createTurnTracker(): TurnTracker {
  // One controller per turn: listeners that model clients add to a signal go away with their turn.
  const running = new Set<AbortController>()
  let interrupted = false
  let inFlight = 0
  let idle: Array<() => void> = []

  return {
    begin() {
      inFlight++
      const controller = new AbortController()
      if (interrupted) controller.abort()
      running.add(controller)
      let ended = false
      return {
        signal: controller.signal,
        end() {
          if (ended) return
          ended = true
          running.delete(controller)
          inFlight--
          if (inFlight === 0) {
            for (const wake of idle) wake()
            idle = []
          }
        },
      }
    },
    drain(ms) {
      if (inFlight === 0) return Promise.resolve(true)
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms)
        idle.push(() => {
          clearTimeout(timer)
          resolve(true)
        })
      })
    },
    interrupt() {
      interrupted = true
      for (const controller of running) controller.abort()
    },
    get inFlight() {
      return inFlight
    },
  }
}
