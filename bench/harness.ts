// What the HTTP benchmarks (bench:chat, bench:load) share: the server as a child process on loopback
// with its own data directory, one streamed turn as a client sees it, and percentiles.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  )
}

export const ms = (v: number) => `${Number.isFinite(v) ? v.toFixed(0) : '–'} ms`

export interface ServiceProcess {
  child: ChildProcess
  base: string
  /** The service's DATA_DIR (its embedded database). */
  dir: string
}

/**
 * Starts the server (`script`, by default the Node entry) on a random loopback port with a fresh data
 * directory and the rate limits off; resolves once `/readyz` answers 200. `ipc` opens a channel for
 * scripts that report over it.
 */
export async function startService(
  env: Record<string, string>,
  options: { script?: string; nodeArgs?: string[]; ipc?: boolean; cwd?: string } = {},
): Promise<ServiceProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'dm-bench-'))
  const port = 20000 + Math.floor(Math.random() * 20000)
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), options.script ?? 'src/server/node.ts'],
    {
      // Another checkout of the project (a baseline commit) runs its own code on the same corpus.
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        // Benchmarks measure capacity, not the per-client limits (every request comes from one address).
        LIMIT_CONVERSATIONS_PER_CLIENT: '0',
        LIMIT_CONVERSATIONS_PER_TENANT: '0',
        LIMIT_MESSAGES_PER_CONVERSATION: '0',
        LIMIT_MESSAGES_PER_TENANT: '0',
        LIMIT_SEARCHES_PER_CLIENT: '0',
        LIMIT_HANDOFFS_PER_CLIENT: '0',
        LIMIT_HANDOFFS_PER_TENANT: '0',
        ...env,
      },
      stdio: options.ipc ? ['ignore', 'ignore', 'inherit', 'ipc'] : ['ignore', 'ignore', 'inherit'],
    },
  )
  // The service must not outlive the benchmark, also when the benchmark fails.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  const base = `http://127.0.0.1:${port}`
  // The first start creates the database and ingests the corpus: allow two minutes.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`)
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base, dir }
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  child.kill('SIGKILL')
  throw new Error('the service did not become ready')
}

/** SIGTERM, then waits for the exit; the data directory is removed unless `keepData`. */
export async function stopService(service: ServiceProcess, options: { keepData?: boolean } = {}) {
  const exited = new Promise((resolve) => service.child.once('exit', resolve))
  service.child.kill('SIGTERM')
  await exited
  if (!options.keepData) await rm(service.dir, { recursive: true, force: true })
}

export interface Conversation {
  id: string
  token: string
}

/** A request the service refused with this status (503: load shed, 429: rate limited). */
export class RefusedError extends Error {
  readonly status: number
  constructor(status: number) {
    super(`conversation refused: ${status}`)
    this.status = status
  }
}

export async function newConversation(base: string): Promise<Conversation> {
  const res = await fetch(`${base}/v1/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  if (res.status !== 201) {
    await res.body?.cancel()
    throw new RefusedError(res.status)
  }
  return (await res.json()) as Conversation
}

export interface TurnResult {
  /** The HTTP status: 200 means the message was stored before the stream began. */
  status: number
  /** A 200 whose stream ended with `done` and carried no `error` event. */
  ok: boolean
  /** Milliseconds to the first `token` event, if there was one. */
  firstTokenMs?: number
  /** Milliseconds to the end of the stream. */
  totalMs: number
  /** What went wrong when not ok: the status and error code, or how the stream ended. */
  failure?: string
}

/** Sends one message with `Accept: text/event-stream` and reads the stream to its end. */
export async function streamTurn(
  base: string,
  conversation: Conversation,
  text: string,
): Promise<TurnResult> {
  const started = performance.now()
  const res = await fetch(`${base}/v1/conversations/${conversation.id}/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${conversation.token}`,
    },
    body: JSON.stringify({ text }),
  })
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => undefined)) as { error?: { code?: string } } | undefined
    const failure = `${res.status} ${body?.error?.code ?? ''}`.trim()
    return { status: res.status, ok: false, totalMs: performance.now() - started, failure }
  }
  let buffer = ''
  let firstTokenMs: number | undefined
  const decoder = new TextDecoder()
  for await (const part of res.body) {
    buffer += decoder.decode(part, { stream: true })
    if (firstTokenMs === undefined && buffer.includes('event: token'))
      firstTokenMs = performance.now() - started
  }
  const errorCode = /event: error\ndata: .*?"code":"([^"]*)"/.exec(buffer)?.[1]
  const failure = errorCode
    ? `error event ${errorCode}`
    : buffer.includes('event: done')
      ? undefined
      : 'stream ended without done'
  return { status: res.status, ok: !failure, firstTokenMs, totalMs: performance.now() - started, failure }
}
