// `npm run screenshots:console`: screenshots of the mentor console for the docs (docs/screenshots/):
// the setup page of a fresh installation, the queue, a ticket, an AI draft and the insights with
// their charts. It starts the real server offline on a fresh embedded database in a temporary
// directory, with a mentor added by the command line and four weeks of example activity (totals only)
// written before the start, and drives Debian's Chromium (CHROMIUM_PATH to use another).
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Page } from 'playwright-core'
import { loadConfig } from '../src/config.ts'
import type { Queryable } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'

const OUT = 'docs/screenshots'
const VIEWPORT = { width: 1200, height: 860 }
// The example history: this many days before today, with a weekly rhythm (fewer chats at weekends).
const HISTORY_DAYS = 29
const REASONS = ['works_council', 'workforce', 'legal_individual', 'human'] as const

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })

/** Four weeks of chats, handoffs and ratings, as the insights count them (no texts that matter). */
async function writeHistory(q: Queryable) {
  for (let back = HISTORY_DAYS; back >= 1; back--) {
    const day = new Date(Date.now() - back * 86_400_000)
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6
    const chats = weekend ? 1 + (back % 2) : 4 + ((back * 7) % 5)
    for (let i = 0; i < chats; i++) {
      const at = new Date(day.getTime() + i * 600_000).toISOString()
      const { rows } = await q.query<{ id: string }>(
        `insert into conversations (tenant_slug, channel, token_hash, created_at)
         values ('default', 'widget', md5(random()::text), $1) returning id`,
        [at],
      )
      const conversation = rows[0]?.id as string
      const route = (back + i) % 3 === 0 ? REASONS[(back + i) % REASONS.length] : 'answer'
      await q.query(
        `insert into messages (conversation_id, author, text, route, created_at) values ($1, 'user', '', $2, $3)`,
        [conversation, route, at],
      )
      const answer = await q.query<{ id: string }>(
        `insert into messages (conversation_id, author, text, created_at) values ($1, 'assistant', '', $2) returning id`,
        [conversation, at],
      )
      if ((back + i) % 3 === 0)
        await q.query(
          `insert into handoffs (conversation_id, tenant_slug, reason_class, router_reason, channel, status, created_at)
           values ($1, 'default', $2, 'example', 'widget', 'closed', $3)`,
          [conversation, route, at],
        )
      if (i % 2 === 0)
        await q.query('insert into feedback (message_id, rating, created_at) values ($1, $2, $3)', [
          answer.rows[0]?.id,
          (back + i) % 5 === 0 ? 'down' : 'up',
          at,
        ])
    }
  }
}

// Questions the knowledge base could not answer well, as the insights list them (no one asked these).
const GAPS = [
  'Welche Förderprogramme gibt es in Baden-Württemberg für KI-Schulungen im Handwerk?',
  'How do we document AI use for our ISO 9001 audit?',
]

async function startServer(
  dataDir: string,
): Promise<{ base: string; setupUrl: () => string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['src/server/node.ts'], {
    // The overload guard is off: a busy build machine must not turn the example questions away.
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', OVERLOAD_LAG_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let setupUrl = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      const found = /"setupUrl":"([^"]+)"/.exec(line)
      if (found?.[1]) setupUrl = found[1]
    }
  })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok)
      return { base, setupUrl: () => setupUrl, child }
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('the server did not become ready')
}

/** A user's chat with one question; returns the reply's id and the conversation's token. */
async function ask(base: string, question: string, locale = 'de') {
  const created = await fetch(`${base}/v1/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale }),
  })
  const conversation = (await created.json()) as { id: string; token: string }
  const headers = { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' }
  const res = await fetch(`${base}/v1/conversations/${conversation.id}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: question }),
  })
  if (!res.ok) throw new Error(`asking failed with ${res.status}: ${await res.text()}`)
  const { message } = (await res.json()) as { message: { id: string } }
  return { messageId: message.id, headers }
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true })
  console.log(`${OUT}/${name}.png`)
}

const dir = await mkdtemp(join(tmpdir(), 'dm-screenshots-'))
let server: ChildProcess | undefined
try {
  const added = await promisify(execFile)(
    process.execPath,
    ['src/cli/mentor-add.ts', '--name', 'Anna Berg', '--tenant', 'default'],
    { env: { ...process.env, DATA_DIR: dir } },
  )
  const token = /Token \(shown only now; store it safely\): (\S+)/.exec(added.stdout)?.[1] ?? ''
  const database = await openDatabase(loadConfig({ ...process.env, DATA_DIR: dir }))
  await writeHistory(database)
  for (const [i, question] of GAPS.entries())
    await database.query(
      `insert into knowledge_gaps (tenant_slug, question, lang, best_score, created_at)
       values ('default', $1, $2, 0.2, now() - make_interval(days => $3))`,
      [question, i === 0 ? 'de' : 'en', 3 + i * 5],
    )
  await database.close()

  const started = await startServer(dir)
  server = started.child
  const { base } = started
  // Today's tickets and answers, through the API as users make them.
  for (const question of [
    'Darf unser Arbeitgeber die Protokolle des neuen KI-Chatbots nutzen, um unsere Leistung zu bewerten?',
    'Ich möchte mit einem Menschen sprechen: Unser Betriebsrat fragt, ob er bei der Einführung von Copilot mitbestimmen darf.',
  ])
    await ask(base, question)
  const handoffQuestion = 'Muss unser Betriebsrat der Einführung von KI zustimmen?'
  await ask(base, handoffQuestion)
  for (const question of [
    'Wie finde ich KI-Anwendungsfälle in meinem Betrieb?',
    'Was ist das MTO-Konzept?',
  ]) {
    const { messageId, headers } = await ask(base, question)
    await fetch(`${base}/v1/messages/${messageId}/feedback`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ rating: 'up' }),
    })
  }

  await mkdir(OUT, { recursive: true })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  })
  try {
    const page = await browser.newPage({ viewport: VIEWPORT })
    await page.goto(started.setupUrl())
    await page.getByRole('heading', { name: 'Ersten Admin-Zugang einrichten' }).waitFor()
    await page.getByLabel('Ihr Name').fill('Carla Admin')
    await page.getByLabel('Ihre E-Mail-Adresse').fill('carla.admin@verband.example')
    await page.getByLabel('Ihre E-Mail-Adresse').blur()
    await shoot(page, 'console-setup')

    await page.goto(`${base}/mentor`)
    await page.getByLabel('Mentor-Token').fill(token)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    const ticket = page.getByRole('link', { name: handoffQuestion })
    await ticket.waitFor()
    await shoot(page, 'console-queue')

    await ticket.click()
    await page.getByRole('button', { name: 'Übernehmen' }).click()
    await page.getByRole('heading', { name: /\(übernommen\)/ }).waitFor()
    await shoot(page, 'console-ticket')
    await page.getByRole('button', { name: 'Entwurf mit KI' }).click()
    await page.locator('.sources li').first().waitFor()
    // The whole letter in view: the reply box grows to its text.
    await page.locator('#reply').evaluate((box: HTMLTextAreaElement) => {
      box.style.height = `${box.scrollHeight + 8}px`
    })
    await shoot(page, 'console-draft')

    await page.getByRole('link', { name: 'Einblicke' }).click()
    await page.locator('svg.chart').nth(2).waitFor()
    await shoot(page, 'console-insights')
  } finally {
    await browser.close()
  }
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve))
    server.kill('SIGTERM')
    await exited
  }
  await rm(dir, { recursive: true, force: true })
}
