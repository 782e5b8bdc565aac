// Talks to the Bot Connector: an app token by client credentials (cached until shortly before it
// expires), then activities posted to the conversation's service URL.

export interface ConnectorOptions {
  appId: string
  appPassword: string
  /** The cloud's login tenant for multi-tenant bots, the Entra tenant id for single-tenant ones. */
  tenant: string
  /** Entra ID's login host of the bot's cloud (clouds.ts). */
  authority: string
  /** The Bot Connector's scope in the bot's cloud (clouds.ts). */
  scope: string
  fetch?: typeof fetch
  now?: () => number
  /** Per request to the token endpoint and the connector (HTTP_TIMEOUT_MS). */
  timeoutMs?: number
}

export type Activity = Record<string, unknown> & { type: string }

export class ConnectorError extends Error {
  override name = 'ConnectorError'
  readonly status: number
  /** The connector's error code (`ContentStreamNotAllowed`, `ConversationNotFound` …), when it sent one. */
  readonly code: string | undefined
  /**
   * The activity will never be accepted in this conversation: 403 (the bot was removed or blocked,
   * streaming is refused) or 404 (the conversation is gone). Retrying does not help.
   */
  readonly permanent: boolean
  constructor(
    status: number,
    message: string,
    options: { code?: string | undefined; activity?: boolean } = {},
  ) {
    super(message)
    this.status = status
    this.code = options.code
    this.permanent = options.activity === true && (status === 403 || status === 404)
  }
}

// Tokens are renewed this long before they expire.
const EARLY_MS = 5 * 60_000
const DEFAULT_TIMEOUT_MS = 10_000

/** The code in a connector's error body (`{ error: { code, message } }`); the message is not kept. */
async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined
  const code = body?.error?.code
  return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? code : undefined
}

export function createConnector(options: ConnectorOptions) {
  const http = options.fetch ?? fetch
  const now = options.now ?? Date.now
  let token: { value: string; expires: number } | undefined
  const timeout = () => AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)

  async function appToken(): Promise<string> {
    if (token && now() < token.expires - EARLY_MS) return token.value
    const res = await http(`${options.authority.replace(/\/$/, '')}/${options.tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.appId,
        client_secret: options.appPassword,
        scope: options.scope,
      }),
      signal: timeout(),
    })
    if (!res.ok) throw new ConnectorError(res.status, 'the bot could not get a token')
    const body = (await res.json()) as { access_token: string; expires_in: number }
    token = { value: body.access_token, expires: now() + body.expires_in * 1000 }
    return token.value
  }

  /**
   * Posts an activity: as a reply to `replyToId`, or (without it) into the conversation. Resolves with
   * what the connector answered: `{ id }` for a new message (201), `{}` for a streaming update (202).
   */
  async function send(
    serviceUrl: string,
    conversationId: string,
    activity: Activity,
    replyToId?: string,
  ): Promise<{ id?: string }> {
    const base = `${serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(conversationId)}/activities`
    const res = await http(replyToId ? `${base}/${encodeURIComponent(replyToId)}` : base, {
      method: 'POST',
      headers: { authorization: `Bearer ${await appToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: timeout(),
    })
    if (!res.ok) {
      const code = await errorCode(res)
      throw new ConnectorError(res.status, `the connector refused the activity (${res.status})`, {
        code,
        activity: true,
      })
    }
    const body = (await res.json().catch(() => ({}))) as { id?: unknown } | null
    return typeof body?.id === 'string' ? { id: body.id } : {}
  }

  return { send }
}

export type Connector = ReturnType<typeof createConnector>
