// Server-sent events of a turn, written in batches. A model streams its answer in many small chunks
// (often one per word or token), and each event written on its own is a write to the socket, a system
// call and a packet, a large part of the CPU a streamed answer costs. So the first token goes
// out at once (the time to the first word is what a reader notices), and the tokens after it are held
// for at most TOKEN_HOLD_MS and written together; every other event (route, sources, handoff, error,
// done) goes out at once with whatever tokens are held before it. The events and their order on the
// wire are the same as one write per event; only the packets they travel in differ.

/** Tokens after the first wait at most this long: 20 updates a second read as a smooth stream. */
export const TOKEN_HOLD_MS = 50

/** One event as the text/event-stream format frames it (data is JSON: a single line). */
export function sseFrame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`
}

export interface SseBatcher {
  /** Queues the event; resolves once it is written, or at once when it is a held token. */
  send(event: string, data: string): Promise<void>
  /** Writes what is held now. */
  flush(): Promise<void>
  /** Drops what is held and what is sent from now on (the client is gone). */
  close(): void
}

export function createSseBatcher(
  write: (text: string) => Promise<unknown>,
  holdMs: number = TOKEN_HOLD_MS,
): SseBatcher {
  let held = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  let tokenSent = false
  let closed = false
  const flush = async () => {
    clearTimeout(timer)
    timer = undefined
    if (!held) return
    const text = held
    held = ''
    await write(text)
  }
  return {
    async send(event, data) {
      if (closed) return
      held += sseFrame(event, data)
      if (event === 'token' && tokenSent) {
        // A failed write means the client went away; the turn goes on and stores its answer.
        timer ??= setTimeout(() => void flush().catch(() => undefined), holdMs)
        return
      }
      if (event === 'token') tokenSent = true
      await flush()
    },
    flush,
    close() {
      closed = true
      clearTimeout(timer)
      timer = undefined
      held = ''
    },
  }
}
