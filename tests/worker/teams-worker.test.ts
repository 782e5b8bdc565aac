// The Teams channel on the Worker, in the local Workers runtime (`wrangler dev`), against a Postgres
// served locally (PGlite over the wire protocol) and Microsoft's side on loopback (the Bot
// Framework's keys, the token endpoint, a connector that answers a stream's first request 201 {id}
// and later ones 202 {}): /api/messages answers at once, the turn runs under ctx.waitUntil with the
// request's database kept open until it is stored, a redelivery is ignored, and feedback on the
// streamed answer finds it by the stream's id.
import { createServer, type Server } from 'node:http'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, runNode } from '../helpers/processes.ts'
import { startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev.ts'

const APP_ID = '00000000-0000-0000-0000-00000000b07'
const TENANT_ID = 'bot-tenant'

type Posted = {
  path: string
  body: { type: string; text?: string; entities?: Array<Record<string, unknown>> }
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${what}: not within ${ms} ms`)
}

/** Microsoft's side on loopback: OpenID metadata, keys, token endpoint and the Bot Connector. */
async function startMicrosoft() {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', use: 'sig', endorsements: ['msteams'] }
  const posted: Posted[] = []
  let counter = 0
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const send = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
      if (req.url === '/openid') return send(200, { jwks_uri: `${base}/keys` })
      if (req.url === '/keys') return send(200, { keys: [jwk] })
      if (req.url === `/${TENANT_ID}/oauth2/v2.0/token`)
        return send(200, { access_token: 'app-token', expires_in: 3600 })
      if (req.url?.startsWith('/v3/conversations/') && req.headers.authorization === 'Bearer app-token') {
        const activity = JSON.parse(body) as Posted['body']
        posted.push({ path: req.url, body: activity })
        const info = activity.entities?.find((e) => e.type === 'streaminfo')
        if (info && !info.streamId) return send(201, { id: `stream-${++counter}` })
        if (info) return send(202, {})
        return send(201, { id: `activity-${++counter}` })
      }
      return send(404, { error: { code: 'NotFound' } })
    })
  })
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done))
  const sign = () =>
    new SignJWT({ serviceurl: `${base}/` })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer('https://api.botframework.com')
      .setAudience(APP_ID)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey)
  return { base, posted, sign, server }
}

describe('Teams on the Worker, in the local Workers runtime', () => {
  let pglite: PGlite
  let wire: PGLiteSocketServer
  let microsoft: Awaited<ReturnType<typeof startMicrosoft>>
  let worker: WranglerDev

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } })
    wire = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 16 })
    await wire.start()
    const url = `postgres://postgres:local@${wire.getServerConn()}/postgres`
    // The small fixture corpus keeps ingestion quick.
    const run = await runNode('src/cli/ingest.ts', ['tests/fixtures/corpus'], { DATABASE_URL: url })
    expect(run.code, run.stderr).toBe(0)
    microsoft = await startMicrosoft()
    const vars = {
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'secret',
      MICROSOFT_APP_TENANT_ID: TENANT_ID,
      BOT_OPENID_METADATA_URL: `${microsoft.base}/openid`,
      BOT_AUTH_AUTHORITY: microsoft.base,
      LOG_LEVEL: 'warn',
    }
    worker = await startWranglerDev({
      args: Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url },
    })
  })
  afterAll(async () => {
    await worker?.stop()
    await new Promise((done) => microsoft?.server.close(done))
    await wire?.stop()
    await pglite?.close()
  })

  const activity = (overrides: Record<string, unknown> = {}) => ({
    type: 'message',
    id: `incoming-${Math.random().toString(36).slice(2)}`,
    serviceUrl: `${microsoft.base}/`,
    channelId: 'msteams',
    from: { id: '29:user-1', name: 'Max Muster' },
    conversation: { id: 'a:worker-1', conversationType: 'personal' },
    recipient: { id: '28:bot', name: 'Digital-Mentor' },
    locale: 'de-DE',
    text: 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?',
    ...overrides,
  })
  const post = async (body: unknown) =>
    fetch(`${worker.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await microsoft.sign()}` },
      body: JSON.stringify(body),
    })

  it('acknowledges at once, streams the answer under waitUntil, stores it, and ignores a redelivery', async () => {
    const incoming = activity()
    const res = await post(incoming)
    expect(res.status).toBe(200)
    const final = await eventually('the final message', async () =>
      microsoft.posted.find((p) => p.body.type === 'message'),
    )
    const [informative] = microsoft.posted
    expect(informative?.body.entities?.[0]).toMatchObject({ streamType: 'informative', streamSequence: 1 })
    expect(final.body.entities?.at(-1)).toEqual({
      type: 'streaminfo',
      streamType: 'final',
      streamId: 'stream-1',
    })
    const stored = await eventually('the answer, stored with the stream id', async () => {
      const { rows } = await pglite.query<{ external_id: string | null }>(
        `select m.external_id from messages m join conversations c on c.id = m.conversation_id
         where c.channel_ref->>'conversationId' = 'a:worker-1' and m.author = 'assistant'`,
      )
      return rows[0]?.external_id ? rows : undefined
    })
    expect(stored).toEqual([{ external_id: 'stream-1' }])

    const count = microsoft.posted.length
    expect((await post(incoming)).status).toBe(200)
    await new Promise((r) => setTimeout(r, 1500))
    expect(microsoft.posted).toHaveLength(count)

    const invoke = activity({
      type: 'invoke',
      name: 'message/submitAction',
      text: undefined,
      replyToId: 'stream-1',
      value: {
        actionName: 'feedback',
        actionValue: { reaction: 'like', feedback: '{"feedbackText":"Hilfreich."}' },
      },
    })
    const rated = await post(invoke)
    expect(rated.status).toBe(200)
    expect(await rated.text()).toBe('{}')
    const { rows } = await pglite.query<{ rating: string; comment: string }>(
      `select f.rating, f.comment from feedback f join messages m on m.id = f.message_id
       where m.external_id = 'stream-1'`,
    )
    expect(rows).toEqual([{ rating: 'up', comment: 'Hilfreich.' }])
  })
})
