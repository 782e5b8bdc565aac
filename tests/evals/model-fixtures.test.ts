// The eval suite's model fixtures: requests are keyed stably, replayed in their wire format, and a
// request without a fixture fails clearly instead of being answered by anything.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FixtureStore, requestKey } from '../../evals/lib/model-fixtures.ts'
import { createChatModel } from '../../src/agents/models.ts'
import { routeByModel } from '../../src/agents/router/model-router.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { toolCallCompletion } from '../helpers/openai-wire.ts'

const model = createChatModel({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: undefined,
  CHAT_MODEL: 'gpt-4o-mini',
  MODEL_TIMEOUT_MS: 5000,
  MODEL_MAX_RETRIES: 0,
})
if (!model) throw new Error('no model')

describe('model fixtures', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-fixtures-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('keys a request by its content, whatever the order of its fields', () => {
    expect(requestKey({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      requestKey({ b: { d: 'x', c: [1, 2] }, a: 1 }),
    )
    expect(requestKey({ a: 1 })).not.toBe(requestKey({ a: 2 }))
    expect(requestKey({ a: 1 })).toMatch(/^[0-9a-f]{20}$/)
  })

  it('authors a fixture, saves it, and replays it in a later run', async () => {
    const file = join(dir, 'routing.jsonl')
    const authoring = await FixtureStore.load(file)
    mockNetwork.use(
      authoring.handler('author', (body) => ({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(
          toolCallCompletion(body.model, body.tools?.[0]?.function.name ?? '', {
            route: 'workforce',
            confidence: 0.8,
            reason: 'about a person',
          }),
        ),
      })),
    )
    await expect(routeByModel(model, 'Darf ich Frau M. kündigen?')).resolves.toMatchObject({
      route: 'workforce',
    })
    expect(await authoring.save()).toBe(true)
    const saved = JSON.parse((await readFile(file, 'utf8')).trim()) as { kind: string; about: string }
    expect(saved).toMatchObject({ kind: 'route' })
    expect(saved.about).toContain('Darf ich Frau M. kündigen?')

    mockNetwork.resetHandlers()
    const replay = await FixtureStore.load(file)
    mockNetwork.use(replay.handler('replay'))
    await expect(routeByModel(model, 'Darf ich Frau M. kündigen?')).resolves.toEqual({
      route: 'workforce',
      confidence: 0.8,
      reason: 'about a person',
    })
    expect(replay.misses).toEqual([])
  })

  it('fails a request it has no fixture for, and says which and why', async () => {
    const store = await FixtureStore.load(join(dir, 'none.jsonl'))
    mockNetwork.use(store.handler('replay'))
    await expect(routeByModel(model, 'Eine neue Frage')).rejects.toThrow(/no fixture/)
    expect(store.misses).toHaveLength(1)
    expect(store.missReport()).toMatch(/1 model request\(s\) had no fixture[\s\S]*Eine neue Frage/)
    expect(await store.save()).toBe(false)
  })
})
