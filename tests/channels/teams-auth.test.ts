// The Bot Framework verifier's key handling and the connector's token cache, with a fake clock.
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { createBotVerifier } from '../../src/channels/teams/auth.ts'
import { createConnector } from '../../src/channels/teams/connector.ts'
import { mockNetwork } from '../helpers/mock-network.ts'

const METADATA = 'https://login.example.test/openid'
const JWKS = 'https://login.example.test/keys'
const SERVICE = 'https://smba.example.test/teams/'

describe('Bot Framework verifier', () => {
  it('caches the keys and refetches them when a token names a new key (rotation)', async () => {
    const first = await generateKeyPair('RS256')
    const second = await generateKeyPair('RS256')
    let keys = [{ ...(await exportJWK(first.publicKey)), kid: 'k1' }]
    let fetched = 0
    mockNetwork.use(
      http.get(METADATA, () => HttpResponse.json({ jwks_uri: JWKS })),
      http.get(JWKS, () => {
        fetched++
        return HttpResponse.json({ keys })
      }),
    )
    let clock = Date.now()
    const verify = createBotVerifier({ appId: 'app', openIdMetadataUrl: METADATA, now: () => clock })
    const token = (key: CryptoKey, kid: string) =>
      new SignJWT({ serviceurl: SERVICE })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer('https://api.botframework.com')
        .setAudience('app')
        .setIssuedAt(Math.floor(clock / 1000))
        .setExpirationTime(Math.floor(clock / 1000) + 3600)
        .sign(key)
    const activity = { serviceUrl: SERVICE.toUpperCase().replace(/\/$/, ''), channelId: 'msteams' }

    await verify(`Bearer ${await token(first.privateKey, 'k1')}`, activity)
    await verify(`Bearer ${await token(first.privateKey, 'k1')}`, activity)
    expect(fetched).toBe(1)

    // The keys rotate; a token with the new key id makes the verifier look again (not at once).
    keys = [{ ...(await exportJWK(second.publicKey)), kid: 'k2' }]
    clock += 6 * 60_000
    await verify(`Bearer ${await token(second.privateKey, 'k2')}`, activity)
    expect(fetched).toBe(2)
    // A flood of unknown key ids does not make it fetch again within five minutes.
    await expect(verify(`Bearer ${await token(first.privateKey, 'k9')}`, activity)).rejects.toThrow(
      /rejected/,
    )
    expect(fetched).toBe(2)
  })
})

describe('Bot Connector client', () => {
  it('gets a token once and reuses it until shortly before it expires', async () => {
    let tokens = 0
    const posted: string[] = []
    mockNetwork.use(
      http.post('https://login.example.test/botframework.com/oauth2/v2.0/token', async ({ request }) => {
        const form = new URLSearchParams(await request.text())
        expect(form.get('grant_type')).toBe('client_credentials')
        expect(form.get('scope')).toBe('https://api.botframework.com/.default')
        tokens++
        return HttpResponse.json({ access_token: `t${tokens}`, expires_in: 3600 })
      }),
      http.post(`${SERVICE}v3/conversations/:id/activities`, ({ request }) => {
        posted.push(request.headers.get('authorization') ?? '')
        return HttpResponse.json({ id: 'a1' })
      }),
    )
    let clock = 0
    const connector = createConnector({
      appId: 'app',
      appPassword: 'secret',
      tenant: 'botframework.com',
      authority: 'https://login.example.test',
      now: () => clock,
    })
    await connector.send(SERVICE, 'c1', { type: 'message', text: 'a' })
    clock += 50 * 60_000
    await connector.send(SERVICE, 'c1', { type: 'message', text: 'b' })
    clock += 6 * 60_000
    await connector.send(SERVICE, 'c1', { type: 'message', text: 'c' })
    expect(posted).toEqual(['Bearer t1', 'Bearer t1', 'Bearer t2'])
  })
})
