// SIGTERM while an answer is streaming, against the real server process and the benchmark's model
// stub streaming slowly: within the grace period the turn finishes; after it, the turn is stored as
// interrupted with what was generated. Either way the client gets a final event and the exit code is 0.
import type { ChildProcess } from 'node:child_process'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startModelStub } from '../../bench/model-stub.ts'
import { createPgliteDatabase } from '../../src/db/pglite.ts'
import { startServer } from '../helpers/server-process.ts'

const json = { 'content-type': 'application/json' }

describe('SIGTERM during a streamed answer', () => {
  const dirs: string[] = []
  let corpusDir: string
  const stubs: ChildProcess[] = []
  beforeAll(async () => {
    // The small fixture corpus: ingestion at start stays quick.
    corpusDir = await mkdtemp(join(tmpdir(), 'dm-shutdown-corpus-'))
    dirs.push(corpusDir)
    await cp('tests/fixtures/corpus', corpusDir, { recursive: true })
  })
  afterAll(async () => {
    for (const stub of stubs) stub.kill()
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  /** Starts stub and server, streams one answer, sends SIGTERM at the first token; returns what happened. */
  async function interruptAtFirstToken(graceMs: number, stubArgs: string[]) {
    const stub = await startModelStub(stubArgs)
    stubs.push(stub.child)
    const dataDir = await mkdtemp(join(tmpdir(), 'dm-shutdown-'))
    dirs.push(dataDir)
    const server = await startServer({
      DATA_DIR: dataDir,
      CORPUS_DIR: corpusDir,
      OPENAI_API_KEY: 'sk-stub',
      OPENAI_BASE_URL: stub.url,
      MODEL_MAX_RETRIES: '0',
      EMBEDDINGS_PROVIDER: 'local',
      SHUTDOWN_GRACE_MS: String(graceMs),
    })
    const { id, token } = (await (
      await fetch(`${server.base}/v1/conversations`, { method: 'POST', headers: json, body: '{}' })
    ).json()) as { id: string; token: string }
    const res = await fetch(`${server.base}/v1/conversations/${id}/messages`, {
      method: 'POST',
      headers: { ...json, accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: 'Wie planen wir die Terminplanung mit KI im Handwerksbetrieb?' }),
    })
    expect(res.status).toBe(200)
    let stream = ''
    const decoder = new TextDecoder()
    let signalled = false
    let cut = false
    try {
      for await (const part of res.body ?? []) {
        stream += decoder.decode(part, { stream: true })
        if (!signalled && stream.includes('event: token')) {
          signalled = true
          server.child.kill('SIGTERM')
        }
      }
    } catch {
      // The connection was closed before the response ended.
      cut = true
    }
    const code = await server.exited
    stub.child.kill()
    const database = await createPgliteDatabase({ dataDir: join(dataDir, 'pglite') })
    const { rows } = await database.query<{ text: string; status: string; flags: string[] }>(
      `select text, status, flags from messages where conversation_id = $1 and author = 'assistant'
       order by seq desc limit 1`,
      [id],
    )
    await database.close()
    return { code, cut, stream, stored: rows[0], log: server.output() }
  }

  it('lets an answer that fits the grace period finish, stores it complete, and exits 0', async () => {
    // About 1.5 s of streaming, well within 20 s of grace.
    const result = await interruptAtFirstToken(20_000, [
      '--first-chunk-ms',
      '100',
      '--chunk-ms',
      '50',
      '--chunks',
      '30',
    ])
    expect(result.code, result.log).toBe(0)
    expect(result.cut, result.log).toBe(false)
    expect(result.stream).toContain('event: done')
    expect(result.stream).not.toContain('event: error')
    expect(result.stored).toMatchObject({ status: 'complete' })
    expect(result.stored?.text).toContain('Wort28 [1].')
    expect(result.log).toContain('"msg":"stopped"')
  })

  it('stores an answer that outlasts the grace period as interrupted, tells the client, and exits 0', async () => {
    // About 20 s of streaming against 500 ms of grace.
    const result = await interruptAtFirstToken(500, [
      '--first-chunk-ms',
      '100',
      '--chunk-ms',
      '100',
      '--chunks',
      '200',
    ])
    expect(result.code, result.log).toBe(0)
    expect(result.cut, result.log).toBe(false)
    expect(result.stream).toContain('event: error')
    expect(result.stream).toContain('"code":"interrupted"')
    expect(result.stream).toContain('event: done')
    expect(result.stored).toMatchObject({ status: 'interrupted', flags: ['shutdown'] })
    expect(result.stored?.text).toMatch(/^ Wort0 Wort1/)
    expect(result.stored?.text).not.toContain('Wort199')
  })
})
