// Model answers for the eval suite, served at the HTTP edge: msw answers the OpenAI-compatible chat
// endpoint from fixtures keyed by a stable hash of the request, in the wire format they were recorded
// in. A request without a fixture fails (HTTP 400, not retried) and is listed, so that a changed prompt
// shows up as "no fixture for this request" instead of silently testing nothing.
//
// Modes: replay (default, no network), record (forwards to the configured endpoint and stores what it
// answers), author (builds fixtures from hand-written model answers, for when no endpoint is at hand),
// live (the run talks to the real endpoint; requests are only logged).
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { bypass, HttpResponse, http, passthrough } from 'msw'
import { setupServer } from 'msw/node'
import { z } from 'zod'

export type FixtureMode = 'replay' | 'record' | 'author' | 'live'

const fixtureSchema = z.strictObject({
  key: z.string().regex(/^[0-9a-f]{20}$/),
  kind: z.enum(['route', 'answer', 'complete']),
  /** For people reading the file: the request's last message, shortened. */
  about: z.string(),
  response: z.strictObject({ status: z.int(), contentType: z.string(), body: z.string() }),
})
export type Fixture = z.infer<typeof fixtureSchema>
export type FixtureResponse = Fixture['response']

export type ChatRequestBody = {
  model: string
  messages: Array<{ role: string; content: unknown }>
  stream?: boolean
  tools?: Array<{ function: { name: string } }>
}

/** Object keys sorted at every level: the same request always serialises the same way. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

export const requestKey = (body: unknown): string =>
  createHash('sha256').update(canonicalJson(body)).digest('hex').slice(0, 20)

export const requestKind = (body: ChatRequestBody): Fixture['kind'] =>
  body.tools ? 'route' : body.stream ? 'answer' : 'complete'

const textOf = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content))
/** What a request asks, for people: an answer request's question comes after its sources. */
const aboutOf = (body: ChatRequestBody) => {
  const last = textOf(body.messages.at(-1)?.content ?? '')
  const question = /\n\n((?:Frage|Question): [\s\S]*)$/.exec(last)?.[1] ?? last
  return question.replace(/\s+/g, ' ').slice(0, 120)
}

/** Writes the answer to a request by hand (author mode), or returns undefined when it has none. */
export type Author = (body: ChatRequestBody) => FixtureResponse | undefined

export class FixtureStore {
  readonly misses: Array<{ key: string; kind: Fixture['kind']; about: string }> = []
  /** Every request the model was sent through this store, in order. */
  readonly requests: ChatRequestBody[] = []
  private readonly byKey = new Map<string, Fixture>()
  // What this run recorded or authored; saving replaces the suite with it, so stale fixtures go.
  private readonly made = new Map<string, Fixture>()
  readonly file: string

  private constructor(file: string) {
    this.file = file
  }

  /** Loads a suite's fixtures (a missing file is an empty suite); a bad line stops with file and line. */
  static async load(file: string): Promise<FixtureStore> {
    const store = new FixtureStore(file)
    let text = ''
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error
    }
    text.split('\n').forEach((line, index) => {
      if (!line.trim()) return
      const parsed = fixtureSchema.safeParse(JSON.parse(line))
      if (!parsed.success) throw new Error(`${file}:${index + 1}: not a valid fixture`)
      store.byKey.set(parsed.data.key, parsed.data)
    })
    return store
  }

  /** How many fixtures this run recorded or authored. */
  get madeCount() {
    return this.made.size
  }

  /**
   * Starts msw with this store's handler and returns a function that stops it; any other request fails
   * (live, other requests go through).
   */
  intercept(mode: FixtureMode, author?: Author) {
    const server = setupServer(this.handler(mode, author))
    server.listen({ onUnhandledFrame: mode === 'live' ? 'bypass' : 'error' })
    return () => server.close()
  }

  /**
   * The msw handler of the chat endpoint. In author mode `author` writes the answer for a request; live,
   * requests are only logged and go through.
   */
  handler(mode: FixtureMode, author?: Author) {
    return http.post(/\/chat\/completions$/, async ({ request }) => {
      const body = (await request.clone().json()) as ChatRequestBody
      this.requests.push(body)
      if (mode === 'live') return passthrough()
      const key = requestKey(body)
      const kind = requestKind(body)
      const about = aboutOf(body)
      let response = mode === 'replay' ? this.byKey.get(key)?.response : undefined
      if (mode === 'record') {
        const upstream = await fetch(bypass(request))
        response = {
          status: upstream.status,
          contentType: upstream.headers.get('content-type') ?? 'application/json',
          body: await upstream.text(),
        }
      } else if (mode === 'author') response = author?.(body)
      if (!response) {
        this.misses.push({ key, kind, about })
        return HttpResponse.json(
          { error: { message: `no fixture for this request (${key})`, type: 'fixture_missing' } },
          { status: 400 },
        )
      }
      if (mode !== 'replay') this.made.set(key, { key, kind, about, response })
      return new HttpResponse(response.body, {
        status: response.status,
        headers: { 'content-type': response.contentType },
      })
    })
  }

  /** Replaces the suite with what this run recorded or authored; sorted, so that diffs stay small. */
  async save(): Promise<boolean> {
    if (this.made.size === 0) return false
    await mkdir(dirname(this.file), { recursive: true })
    const lines = [...this.made.values()]
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((fixture) => JSON.stringify(fixture))
    await writeFile(this.file, `${lines.join('\n')}\n`)
    return true
  }

  /** A readable reason for a run that met requests without fixtures. */
  /** `hidden`: requests whose text must not be shown (the blind test set's messages). */
  missReport(hidden: (about: string) => boolean = () => false): string {
    const first = this.misses
      .slice(0, 3)
      .map(
        (m) =>
          `  - ${m.kind} ${m.key}: ${hidden(m.about) ? '(a test-set message, not shown)' : `"${m.about}"`}`,
      )
    return [
      `${this.misses.length} model request(s) had no fixture in ${this.file}. The prompt, the model or the`,
      'request changed since the fixtures were made. Re-record against a model (--record with',
      'OPENAI_API_KEY/OPENAI_BASE_URL), or rebuild authored fixtures (--author). First misses:',
      ...first,
    ].join('\n')
  }
}

/** The mode from the command line: --record, --author or --live; replay otherwise. */
export function fixtureMode(argv: readonly string[]): FixtureMode {
  if (argv.includes('--record')) return 'record'
  if (argv.includes('--author')) return 'author'
  if (argv.includes('--live')) return 'live'
  return 'replay'
}
