// Microsoft's side of the Teams channel, at the network edge with msw, behaving as Microsoft documents
// it: the Bot Framework's OpenID metadata and keys (tokens signed here), the token endpoint, and a Bot
// Connector that answers a stream's first request 201 with its id and every later one 202 `{}`,
// refuses a stream older than two minutes (403, "exceeded streaming time") or one already finished,
// answers an ordinary message 201 with a new id, and can be made to fail typing indicators, refuse
// streaming, go down or act as if the bot was removed. Also what Teams sends the bot: an activity as a
// user's message arrives, the mention of the bot, and the signed POST to /api/messages.
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'

export const APP_ID = '00000000-0000-0000-0000-00000000b07'
export const SERVICE = 'https://smba.trafficmanager.net/emea/'
export const METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration'
export const JWKS = 'https://login.botframework.com/v1/.well-known/keys'
export const TENANT_ID = 'bot-tenant'
export const TOKEN_URL = `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`
/** The settings of a single-tenant bot in the public cloud, as the tests configure it. */
export const TEAMS_ENV = {
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_PASSWORD: 'secret',
  MICROSOFT_APP_TENANT_ID: TENANT_ID,
}

// Teams ends a stream that is not finished within two minutes.
const STREAM_LIMIT_MS = 120_000

export type Posted = {
  url: string
  body: Record<string, unknown> & { type: string; text?: string; entities?: Array<Record<string, unknown>> }
  status: number
  /** What the connector answered. */
  answer: Record<string, unknown>
  /** When it arrived (milliseconds, the test's clock). */
  at: number
}

/** The address of a conversation's activities on the connector. */
export const ACTIVITIES = (conversation: string) =>
  `${SERVICE}v3/conversations/${encodeURIComponent(conversation)}/activities`

/** The mention of the bot in a group chat or channel, as Teams puts it in `entities`. */
export const BOT_MENTION = {
  type: 'mention',
  mentioned: { id: '28:bot', name: 'Digital-Mentor' },
  text: '<at>Digital-Mentor</at>',
}

/** A user's message in a personal chat of the tenant `aad-sued`, as Teams sends it; `overrides` replace fields. */
export const incomingActivity = (overrides: Record<string, unknown> = {}) => ({
  type: 'message',
  id: `incoming-${Math.random().toString(36).slice(2)}`,
  timestamp: new Date().toISOString(),
  serviceUrl: SERVICE,
  channelId: 'msteams',
  from: { id: '29:user-1', name: 'Max Muster', aadObjectId: 'aad-user-1' },
  conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'aad-sued' },
  recipient: { id: '28:bot', name: 'Digital-Mentor' },
  locale: 'de-DE',
  text: 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?',
  channelData: { tenant: { id: 'aad-sued' } },
  ...overrides,
})

/** POSTs an activity to the app's /api/messages, with the token when there is one. */
export const postActivity = (
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  body: unknown,
  token?: string,
) =>
  app.request('/api/messages', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  })

type Stream = { id: string; started: number; sequence: number; text: string; finished: boolean }

export const streamInfo = (p: Posted) =>
  (p.body.entities ?? []).find((e) => e.type === 'streaminfo') as
    | { streamType: string; streamId?: string; streamSequence?: number }
    | undefined

export async function createTeamsFake() {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  // A second published key, endorsed for another channel only.
  const other = await generateKeyPair('RS256')
  let skew = 0
  let counter = 0
  const streams = new Map<string, Stream>()
  const fake = {
    posted: [] as Posted[],
    /** The keys the Bot Framework publishes. */
    keys: [
      { ...(await exportJWK(publicKey)), kid: 'key-1', use: 'sig', endorsements: ['msteams'] },
      { ...(await exportJWK(other.publicKey)), kid: 'key-2', use: 'sig', endorsements: ['skype'] },
    ] as Array<Record<string, unknown>>,
    publicKey,
    /** Status for plain typing indicators (Teams sometimes answers 500). */
    typingStatus: 200,
    /** False: every streaming request is refused with 403 ContentStreamNotAllowed. */
    streaming: true,
    /** Status for every ordinary message (503: the connector is down; 403: the bot was removed). */
    messageStatus: 201,
    /** Called with each request once its answer is decided (to move the clock, say). */
    onPost: undefined as ((posted: Posted) => void) | undefined,
    /** Moves the connector's clock (a stream's age) forward. */
    advance(ms: number) {
      skew += ms
    },
    now: () => Date.now() + skew,
    reset() {
      fake.posted.length = 0
      fake.typingStatus = 200
      fake.streaming = true
      fake.messageStatus = 201
      fake.onPost = undefined
      skew = 0
    },
    /** The messages users see: ordinary messages and the final messages of streams. */
    messages: () => fake.posted.filter((p) => p.body.type === 'message' && p.status < 300),
    sign(
      claims: JWTPayload = {},
      options: {
        kid?: string | null
        /** Signed with key-2 (endorsed for skype only) instead of key-1. */
        otherKey?: boolean
        aud?: string
        iss?: string
        exp?: string | number | null
      } = {},
    ) {
      const header = options.kid === null ? { alg: 'RS256' } : { alg: 'RS256', kid: options.kid ?? 'key-1' }
      const jwt = new SignJWT({ serviceurl: SERVICE, ...claims })
        .setProtectedHeader(header)
        .setIssuer(options.iss ?? 'https://api.botframework.com')
        .setAudience(options.aud ?? APP_ID)
        .setIssuedAt()
        .setNotBefore('0s')
      if (options.exp !== null) jwt.setExpirationTime(options.exp ?? '1h')
      return jwt.sign(options.otherKey ? other.privateKey : privateKey)
    },
    handlers: () => [
      http.get(METADATA, () => HttpResponse.json({ issuer: 'https://api.botframework.com', jwks_uri: JWKS })),
      http.get(JWKS, () => HttpResponse.json({ keys: fake.keys })),
      http.post(TOKEN_URL, () =>
        HttpResponse.json({ token_type: 'Bearer', expires_in: 3600, access_token: 'app-token' }),
      ),
      ...[
        `${SERVICE}v3/conversations/:conversation/activities`,
        `${SERVICE}v3/conversations/:conversation/activities/:reply`,
      ].map((path) =>
        http.post(path, async ({ request }) => {
          if (request.headers.get('authorization') !== 'Bearer app-token')
            return HttpResponse.json({ error: { code: 'Unauthorized' } }, { status: 401 })
          const body = (await request.json()) as Posted['body']
          const [status, answer] = connector(body)
          const posted = { url: request.url, body, status, answer, at: Date.now() }
          fake.posted.push(posted)
          fake.onPost?.(posted)
          return HttpResponse.json(answer, { status })
        }),
      ),
    ],
  }

  const refuse = (message: string): [number, Record<string, unknown>] => [
    403,
    { error: { code: 'ContentStreamNotAllowed', message } },
  ]

  /** The Bot Connector's answer to one activity. */
  function connector(body: Posted['body']): [number, Record<string, unknown>] {
    const info = (body.entities ?? []).find((e) => e.type === 'streaminfo') as
      | { streamType?: string; streamId?: string; streamSequence?: number }
      | undefined
    if (!info) {
      if (body.type === 'typing')
        return [fake.typingStatus, fake.typingStatus < 300 ? {} : { error: { code: 'ServiceError' } }]
      if (fake.messageStatus >= 300)
        return [
          fake.messageStatus,
          { error: { code: fake.messageStatus === 403 ? 'BotNotInConversationRoster' : 'ServiceError' } },
        ]
      return [201, { id: `activity-${++counter}` }]
    }
    if (!fake.streaming) return refuse('Content stream is not allowed')
    if (!info.streamId) {
      if (info.streamSequence !== 1 || !body.text)
        return [
          400,
          { error: { code: 'BadRequest', message: 'Start streaming activities should include text' } },
        ]
      const id = `stream-${++counter}`
      streams.set(id, { id, started: fake.now(), sequence: 1, text: '', finished: false })
      return [201, { id }]
    }
    const stream = streams.get(info.streamId)
    if (!stream) return [400, { error: { code: 'BadRequest', message: 'Unknown stream' } }]
    if (stream.finished)
      return refuse('Content stream is not allowed on an already completed streamed message')
    if (fake.now() - stream.started > STREAM_LIMIT_MS) {
      stream.finished = true
      return refuse('Content stream finished due to exceeded streaming time.')
    }
    if (info.streamType === 'final') {
      if (body.type !== 'message' || info.streamSequence !== undefined)
        return [400, { error: { code: 'BadRequest', message: 'Final streaming activity is malformed' } }]
      stream.finished = true
      return [202, {}]
    }
    if (
      body.type !== 'typing' ||
      typeof info.streamSequence !== 'number' ||
      info.streamSequence <= stream.sequence
    )
      return [202, { error: { code: 'ContentStreamSequenceOrderPreConditionFailed' } }]
    if (info.streamType === 'streaming') {
      const text = body.text ?? ''
      if (!text.startsWith(stream.text))
        return [
          400,
          { error: { code: 'BadRequest', message: 'Streamed content must include previous content' } },
        ]
      stream.text = text
    }
    stream.sequence = info.streamSequence
    return [202, {}]
  }

  return fake
}

export type TeamsFake = Awaited<ReturnType<typeof createTeamsFake>>
