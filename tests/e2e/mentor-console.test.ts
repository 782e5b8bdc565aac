// The mentor loop in a real browser: a user's works-council question is handed over, a mentor signs in
// to the console with the keyboard, claims the ticket, drafts with AI, edits and sends, and the user's
// transcript shows the reply. Runs the real server (embedded database, offline) and Debian's Chromium.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = 'test-artifacts'

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })

describe('mentor console in Chromium', () => {
  let dir: string
  let server: ChildProcess
  let browser: Browser
  let base: string
  let mentorToken: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-e2e-'))
    const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' }
    // The mentor is added the way an operator does it, before the server starts.
    const added = await promisify(execFile)(
      process.execPath,
      ['src/cli/mentor-add.ts', '--name', 'Anna Berg', '--tenant', 'default'],
      { env },
    )
    mentorToken = /Token \(shown only now; store it safely\): (\S+)/.exec(added.stdout)?.[1] ?? ''
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    server = spawn(process.execPath, ['src/server/node.ts'], {
      env: { ...env, PORT: String(port) },
      stdio: 'inherit',
    })
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${base}/readyz`).catch(() => undefined))?.ok) break
      await new Promise((r) => setTimeout(r, 200))
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    await mkdir(ARTIFACTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  })

  it('a mentor answers a handoff from the console and the user sees the reply', async () => {
    const question = 'Muss unser Betriebsrat der Einführung von KI zustimmen?'
    const created = await fetch(`${base}/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"locale":"de"}',
    })
    const conversation = (await created.json()) as { id: string; token: string }
    const user = { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' }
    const asked = await fetch(`${base}/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: user,
      body: JSON.stringify({ text: question }),
    })
    expect(((await asked.json()) as { message: { mode: string } }).message.mode).toBe('handoff')

    const page = await browser.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(`${base}/mentor`)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmelden')

    // Signing in with the keyboard only.
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBeTruthy()
    await page.focus('#token')
    await page.keyboard.type(mentorToken)
    await page.keyboard.press('Enter')

    const ticket = page.getByRole('link', { name: question })
    await ticket.waitFor()
    await page.screenshot({ path: join(ARTIFACTS, 'mentor-queue.png'), fullPage: true })
    await ticket.click()
    await page.getByRole('heading', { name: /Betriebsrat und Mitbestimmung \(offen\)/ }).waitFor()
    // The user's question is in the transcript, as text.
    await expect.poll(() => page.locator('.msg.user .text').last().textContent()).toBe(question)

    await page.getByRole('button', { name: 'Übernehmen' }).click()
    await page.getByRole('heading', { name: /\(übernommen\)/ }).waitFor()
    await page.getByRole('button', { name: 'Entwurf mit KI' }).click()
    const reply = page.getByLabel('Ihre Antwort')
    await expect.poll(() => reply.inputValue()).toMatch(/\[1\]/)
    await expect.poll(() => page.locator('.sources li').count()).toBeGreaterThan(0)

    const signature = 'Für Ihren konkreten Fall rufe ich Sie gern an. – Anna Berg'
    await reply.press('End')
    await reply.pressSequentially(`\n\n${signature}`)
    const edited = await reply.inputValue()
    await page.getByRole('button', { name: 'Antwort senden' }).click()
    await page.getByRole('heading', { name: /\(beantwortet\)/ }).waitFor()
    await expect
      .poll(() => page.locator('#live').textContent())
      .toBe('Die Antwort wurde in das Gespräch gestellt.')
    await page.screenshot({ path: join(ARTIFACTS, 'mentor-answered.png'), fullPage: true })

    const transcript = await fetch(`${base}/v1/conversations/${conversation.id}`, { headers: user })
    const { messages } = (await transcript.json()) as { messages: Array<{ author: string; text: string }> }
    expect(messages.at(-1)).toMatchObject({ author: 'mentor', text: edited.trim() })
    expect(messages.at(-1)?.text).toContain(signature)

    // English switch, and nothing the CSP blocked or the script threw.
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: /works council and co-determination \(answered\)/ }).waitFor()
    expect(problems).toEqual([])
    await page.close()
  })
})
