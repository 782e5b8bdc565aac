// Verifies the bearer token the Bot Framework sends with every activity: OpenID metadata -> JWKS
// (cached, refreshed when a token names an unknown key), issuer, audience = the bot's app id, RS256
// only, five minutes of clock tolerance, the `serviceurl` claim equal to the activity's serviceUrl, and
// the key's endorsements (when it lists any) including the activity's channel.
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose'

export const BOT_ISSUER = 'https://api.botframework.com'
// A token naming a key we do not know triggers a refresh, but not more often than this.
const REFRESH_MIN_MS = 5 * 60_000
const KEYS_MAX_AGE_MS = 24 * 60 * 60_000

export class BotAuthError extends Error {
  override name = 'BotAuthError'
}

export interface BotVerifierOptions {
  appId: string
  openIdMetadataUrl: string
  fetch?: typeof fetch
  now?: () => number
  /** Per request for the OpenID metadata and the keys (HTTP_TIMEOUT_MS). */
  timeoutMs?: number
}

type KeySet = { keys: Array<JSONWebKeySet['keys'][number] & { endorsements?: string[] }> }

const normalise = (url: string) => url.trim().toLowerCase().replace(/\/+$/, '')

export function createBotVerifier(options: BotVerifierOptions) {
  const http = options.fetch ?? fetch
  const now = options.now ?? Date.now
  let cached: { keys: KeySet; at: number } | undefined
  const get = (url: string) => http(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) })

  async function loadKeys(): Promise<KeySet> {
    const metadata = (await (await get(options.openIdMetadataUrl)).json()) as { jwks_uri?: string }
    if (!metadata.jwks_uri) throw new BotAuthError('OpenID metadata without jwks_uri')
    const keys = (await (await get(metadata.jwks_uri)).json()) as KeySet
    if (!Array.isArray(keys.keys)) throw new BotAuthError('JWKS without keys')
    cached = { keys, at: now() }
    return keys
  }

  async function keysFor(kid: string | undefined): Promise<KeySet> {
    if (!cached || now() - cached.at > KEYS_MAX_AGE_MS) return loadKeys()
    const known = cached.keys.keys.some((key) => key.kid === kid)
    if (!known && now() - cached.at > REFRESH_MIN_MS) return loadKeys()
    return cached.keys
  }

  /** Resolves when the request may be processed; throws BotAuthError otherwise. */
  return async function verify(
    authorization: string | undefined,
    activity: { serviceUrl?: string | undefined; channelId?: string | undefined },
  ): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
    if (!token) throw new BotAuthError('no bearer token')
    let kid: string | undefined
    try {
      kid = decodeProtectedHeader(token).kid
    } catch {
      throw new BotAuthError('malformed token')
    }
    const keys = await keysFor(kid)
    let payload: Record<string, unknown>
    try {
      ;({ payload } = await jwtVerify(token, createLocalJWKSet(keys), {
        issuer: BOT_ISSUER,
        audience: options.appId,
        algorithms: ['RS256'],
        clockTolerance: 300,
        currentDate: new Date(now()),
      }))
    } catch (error) {
      throw new BotAuthError(`token rejected (${error instanceof Error ? error.name : 'error'})`)
    }
    const serviceUrl = typeof payload.serviceurl === 'string' ? payload.serviceurl : ''
    if (!activity.serviceUrl || normalise(serviceUrl) !== normalise(activity.serviceUrl))
      throw new BotAuthError('serviceurl claim does not match the activity')
    const endorsements = keys.keys.find((key) => key.kid === kid)?.endorsements
    if (endorsements?.length && !endorsements.includes(activity.channelId ?? ''))
      throw new BotAuthError('the signing key is not endorsed for this channel')
  }
}

export type BotVerifier = ReturnType<typeof createBotVerifier>
