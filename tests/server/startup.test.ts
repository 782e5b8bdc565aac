// Starts the real Node entry on a free port with a fresh data directory, waits for readiness, stops it.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startServer } from '../helpers/server-process.ts'

describe('start-up and shutdown of the Node server', () => {
  const dirs: string[] = []
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('serves /readyz on a fresh data directory and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dm-start-'))
    dirs.push(dataDir)
    const server = await startServer({ DATA_DIR: dataDir })
    expect(await (await fetch(`${server.base}/readyz`)).json()).toEqual({ status: 'ready' })

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    const lines = server.output().trim().split('\n')
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(
      expect.arrayContaining(['listening', 'stopped']),
    )
    // A fresh installation has no admin: the one-time setup link is a field of one log line, and its
    // token appears in no other line.
    const setup = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'setup link')
    expect(setup?.setupUrl).toMatch(new RegExp(`^${server.base}/mentor/setup#[A-Za-z0-9_-]{43}$`))
    const token = String(setup?.setupUrl).split('#')[1] ?? ''
    expect(lines.filter((line) => line.includes(token))).toHaveLength(1)
  })

  it('refuses to start with a wrong setting and names the variable', async () => {
    const child = spawn(process.execPath, ['src/server/node.ts'], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe('Invalid configuration: PORT must be a port number between 1 and 65535.')
  })
})
