// The Bot Framework verifier's key handling, the connector's token cache (with a fake clock), and the
// endpoints of Microsoft's clouds.
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { createBotVerifier } from '../../src/channels/teams/auth.ts'
import { createConnector } from '../../src/channels/teams/connector.ts'
import { createTeams } from '../../src/channels/teams/setup.ts'
import { loadConfig } from '../../src/config.ts'
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
    const verify = createBotVerifier({
      appId: 'app',
      openIdMetadataUrl: METADATA,
      issuer: 'https://api.botframework.com',
      now: () => clock,
    })
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
      scope: 'https://api.botframework.com/.default',
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

describe('Microsoft clouds', () => {
  // Microsoft's published values for each cloud (the Teams SDK's CloudEnvironment presets).
  const clouds = [
    {
      cloud: 'USGov',
      token: 'https://login.microsoftonline.us/gov-tenant/oauth2/v2.0/token',
      scope: 'https://api.botframework.us/.default',
      metadata: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
      issuer: 'https://api.botframework.us',
    },
    {
      cloud: 'USGovDoD',
      token: 'https://login.microsoftonline.us/gov-tenant/oauth2/v2.0/token',
      scope: 'https://api.botframework.us/.default',
      metadata: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
      issuer: 'https://api.botframework.us',
    },
    {
      cloud: 'China',
      token: 'https://login.partner.microsoftonline.cn/gov-tenant/oauth2/v2.0/token',
      scope: 'https://api.botframework.azure.cn/.default',
      metadata: 'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
      issuer: 'https://api.botframework.azure.cn',
    },
  ]

  it.each(clouds)(
    '$cloud: token from its authority and scope, activities checked against its issuer and keys',
    async (c) => {
      const { privateKey, publicKey } = await generateKeyPair('RS256')
      const keysUrl = `${new URL(c.metadata).origin}/v1/.well-known/keys`
      const scopes: string[] = []
      mockNetwork.use(
        http.get(c.metadata, () => HttpResponse.json({ jwks_uri: keysUrl })),
        http.get(keysUrl, async () =>
          HttpResponse.json({
            keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', endorsements: ['msteams'] }],
          }),
        ),
        http.post(c.token, async ({ request }) => {
          scopes.push(new URLSearchParams(await request.text()).get('scope') ?? '')
          return HttpResponse.json({ access_token: 'gov-token', expires_in: 3600 })
        }),
        http.post(`${SERVICE}v3/conversations/:id/activities`, () => HttpResponse.json({ id: 'a1' })),
      )
      const teams = createTeams(
        loadConfig({
          MICROSOFT_APP_ID: 'app',
          MICROSOFT_APP_PASSWORD: 'secret',
          MICROSOFT_APP_TENANT_ID: 'gov-tenant',
          BOT_CLOUD: c.cloud,
        }),
      )
      await teams?.connector.send(SERVICE, 'c1', { type: 'message', text: 'a' })
      expect(scopes).toEqual([c.scope])

      const token = (issuer: string) =>
        new SignJWT({ serviceurl: SERVICE })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience('app')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey)
      const activity = { serviceUrl: SERVICE, channelId: 'msteams' }
      await expect(teams?.verify(`Bearer ${await token(c.issuer)}`, activity)).resolves.toBeUndefined()
      // A token of the public cloud is not one of this cloud's.
      await expect(
        teams?.verify(`Bearer ${await token('https://api.botframework.com')}`, activity),
      ).rejects.toThrow(/rejected/)
    },
  )

  it('is single-tenant unless told otherwise, and names what is missing', () => {
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'secret' })).toThrow(
      /MICROSOFT_APP_TENANT_ID must be the bot’s Entra tenant id/,
    )
    const multi = loadConfig({
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'secret',
      MICROSOFT_APP_TYPE: 'MultiTenant',
    })
    expect(multi.MICROSOFT_APP_TYPE).toBe('MultiTenant')
    expect(() => loadConfig({ BOT_CLOUD: 'Germany' })).toThrow(
      /BOT_CLOUD must be one of Public, USGov, USGovDoD, China/,
    )
  })
})
