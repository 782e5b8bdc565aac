// The answer eval: conversations driven through the real app over HTTP (server-sent events), each
// reply captured with its route, mode, citations, flags, the model's own text and the time each stage
// took. What was sent to the model is captured too, for the personal-data check.
import type { Citation } from '../../src/conversations/repository.ts'
import type { Database } from '../../src/db/database.ts'
import type { App } from '../../src/server/app.ts'
import type { AdversarialCase, AnswerCase, ConversationCase, ReplyExpectation } from './datasets.ts'

export type Suite = 'answers' | 'conversations' | 'adversarial'

/** One conversation of any suite: a single question is a conversation of one turn. */
export interface EvalConversation {
  suite: Suite
  id: string
  lang: 'de' | 'en'
  attack?: AdversarialCase['attack']
  secrets: string[]
  turns: Array<{ id: string; text: string; expect: ReplyExpectation }>
}

export function conversationsOf(
  answers: readonly AnswerCase[],
  conversations: readonly ConversationCase[],
  adversarial: readonly AdversarialCase[],
): EvalConversation[] {
  const single = (suite: Suite, c: AnswerCase | AdversarialCase): EvalConversation => ({
    suite,
    id: c.id,
    lang: c.lang,
    ...('attack' in c ? { attack: c.attack } : {}),
    secrets: 'secrets' in c ? c.secrets : [],
    turns: [{ id: c.id, text: c.question, expect: c.expect }],
  })
  return [
    ...answers.map((c) => single('answers', c)),
    ...conversations.map((c) => ({
      suite: 'conversations' as const,
      id: c.id,
      lang: c.lang,
      secrets: [],
      turns: c.turns.map((turn, i) => ({ id: `${c.id}/${i + 1}`, ...turn })),
    })),
    ...adversarial.map((c) => single('adversarial', c)),
  ]
}

/** Every turn with the user message before it, for authored follow-up answers. */
export const turnsWithPrevious = (conversations: readonly EvalConversation[]) =>
  conversations.flatMap((c) => c.turns.map((turn, i) => ({ ...turn, previous: c.turns[i - 1]?.text })))

export interface Reply {
  status: number
  route: string | null
  mode: string | null
  text: string
  citations: Citation[]
  flags: string[]
  handoff: boolean
}

export interface TurnResult {
  suite: Suite
  conversationId: string
  id: string
  lang: 'de' | 'en'
  attack?: string | undefined
  text: string
  expect: ReplyExpectation
  secrets: string[]
  reply: Reply
  /** What the model itself wrote before the pipeline's checks; absent when no answer was generated. */
  modelText?: string | undefined
  /** How many sources the model was given. */
  sourcesGiven: number
  /** Model requests this turn sent, serialised (for the personal-data check). */
  modelRequests: string[]
  /** Milliseconds from sending the message to each event. */
  timings: { route?: number; firstToken?: number; done?: number }
}

export interface SseEvent {
  event: string
  data: string
  at: number
}

/** Reads a server-sent events body, stamping each event with the time it arrived. */
export async function readEvents(body: ReadableStream<Uint8Array>, started: number): Promise<SseEvent[]> {
  const events: SseEvent[] = []
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end !== -1) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message'
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n')
      events.push({ event, data, at: performance.now() - started })
      end = buffer.indexOf('\n\n')
    }
  }
  return events
}

export interface DriveOptions {
  app: App
  database: Database
  /** Model requests seen so far (the fixture store's log); absent in offline mode. */
  modelRequests?: () => readonly unknown[]
  onTurn?: () => void
}

/** Runs every conversation turn by turn, one at a time, so that stage timings are not contended. */
export async function driveConversations(
  conversations: readonly EvalConversation[],
  options: DriveOptions,
): Promise<TurnResult[]> {
  const results: TurnResult[] = []
  const json = { 'content-type': 'application/json' }
  for (const conversation of conversations) {
    const created = await options.app.request('/v1/conversations', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ locale: conversation.lang }),
    })
    if (created.status !== 201) throw new Error(`creating a conversation answered ${created.status}`)
    const { id, token } = (await created.json()) as { id: string; token: string }
    for (const turn of conversation.turns) {
      const before = options.modelRequests?.().length ?? 0
      const started = performance.now()
      const res = await options.app.request(`/v1/conversations/${id}/messages`, {
        method: 'POST',
        headers: { ...json, accept: 'text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: turn.text }),
      })
      const events = res.ok && res.body ? await readEvents(res.body, started) : []
      const requests = (options.modelRequests?.() ?? []).slice(before).map((r) => JSON.stringify(r))
      results.push({
        suite: conversation.suite,
        conversationId: conversation.id,
        id: turn.id,
        lang: conversation.lang,
        attack: conversation.attack,
        text: turn.text,
        expect: turn.expect,
        secrets: conversation.secrets,
        modelRequests: requests,
        ...(await replyOf(options.database, res.status, events, options.modelRequests !== undefined)),
      })
      options.onTurn?.()
    }
  }
  return results
}

async function replyOf(
  database: Database,
  status: number,
  events: readonly SseEvent[],
  withModel: boolean,
): Promise<Pick<TurnResult, 'reply' | 'modelText' | 'sourcesGiven' | 'timings'>> {
  const done = events.find((e) => e.event === 'done')
  const message = done
    ? (JSON.parse(done.data) as {
        message: {
          id: string
          route: string | null
          mode: string | null
          text: string
          citations: Citation[]
          handoff?: unknown
        }
      })
    : undefined
  const { rows } = message
    ? await database.query<{ flags: string[] }>('select flags from messages where id = $1', [
        message.message.id,
      ])
    : { rows: [] }
  const flags = rows[0]?.flags ?? []

  // Tokens between the first and the second `sources` event are the model's answer (when one was
  // generated); an offline answer that replaces it announces its own sources.
  const segments: string[] = []
  let sourcesGiven = 0
  for (const e of events) {
    if (e.event === 'sources') {
      segments.push('')
      if (segments.length === 1) sourcesGiven = (JSON.parse(e.data) as { sources: unknown[] }).sources.length
    } else if (e.event === 'token' && segments.length) {
      segments[segments.length - 1] += (JSON.parse(e.data) as { text: string }).text
    }
  }
  const generated =
    withModel && (message?.message.mode === 'generated' || flags.includes('model_answer_rejected'))
  const at = (name: string) => events.find((e) => e.event === name)?.at
  return {
    reply: {
      status,
      route: message?.message.route ?? null,
      mode: message?.message.mode ?? null,
      text: message?.message.text ?? '',
      citations: message?.message.citations ?? [],
      flags,
      handoff: Boolean(message?.message.handoff),
    },
    modelText: generated ? segments[0] : undefined,
    sourcesGiven,
    timings: { route: at('route'), firstToken: at('token'), done: at('done') },
  }
}
