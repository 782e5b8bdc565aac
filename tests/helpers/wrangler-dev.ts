// Runs the Worker under the local Workers runtime as a developer would: `wrangler dev` (workerd from
// the npm registry) as a process on a free port. No account, no telemetry, no remote bindings, no
// network: the `Request.cf` lookup is off and everything it writes stays in a temporary directory.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from './processes.ts'

const WRANGLER = resolve('node_modules/wrangler/bin/wrangler.js')
const STARTUP_MS = 120_000

export interface WranglerDev {
  base: string
  /** What wrangler and the Worker printed so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

export interface WranglerDevOptions {
  /** Extra `wrangler dev` arguments (a script, --var, --test-scheduled, …). */
  args?: string[]
  /** Extra environment, e.g. CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE. */
  env?: Record<string, string>
  /** Where wrangler runs; the project root (and its wrangler.toml) by default. */
  cwd?: string
}

export async function startWranglerDev(options: WranglerDevOptions = {}): Promise<WranglerDev> {
  const state = await mkdtemp(join(tmpdir(), 'dm-wrangler-'))
  const [port, inspectorPort] = [await freePort(), await freePort()]
  const child: ChildProcess = spawn(
    process.execPath,
    [
      WRANGLER,
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      join(state, 'state'),
      '--show-interactive-dev-session=false',
      // The Worker's own console lines, and wrangler's warnings and errors.
      '--log-level',
      'log',
      ...(options.args ?? []),
    ],
    {
      cwd: options.cwd ?? process.cwd(),
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_LOG_PATH: join(state, 'logs'),
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        X_LOCAL_OBSERVABILITY: 'false',
        CI: 'true',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that stopping it also stops the workerd it started.
      detached: true,
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))

  const base = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM')
      await exited
    }
    await rm(state, { recursive: true, force: true })
  }

  const deadline = Date.now() + STARTUP_MS
  while (true) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`)
    }
    // Any answer means the Worker runs (one without a database answers 503).
    if (await fetch(`${base}/healthz`).catch(() => undefined)) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not answer within ${STARTUP_MS} ms:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  return { base, output: () => output, stop }
}
