// The mentor loop in a real browser: a user's works-council question is handed over, a mentor signs in
// to the console with the keyboard, claims the ticket, drafts with AI, edits and sends, and the user's
// transcript shows the reply. Runs the real server (embedded database, offline) and Debian's Chromium.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, type Harness, startHarness } from './harness.ts'

describe('mentor console in Chromium', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h?.stop()
  })

  it('a mentor answers a handoff from the console and the user sees the reply', async () => {
    const question = 'Muss unser Betriebsrat der Einführung von KI zustimmen?'
    const created = await fetch(`${h.base}/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"locale":"de"}',
    })
    const conversation = (await created.json()) as { id: string; token: string }
    const user = { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' }
    const asked = await fetch(`${h.base}/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: user,
      body: JSON.stringify({ text: question }),
    })
    expect(((await asked.json()) as { message: { mode: string } }).message.mode).toBe('handoff')

    const page = await h.browser.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(`${h.base}/mentor`)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmelden')

    // Signing in with the keyboard only.
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBeTruthy()
    await page.focus('#token')
    await page.keyboard.type(h.mentorToken)
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

    const transcript = await fetch(`${h.base}/v1/conversations/${conversation.id}`, { headers: user })
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
