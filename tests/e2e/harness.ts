// What the browser suites share: the real Node server on a fresh embedded database (offline), a
// mentor added beforehand with the CLI, and Debian's Chromium through playwright-core.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { freePort, runNode } from '../helpers/processes.ts'

export const ARTIFACTS = 'test-artifacts'

export interface Harness {
  base: string
  mentorToken: string
  /** The one-time setup link the server logged at start (the harness's mentor is no admin). */
  setupUrl: string
  browser: Browser
  stop(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'dm-e2e-'))
  const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' }
  // The mentor is added the way an operator does it, before the server starts.
  const added = await runNode('src/cli/mentor-add.ts', ['--name', 'Anna Berg', '--tenant', 'default'], {
    DATA_DIR: dir,
  })
  const mentorToken = /Token \(shown only now; store it safely\): (\S+)/.exec(added.stdout)?.[1] ?? ''
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server: ChildProcess = spawn(process.execPath, ['src/server/node.ts'], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  // The log passes through; the one-time setup link is read from it (no admin exists yet).
  let setupUrl = ''
  let pending = ''
  server.stdout?.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk)
    pending += chunk.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      const entry = (() => {
        try {
          return JSON.parse(line) as { msg?: string; setupUrl?: string }
        } catch {
          return {}
        }
      })()
      if (entry.msg === 'setup link' && entry.setupUrl) setupUrl = entry.setupUrl
    }
  })
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) break
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  })
  await mkdir(ARTIFACTS, { recursive: true })
  return {
    base,
    mentorToken,
    get setupUrl() {
      return setupUrl
    },
    browser,
    async stop() {
      await browser.close()
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.kill('SIGTERM')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
