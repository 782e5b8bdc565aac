// Bounds the turns that use the chat model at once: a slot per turn (a turn makes its model calls one
// after another), a bounded queue for turns waiting for a slot, and a wait limit. A full queue is
// refused before anything is stored; a turn that waited too long is answered offline.

export interface ModelSlot {
  /** True once the slot is held; false when the wait timed out or was aborted. */
  readonly acquired: Promise<boolean>
  /** Gives the slot (or the place in the queue) back; safe to call more than once. */
  release(): void
}

export interface ModelGate {
  /** A slot now or a place in the queue; undefined when the queue is full. */
  tryEnter(signal?: AbortSignal): ModelSlot | undefined
  readonly active: number
  readonly waiting: number
}

export interface ModelGateOptions {
  concurrency: number
  queueLimit: number
  queueTimeoutMs: number
}

export function createModelGate(options: ModelGateOptions): ModelGate {
  let active = 0
  const queue: Array<(granted: boolean) => void> = []

  function handOn() {
    const next = queue.shift()
    if (next) next(true)
    else active--
  }

  return {
    tryEnter(signal) {
      if (active < options.concurrency) {
        active++
        let held = true
        return {
          acquired: Promise.resolve(true),
          release() {
            if (!held) return
            held = false
            handOn()
          },
        }
      }
      if (queue.length >= options.queueLimit) return undefined
      let state: 'waiting' | 'held' | 'done' = 'waiting'
      let settle: (granted: boolean) => void = () => undefined
      const acquired = new Promise<boolean>((resolve) => {
        settle = (granted) => {
          // Only a waiter still in the queue is settled: giving up removes it from there first.
          if (state !== 'waiting') return
          clearTimeout(timer)
          signal?.removeEventListener('abort', giveUp)
          state = granted ? 'held' : 'done'
          resolve(granted)
        }
      })
      const giveUp = () => {
        const at = queue.indexOf(settle)
        if (at >= 0) queue.splice(at, 1)
        settle(false)
      }
      const timer = setTimeout(giveUp, options.queueTimeoutMs)
      signal?.addEventListener('abort', giveUp, { once: true })
      queue.push(settle)
      if (signal?.aborted) giveUp()
      return {
        acquired,
        release() {
          if (state === 'waiting') giveUp()
          else if (state === 'held') {
            state = 'done'
            handOn()
          }
        },
      }
    },
    get active() {
      return active
    },
    get waiting() {
      return queue.length
    },
  }
}
