// The Node entry as a child process on loopback, for tests that need the real server (start-up,
// shutdown): spawn, wait until ready, collect the output, wait for the exit.
import { type ChildProcess, spawn } from 'node:child_process'
import { freePort } from './processes.ts'

export interface ServerProcess {
  child: ChildProcess
  base: string
  output(): string
  exited: Promise<number | null>
}

export async function startServer(
  env: Record<string, string>,
  readyWithinMs = 60_000,
): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['src/server/node.ts'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', ...env },
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
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + readyWithinMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}: ${output}`)
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return { child, base, output: () => output, exited }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill('SIGKILL')
  throw new Error(`${base} was not ready within ${readyWithinMs} ms`)
}
