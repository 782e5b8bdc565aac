// Teams' streaming protocol for personal chats (Microsoft's "Stream bot messages"): the first request,
// an informative update, creates the stream and is answered 201 with its id; every later informative
// or streaming update names the stream (202 {}), carries the next sequence number and the whole text so
// far; the final message names the stream too, without a sequence number. Updates go out one at a
// time, at most one per UPDATE_EVERY_MS (text that arrives sooner follows when that time is up). While
// an answer is slow the stream shows progress every KEEP_ALIVE_MS. Teams ends a stream after two
// minutes, or when the user stops it, with 403: from then on, as when streaming is not allowed at all,
// the answer goes out as an ordinary message.
import { type Address, addressed } from './activities.ts'
import { type Activity, type Connector, ConnectorError } from './connector.ts'

// Microsoft asks bots to buffer 1.5 to 2 seconds of tokens per update, or be throttled.
const UPDATE_EVERY_MS = 1500
// A stalled model shows progress at least this often (the stream is never silent for long).
const KEEP_ALIVE_MS = 15_000
// Teams refuses a stream that is not finished within two minutes; updates stop a little earlier and
// the final message is sent to the stream only while there is time left for it.
const UPDATES_UNTIL_MS = 110_000
const FINAL_UNTIL_MS = 115_000

export interface StreamOptions {
  /** The first informative update ("Ich suche in der Wissensbasis …"). */
  informative: string
  /** The informative update while nothing has been streamed for KEEP_ALIVE_MS. */
  stillWorking: string
  address: Address
  now?: () => number
  keepAliveMs?: number
  /** Told when Teams refuses or fails an update or the final message (for the log). */
  onProblem?: (what: 'update' | 'final', error: unknown) => void
}

export interface TeamsStream {
  /** Adds answer text; sends a streaming update when enough time has passed since the last one. */
  push(text: string): Promise<void>
  /**
   * Ends the stream with the final message (an answer or a card). Resolves with the id Teams gave it:
   * the stream's id when it ended the stream (feedback names that id), else the plain message's id.
   */
  finish(final: Activity): Promise<{ id?: string | undefined; streamed: boolean }>
  /** Stops the progress updates (safe to call twice). */
  close(): void
}

type State = 'open' | 'stopped' | 'refused'

export async function openStream(
  connector: Connector,
  target: { serviceUrl: string; conversationId: string },
  options: StreamOptions,
): Promise<TeamsStream> {
  const now = options.now ?? Date.now
  const started = now()
  // open: updates go out; stopped: no more updates (one failed, or time is short), the final message
  // may still end the stream; refused: Teams ended the stream (403) or never opened one.
  let state: State = 'open'
  let streamId: string | undefined
  let sequence = 0
  let text = ''
  // The text the last streaming update carried.
  let sentText = ''
  let lastUpdate = started
  let queue: Promise<void> = Promise.resolve()
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const post = (activity: Activity) =>
    connector.send(target.serviceUrl, target.conversationId, addressed(activity, options.address))
  const streamInfo = (streamType: 'informative' | 'streaming' | 'final') => ({
    type: 'streaminfo',
    streamType,
    ...(streamId ? { streamId } : {}),
    ...(streamType === 'final' ? {} : { streamSequence: ++sequence }),
  })

  /**
   * After each update one timer waits: until text that arrived too soon after the last update may go
   * out, or, while nothing new arrives, until the stream should show progress again.
   */
  function schedule() {
    if (timer) clearTimeout(timer)
    if (closed || state !== 'open') return
    const pending = text !== sentText
    const wait = pending ? UPDATE_EVERY_MS : (options.keepAliveMs ?? KEEP_ALIVE_MS)
    timer = setTimeout(
      () => {
        timer = undefined
        void (text ? update('streaming', text) : update('informative', options.stillWorking))
      },
      Math.max(0, lastUpdate + wait - now()),
    )
    // On Node the timer must not keep a stopping process alive; the turn itself does that.
    ;(timer as { unref?: () => void }).unref?.()
  }

  /** Sends an update after those before it; a failure stops the updates, never the turn. */
  function update(streamType: 'informative' | 'streaming', body: string): Promise<void> {
    queue = queue.then(async () => {
      if (state !== 'open' || closed) return
      if (now() - started > UPDATES_UNTIL_MS) {
        state = 'stopped'
        return
      }
      try {
        const sent = await post({ type: 'typing', text: body, entities: [streamInfo(streamType)] })
        if (streamType === 'streaming') sentText = body
        streamId ??= sent.id
        // Only the first request opens a stream; without an id there is none to update.
        if (!streamId) state = 'refused'
      } catch (error) {
        // 403: streaming is not allowed here, the stream ran out of time or the user stopped it.
        state = error instanceof ConnectorError && error.status === 403 ? 'refused' : 'stopped'
        if (!streamId) state = 'refused'
        options.onProblem?.('update', error)
      }
      lastUpdate = now()
      schedule()
    })
    return queue
  }

  const close = () => {
    closed = true
    if (timer) clearTimeout(timer)
  }

  await update('informative', options.informative)
  return {
    async push(piece) {
      text += piece
      if (state !== 'open') return
      // Too soon after the last update: the text waits for the timer (at most UPDATE_EVERY_MS).
      if (now() - lastUpdate < UPDATE_EVERY_MS) return schedule()
      await update('streaming', text)
    },
    async finish(final) {
      close()
      await queue
      if (streamId && state !== 'refused' && now() - started < FINAL_UNTIL_MS) {
        const entities = [...((final.entities as unknown[] | undefined) ?? []), streamInfo('final')]
        try {
          await post({ ...final, entities })
          return { id: streamId, streamed: true }
        } catch (error) {
          // Refused (the stream ran out of time, the user stopped it) or failed: the answer the user
          // asked for still arrives, as an ordinary message.
          options.onProblem?.('final', error)
        }
      }
      const sent = await post(final)
      return { id: sent.id, streamed: false }
    },
    close,
  }
}
