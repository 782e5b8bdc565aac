// Starts the real Node entry on a free port with a fresh data directory, waits for readiness, stops it.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/processes.ts'

async function waitForReady(url: string, child: ChildProcess, deadlineMs: number): Promise<Response> {
  const deadline = Date.now() + deadlineMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`)
    try {
      const res = await fetch(url)
      if (res.status === 200) return res
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${url} was not ready within ${deadlineMs} ms`)
}

describe('start-up and shutdown of the Node server', () => {
  const dirs: string[] = []
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('serves /readyz on a fresh data directory and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dm-start-'))
    dirs.push(dataDir)
    const port = await freePort()
    const child = spawn(process.execPath, ['src/server/node.ts'], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout?.on('data', (chunk) => {
      output += chunk
    })
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

    const ready = await waitForReady(`http://127.0.0.1:${port}/readyz`, child, 60_000)
    expect(await ready.json()).toEqual({ status: 'ready' })

    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const lines = output.trim().split('\n')
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(
      expect.arrayContaining(['listening', 'stopped']),
    )
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
