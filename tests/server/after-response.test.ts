// Work after the response (the host's `afterResponse`: a background task on Node, ctx.waitUntil on
// Workers): a new handoff's announcement is tried at once instead of waiting for the next outbox round.
import { HttpResponse, http } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { createTestApp } from '../helpers/test-app.ts'

const WEBHOOK = 'https://hooks.example.org/mentors'
const json = { 'content-type': 'application/json' }

describe('work after the response', () => {
  let t: TestDatabase
  let app: Awaited<ReturnType<typeof createTestApp>>['app']
  const tasks: Array<() => Promise<void>> = []

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    app = (
      await createTestApp(t.database, {
        env: { HANDOFF_WEBHOOK_URL: WEBHOOK },
        afterResponse: (task) => tasks.push(task),
      })
    ).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
  })
  afterAll(async () => {
    await t.dispose()
  })

  const turn = async (text: string) => {
    const start = await app.request('/v1/conversations', { method: 'POST', headers: json, body: '{}' })
    const c = (await start.json()) as { id: string; token: string }
    const res = await app.request(`/v1/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${c.token}` },
      body: JSON.stringify({ text }),
    })
    expect(res.status).toBe(200)
    return ((await res.json()) as { message: { handoff?: { id: string } } }).message
  }

  it('announces a new handoff once the host runs the work, without waiting for the dispatcher', async () => {
    const received: unknown[] = []
    mockNetwork.use(
      http.post(WEBHOOK, async ({ request }) => {
        received.push(await request.json())
        return new HttpResponse(null, { status: 204 })
      }),
    )
    const message = await turn('Muss unser Betriebsrat der Einführung zustimmen?')
    // Queued with the ticket, handed to the host, not sent during the request.
    expect(tasks).toHaveLength(1)
    expect(received).toEqual([])
    await Promise.all(tasks.splice(0).map((task) => task()))
    expect(received).toEqual([
      { type: 'handoff.created', handoff: expect.objectContaining({ handoffId: message.handoff?.id }) },
    ])
    const { rows } = await t.database.query('select 1 from outbox where delivered_at is null')
    expect(rows).toEqual([])
  })

  it('asks for no work when a turn hands nothing over', async () => {
    await turn('Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')
    expect(tasks).toEqual([])
  })
})
