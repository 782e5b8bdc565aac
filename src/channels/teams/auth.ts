// Verifies the bearer token the Bot Framework sends with every activity: OpenID metadata -> JWKS
// (cached, refreshed when a token names an unknown key), the cloud's issuer, audience = the bot's app
// id, RS256 only, an expiry (required) with five minutes of clock tolerance, the `serviceurl` claim
// equal to the activity's serviceUrl, and the endorsements of the key that signed the token (when it
// lists any) including the activity's channel.
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose'

// A token naming a key we do not know triggers a refresh, but not more often than this.
const REFRESH_MIN_MS = 5 * 60_000
const KEYS_MAX_AGE_MS = 24 * 60 * 60_000
// Microsoft allows five minutes of clock skew between the Bot Framework and the bot.
const CLOCK_TOLERANCE_S = 300

export class BotAuthError extends Error {
  override name = 'BotAuthError'
}

export interface BotVerifierOptions {
  appId: string
  openIdMetadataUrl: string
  /** The `iss` of the cloud's tokens (clouds.ts). */
  issuer: string
  fetch?: typeof fetch
  now?: () => number
  /** Per request for the OpenID metadata and the keys (HTTP_TIMEOUT_MS). */
  timeoutMs?: number
}

type Key = JSONWebKeySet['keys'][number] & { endorsements?: string[] }
type KeySet = { keys: Key[] }

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
    const known = kid === undefined || cached.keys.keys.some((key) => key.kid === kid)
    if (!known && now() - cached.at > REFRESH_MIN_MS) return loadKeys()
    return cached.keys
  }

  /** The claims when `key` signed the token and they are what the Bot Framework sends. */
  async function claimsSignedBy(token: string, key: Key): Promise<Record<string, unknown>> {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [key] }), {
      issuer: options.issuer,
      audience: options.appId,
      algorithms: ['RS256'],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(now()),
    })
    return payload
  }

  /**
   * Resolves when the request may be processed; throws BotAuthError otherwise. Without a serviceUrl
   * (the body is not an activity) only the token is checked: such a body is refused as malformed
   * by the caller and nothing is sent anywhere.
   */
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
    // A token that names its key is checked with that key; one that does not, with each key in turn.
    // Either way the endorsements checked are those of the key that verified the signature.
    const candidates = (await keysFor(kid)).keys.filter((key) => kid === undefined || key.kid === kid)
    let signer: Key | undefined
    let payload: Record<string, unknown> = {}
    let failure = 'no matching key'
    for (const key of candidates) {
      try {
        payload = await claimsSignedBy(token, key)
        signer = key
        break
      } catch (error) {
        failure = error instanceof Error ? error.name : 'error'
      }
    }
    if (!signer) throw new BotAuthError(`token rejected (${failure})`)
    if (activity.serviceUrl !== undefined) {
      const serviceUrl = typeof payload.serviceurl === 'string' ? payload.serviceurl : ''
      if (normalise(serviceUrl) !== normalise(activity.serviceUrl))
        throw new BotAuthError('serviceurl claim does not match the activity')
    }
    const endorsements = signer.endorsements
    if (endorsements?.length && !endorsements.includes(activity.channelId ?? ''))
      throw new BotAuthError('the signing key is not endorsed for this channel')
  }
}

export type BotVerifier = ReturnType<typeof createBotVerifier>
