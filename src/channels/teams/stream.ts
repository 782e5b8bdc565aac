// Teams' streaming protocol for personal chats: an informative update, then streaming updates with the
// text so far (buffered, with increasing sequence numbers), then the final message that carries the
// stream id. When Teams refuses streaming (403 ContentStreamNotAllowed), or an update fails, the stream
// stops and the final answer is sent as an ordinary message.
import type { Activity, Connector } from './connector.ts'

// Teams throttles streams: at most about one update per second.
const UPDATE_EVERY_MS = 1000

export interface TeamsStream {
  /** Adds answer text; sends a streaming update when enough time has passed. */
  push(text: string): Promise<void>
  /** Ends the stream with the final message (an answer or a card). */
  finish(final: Activity): Promise<{ id?: string }>
}

export async function openStream(
  connector: Connector,
  target: { serviceUrl: string; conversationId: string },
  informative: string,
  now: () => number = Date.now,
): Promise<TeamsStream> {
  let sequence = 1
  let streamId: string | undefined
  let open = true
  let text = ''
  let lastUpdate = 0
  const post = (activity: Activity) => connector.send(target.serviceUrl, target.conversationId, activity)
  const info = (streamType: string) => ({
    type: 'streaminfo',
    streamType,
    ...(streamId ? { streamId } : {}),
    ...(streamType === 'final' ? {} : { streamSequence: sequence++ }),
  })

  async function update(activity: Activity) {
    if (!open) return
    try {
      const sent = await post(activity)
      streamId ??= sent.id
    } catch {
      // Streaming not allowed here (403 ContentStreamNotAllowed) or the update failed: updates stop,
      // the turn goes on, and the answer still arrives as one message.
      open = false
    }
  }

  await update({ type: 'typing', text: informative, entities: [info('informative')] })
  return {
    async push(piece) {
      text += piece
      if (now() - lastUpdate < UPDATE_EVERY_MS) return
      lastUpdate = now()
      await update({ type: 'typing', text, entities: [info('streaming')] })
    },
    async finish(final) {
      if (!open || !streamId) return post(final)
      const entities = [...((final.entities as unknown[] | undefined) ?? []), info('final')]
      return post({ ...final, entities })
    },
  }
}
