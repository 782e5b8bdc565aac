// The Worker under the local Workers runtime (`wrangler dev`, workerd from npm; no account, no network)
// against a Postgres served locally (PGlite over the wire protocol) that was migrated and filled from
// Node with the project's CLIs, as an operator does for production: readiness, an offline turn as JSON
// and as a stream, both stored; a handoff announced right after the response and a failed
// announcement delivered by the cron trigger; the static assets with the app's headers, the knowledge
// pages among them; and a Worker without a database binding, which says what to bind.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMigrations } from '../../src/db/migration-files.ts'
import { wrapPglite } from '../../src/db/pglite.ts'
import { KNOWLEDGE_CSP } from '../../src/knowledge/page.ts'
import { CONSOLE_CSP } from '../../src/server/console/console-page.ts'
import { freePort, runNode } from '../helpers/processes.ts'
import { createTestApp } from '../helpers/test-app.ts'
import { startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev.ts'

const json = { 'content-type': 'application/json' }

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${what}: not within ${ms} ms`)
}

/** A webhook on loopback that records what it receives and answers with `status`. */
async function startWebhook() {
  const received: unknown[] = []
  const hook = { status: 200, received, url: '', server: undefined as Server | undefined }
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      if (hook.status < 300) received.push(JSON.parse(body))
      res.writeHead(hook.status).end()
    })
  })
  const port = await freePort()
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done))
  hook.url = `http://127.0.0.1:${port}/handoffs`
  hook.server = server
  return hook
}

describe('the Worker with a Hyperdrive binding, in the local Workers runtime', () => {
  let pglite: PGlite
  let wire: PGLiteSocketServer
  let webhook: Awaited<ReturnType<typeof startWebhook>>
  let worker: WranglerDev

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } })
    wire = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 16 })
    await wire.start()
    // Hyperdrive wants a password in its connection string; PGlite's wire server does not check it.
    const url = `postgres://postgres:local@${wire.getServerConn()}/postgres`
    // The production steps, from Node: migrate, then ingest the corpus.
    for (const cli of ['src/cli/migrate.ts', 'src/cli/ingest.ts']) {
      const run = await runNode(cli, [], { DATABASE_URL: url })
      expect(run.code, `${cli}: ${run.stderr}`).toBe(0)
    }
    webhook = await startWebhook()
    worker = await startWranglerDev({
      args: [
        '--test-scheduled',
        '--var',
        `HANDOFF_WEBHOOK_URL:${webhook.url}`,
        // The receiver is this test's own, on loopback: the operator's exemption from the webhook rules.
        '--var',
        'HANDOFF_WEBHOOK_ALLOW_PRIVATE:true',
        '--var',
        'LOG_LEVEL:warn',
      ],
      env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url },
    })
  })
  afterAll(async () => {
    await worker?.stop()
    await new Promise((done) => webhook?.server?.close(done))
    await wire?.stop()
    await pglite?.close()
  })

  const start = async () => {
    const res = await fetch(`${worker.base}/v1/conversations`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ locale: 'de' }),
    })
    expect(res.status).toBe(201)
    return (await res.json()) as { id: string; token: string }
  }
  const say = (c: { id: string; token: string }, text: string, accept = 'application/json') =>
    fetch(`${worker.base}/v1/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { ...json, accept, authorization: `Bearer ${c.token}` },
      body: JSON.stringify({ text }),
    })
  const stored = async (conversationId: string) =>
    (
      await pglite.query<{ author: string; mode: string | null; status: string }>(
        'select author, mode, status from messages where conversation_id = $1 order by seq',
        [conversationId],
      )
    ).rows

  it('is ready: the database answers and the bundled migrations are those of src/db/migrations', async () => {
    const res = await fetch(`${worker.base}/readyz`)
    expect(await res.json()).toEqual({ status: 'ready' })
    expect(res.status).toBe(200)
    const bundled = (await import(resolve('dist/worker/migrations.js'))).default
    expect(bundled).toEqual(await readMigrations())
  })

  it('answers a design question offline with citations and stores the turn', async () => {
    const c = await start()
    const res = await say(c, 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')
    expect(res.status).toBe(200)
    const { message } = (await res.json()) as {
      message: {
        mode: string
        route: string
        text: string
        citations: Array<{ n: number; documentId: string }>
      }
    }
    expect(message).toMatchObject({ mode: 'extractive', route: 'answer' })
    expect(message.text).toMatch(/^Auszug aus der Wissensbasis/)
    expect(message.citations[0]?.documentId).toBe('anwendungsfaelle-finden')
    for (const citation of message.citations) expect(message.text).toContain(`[${citation.n}]`)
    expect(await stored(c.id)).toEqual([
      { author: 'system', mode: null, status: 'complete' },
      { author: 'assistant', mode: null, status: 'complete' },
      { author: 'user', mode: null, status: 'complete' },
      { author: 'assistant', mode: 'extractive', status: 'complete' },
    ])
  })

  it('serves the knowledge page a citation links to, from the corpus bundled at build time', async () => {
    const page = await fetch(`${worker.base}/wissen/anwendungsfaelle-finden`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(KNOWLEDGE_CSP)
    const html = await page.text()
    const title = (await readFile('corpus/de/anwendungsfaelle-finden.md', 'utf8')).match(
      /^title:\s*(.+)$/m,
    )?.[1]
    expect(title).toBeTruthy()
    expect(html).toContain(String(title).replace(/^["']|["']$/g, ''))
    const missing = await fetch(`${worker.base}/wissen/gibt-es-nicht`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })

  it('streams an answer and keeps the database open until the stream has ended and is stored', async () => {
    const c = await start()
    const res = await say(c, 'How do we involve employees when introducing AI?', 'text/event-stream')
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events = [...(await res.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1])
    expect(events[0]).toBe('route')
    expect(events.filter((e) => e === 'token').length).toBeGreaterThan(3)
    expect(events.at(-1)).toBe('done')
    expect((await stored(c.id)).at(-1)).toEqual({
      author: 'assistant',
      mode: 'extractive',
      status: 'complete',
    })
  })

  it('announces a handoff right after the response; the cron trigger delivers one that failed', async () => {
    const c = await start()
    const first = (await (await say(c, 'Muss unser Betriebsrat der Einführung zustimmen?')).json()) as {
      message: { handoff: { id: string } }
    }
    const announced = await eventually('the announcement', async () =>
      webhook.received.find(
        (body) =>
          (body as { handoff?: { handoffId?: string } }).handoff?.handoffId === first.message.handoff.id,
      ),
    )
    expect(announced).toMatchObject({ type: 'handoff.created', handoff: { reason: 'works_council' } })
    // No message text leaves with the announcement.
    expect(JSON.stringify(announced)).not.toContain('Betriebsrat der Einführung')

    webhook.status = 503
    // Another conversation: a second handoff in the same one joins its open ticket, announced once.
    const second = (await (
      await say(await start(), 'Darf der Betriebsrat die Chatbot-Protokolle einsehen?')
    ).json()) as {
      message: { handoff: { id: string } }
    }
    const outboxRow = async () =>
      (
        await pglite.query<{ last_error: string | null; delivered_at: Date | null }>(
          `select last_error, delivered_at from outbox where payload->>'handoffId' = $1`,
          [second.message.handoff.id],
        )
      ).rows[0]
    await eventually('the failed attempt', async () =>
      (await outboxRow())?.last_error === 'http_503' ? true : undefined,
    )
    webhook.status = 200
    // Due now instead of after the backoff; then the cron run, as Cloudflare would start it.
    await pglite.query('update outbox set next_attempt_at = now() where delivered_at is null')
    const cron = await fetch(`${worker.base}/__scheduled?cron=${encodeURIComponent('* * * * *')}`)
    expect(cron.status).toBe(200)
    await eventually('the delivery by cron', async () =>
      (await outboxRow())?.delivered_at ? true : undefined,
    )
    expect(webhook.received).toContainEqual(
      expect.objectContaining({ handoff: expect.objectContaining({ handoffId: second.message.handoff.id }) }),
    )
  })

  it('serves the widget, the mentor console and the API reference’s viewer as static assets with the headers the app sends', async () => {
    const widget = await fetch(`${worker.base}/widget.js`)
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(widget.headers.get('access-control-allow-origin')).toBe('*')
    expect(await widget.text()).toContain('digital-mentor-widget')
    const page = await fetch(`${worker.base}/mentor`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP)
    expect(page.headers.get('cross-origin-resource-policy')).toBe('same-origin')

    // The same headers as the app on Node, path by path.
    const { app } = await createTestApp(wrapPglite(pglite), { migrated: false })
    for (const path of [
      '/widget.js',
      '/mentor',
      '/mentor/console.js',
      '/mentor/console.css',
      '/mentor/icon.svg',
      '/docs/swagger-ui-bundle.js',
      '/docs/swagger-ui.css',
    ]) {
      const [fromWorker, fromApp] = [await fetch(`${worker.base}${path}`), await app.request(path)]
      for (const name of [
        'content-type',
        'cache-control',
        'content-security-policy',
        'cross-origin-resource-policy',
        'access-control-allow-origin',
        'x-content-type-options',
        'x-frame-options',
      ])
        expect(`${path} ${name}: ${fromWorker.headers.get(name)}`).toBe(
          `${path} ${name}: ${fromApp.headers.get(name)}`,
        )
      // The console's script is its function's source text, which differs between transpilers.
      if (path !== '/mentor/console.js') expect(await fromWorker.text()).toBe(await fromApp.text())
    }
  })
})

describe('a Worker without a database binding', () => {
  let worker: WranglerDev
  let cwd: string

  beforeAll(async () => {
    // The migrations module the Worker imports (the first suite's wrangler dev writes it too).
    const prepared = await runNode('scripts/prepare-worker.ts', [], {})
    expect(prepared.code, prepared.stderr).toBe(0)
    const date = /^compatibility_date = "([\d-]+)"/m.exec(await readFile('wrangler.toml', 'utf8'))?.[1]
    if (!date) throw new Error('wrangler.toml has no compatibility_date')
    // The same entry and runtime, configured without the Hyperdrive binding.
    cwd = await mkdtemp(join(tmpdir(), 'dm-unbound-'))
    const config = join(cwd, 'wrangler.toml')
    await writeFile(
      config,
      [
        'name = "digital-mentor-unbound"',
        `main = ${JSON.stringify(resolve('src/server/worker.ts'))}`,
        `compatibility_date = "${date}"`,
        'compatibility_flags = ["nodejs_compat"]',
      ].join('\n'),
    )
    worker = await startWranglerDev({ cwd, args: ['--config', config] })
  })
  afterAll(async () => {
    await worker?.stop()
    await rm(cwd, { recursive: true, force: true })
  })

  it('answers with a configuration error that says what to bind', async () => {
    for (const [path, init] of [
      ['/readyz', {}],
      ['/v1/conversations', { method: 'POST', headers: json, body: '{}' }],
    ] as const) {
      const res = await fetch(`${worker.base}${path}`, init)
      expect(res.status).toBe(503)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('not_configured')
      expect(body.error.message).toContain('HYPERDRIVE')
      expect(body.error.message).toContain('DATABASE_URL')
    }
    // The Worker's log says it too, as a JSON line.
    await eventually('the log line', async () =>
      worker.output().includes('"msg":"worker cannot start"') ? true : undefined,
    )
  })
})
