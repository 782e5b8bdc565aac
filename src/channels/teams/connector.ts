// Talks to the Bot Connector: an app token by client credentials (cached until shortly before it
// expires), then activities posted to the conversation's service URL.

export interface ConnectorOptions {
  appId: string
  appPassword: string
  /** `botframework.com` for multi-tenant bots, the Entra tenant id for single-tenant ones. */
  tenant: string
  authority: string
  fetch?: typeof fetch
  now?: () => number
  /** Per request to the token endpoint and the connector (HTTP_TIMEOUT_MS). */
  timeoutMs?: number
}

export type Activity = Record<string, unknown> & { type: string }

export class ConnectorError extends Error {
  override name = 'ConnectorError'
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

const SCOPE = 'https://api.botframework.com/.default'
// Tokens are renewed this long before they expire.
const EARLY_MS = 5 * 60_000
const DEFAULT_TIMEOUT_MS = 10_000

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
        scope: SCOPE,
      }),
      signal: timeout(),
    })
    if (!res.ok) throw new ConnectorError(res.status, 'the bot could not get a token')
    const body = (await res.json()) as { access_token: string; expires_in: number }
    token = { value: body.access_token, expires: now() + body.expires_in * 1000 }
    return token.value
  }

  /** Posts an activity: as a reply to `replyToId`, or (without it) proactively into the conversation. */
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
    if (!res.ok) throw new ConnectorError(res.status, `the connector refused the activity (${res.status})`)
    return ((await res.json().catch(() => ({}))) as { id?: string }) ?? {}
  }

  return { send }
}

export type Connector = ReturnType<typeof createConnector>
