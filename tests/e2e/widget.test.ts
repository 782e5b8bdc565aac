// The chat widget in a real browser on the demo association page: open, ask, streamed cited answer,
// reload, handoff, a mentor reply arriving without reload, markup shown as text, bundle size, and a
// clear error on a website that is not allowed.
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/processes.ts'
import { ARTIFACTS, type Harness, startHarness } from './harness.ts'

describe('chat widget in Chromium', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h?.stop()
  })

  it('is one self-contained script of at most 25 KB gzipped', async () => {
    const res = await fetch(`${h.base}/widget.js`)
    expect(res.headers.get('content-type')).toContain('javascript')
    const size = gzipSync(Buffer.from(await res.arrayBuffer())).length
    expect(size).toBeLessThanOrEqual(25 * 1024)
  })

  it('answers, survives a reload, hands over, shows the mentor reply and treats markup as text', async () => {
    const page = await h.browser.newPage({ viewport: { width: 360, height: 740 } })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`)
      void dialog.dismiss()
    })
    await page.goto(`${h.base}/`)

    const launcher = page.getByRole('button', { name: 'Digital-Mentor öffnen' })
    await launcher.click()
    const dialog = page.getByRole('dialog', { name: 'Digital-Mentor' })
    await dialog.waitFor()
    await expect.poll(() => dialog.locator('.msg.system').first().textContent()).toContain('KI-System')
    // The disclosure exactly once, not prefixed twice; the greeting is not an answer to rate.
    const disclosures = () => dialog.locator('.msg.system', { hasText: 'KI-System' }).count()
    expect(await disclosures()).toBe(1)
    expect(await dialog.locator('.msg.system').first().textContent()).not.toMatch(/Hinweis:\s*Hinweis/)
    await expect.poll(() => dialog.locator('.msg.assistant').count()).toBe(1)
    expect(await dialog.getByRole('button', { name: 'Hilfreich', exact: true }).count()).toBe(0)
    // Focus moves into the dialog, Escape closes it and focus returns to the launcher.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('digital-mentor-widget')
    await page.keyboard.press('Escape')
    await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false')
    await launcher.click()

    const input = page.getByRole('textbox', { name: 'Ihre Frage an den Digital-Mentor' })
    await input.fill('Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')
    await input.press('Enter')
    const answer = dialog.locator('.msg.assistant').last()
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toContain('fünf Schritte')
    // The section's intro line and its five steps: a paragraph, then a numbered list of five items,
    // and no list marker left as text.
    expect(await answer.locator('ol > li').count()).toBe(5)
    expect(await answer.locator('p', { hasText: 'fünf Schritte' }).count()).toBe(1)
    expect(await answer.locator('p', { hasText: /^\s*(\d+\.|-)\s/ }).count()).toBe(0)
    await expect.poll(() => answer.locator('.sources li').count()).toBeGreaterThan(0)
    // Each source says how current it is ("Stand: November 2026").
    const sources = await answer.locator('.sources li').allTextContents()
    for (const source of sources) expect(source).toMatch(/ · Stand: \p{L}+ 20\d\d$/u)
    await expect.poll(() => answer.getByRole('button', { name: 'Hilfreich', exact: true }).count()).toBe(1)
    await answer.getByRole('button', { name: 'Hilfreich', exact: true }).click()
    await expect.poll(() => answer.textContent()).toContain('Danke für Ihre Rückmeldung.')
    await page.screenshot({ path: join(ARTIFACTS, 'widget-answer.png') })
    if (process.env.UPDATE_DOCS) {
      // The README's screenshot: regenerate with UPDATE_DOCS=1 npm run test:e2e.
      await page.setViewportSize({ width: 1024, height: 720 })
      await page.screenshot({ path: 'docs/widget.png' })
      await page.setViewportSize({ width: 360, height: 740 })
    }

    // The conversation survives a reload (the widget reopens with it), the disclosure still once.
    await page.reload()
    await expect
      .poll(() => dialog.locator('.msg.user').first().textContent())
      .toBe('Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')
    expect(await disclosures()).toBe(1)

    // Markup is text, and runs nothing.
    await input.fill('<img src=x onerror=alert(1)>')
    await input.press('Enter')
    await expect
      .poll(() => dialog.locator('.msg.user').last().textContent())
      .toBe('<img src=x onerror=alert(1)>')
    expect(await dialog.locator('img').count()).toBe(0)
    // The widget takes the next message once the reply is complete.
    await expect.poll(() => dialog.getByRole('button', { name: 'Senden' }).isEnabled()).toBe(true)

    // A works-council question is handed over; the user leaves an address with consent.
    await input.fill('Muss unser Betriebsrat der Einführung von KI zustimmen?')
    await input.press('Enter')
    const handoff = dialog.locator('.handoff').last()
    await expect.poll(() => handoff.textContent(), { timeout: 15_000 }).toContain('wird Ihnen hier antworten')
    await handoff.getByLabel('E-Mail-Adresse für die Antwort (freiwillig)').fill('kontakt@example.org')
    await handoff.getByRole('checkbox').check()
    await handoff.getByRole('button', { name: 'Adresse hinterlassen' }).click()
    await expect.poll(() => handoff.textContent()).toContain('Danke, die Adresse ist hinterlegt.')

    // A mentor answers through the API; the reply appears without a reload.
    const mentor = { authorization: `Bearer ${h.mentorToken}`, 'content-type': 'application/json' }
    const queue = (await (await fetch(`${h.base}/v1/handoffs?status=open`, { headers: mentor })).json()) as {
      handoffs: Array<{ id: string }>
    }
    const id = queue.handoffs[0]?.id
    expect(id).toBeDefined()
    await fetch(`${h.base}/v1/handoffs/${id}/claim`, { method: 'POST', headers: mentor })
    const reply =
      'Guten Tag, bei der Einführung technischer Einrichtungen hat der Betriebsrat mitzubestimmen.'
    const sent = await fetch(`${h.base}/v1/handoffs/${id}/reply`, {
      method: 'POST',
      headers: mentor,
      body: JSON.stringify({ text: reply }),
    })
    expect(sent.status).toBe(201)
    await expect
      .poll(() => dialog.locator('.msg.mentor').last().textContent(), { timeout: 20_000 })
      .toContain(reply)
    await page.screenshot({ path: join(ARTIFACTS, 'widget-mentor-reply.png') })

    // Deleting the conversation erases it on the server.
    await dialog.getByRole('button', { name: 'Gespräch löschen' }).click()
    await expect.poll(() => dialog.textContent()).toContain('Das Gespräch wurde gelöscht.')
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('hands over with "Mit einem Menschen sprechen" and with the offer under a "not covered" answer', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1024, height: 720 } })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(`${h.base}/`)
    await page.getByRole('button', { name: 'Digital-Mentor öffnen' }).click()
    const dialog = page.getByRole('dialog', { name: 'Digital-Mentor' })
    await expect.poll(() => dialog.locator('.msg.system').count()).toBeGreaterThan(0)
    const input = page.getByRole('textbox', { name: 'Ihre Frage an den Digital-Mentor' })

    // The answer that does not know offers a mentor as a button; one click hands over.
    await input.fill('Welche KI hilft beim Imkern mit Bienenstöcken?')
    await input.press('Enter')
    const offer = dialog.getByRole('button', { name: 'An einen Mentor übergeben' })
    await expect.poll(() => offer.count(), { timeout: 15_000 }).toBe(1)
    await page.screenshot({ path: join(ARTIFACTS, 'widget-offer.png') })
    await offer.click()
    await expect.poll(() => dialog.locator('.handoff').count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => offer.count()).toBe(0)
    await expect
      .poll(() => dialog.locator('.msg.assistant').last().textContent())
      .toContain('menschlichen Mentor')

    // Asking again while the ticket is open says so instead of opening a second ticket.
    const human = dialog.getByRole('button', { name: 'Mit einem Menschen sprechen' })
    expect(await human.count()).toBe(1)
    await human.click()
    await expect
      .poll(() => dialog.locator('.msg.system').last().textContent())
      .toContain('Ihre Anfrage liegt bereits bei einem Mentor')
    expect(await dialog.locator('.handoff').count()).toBe(1)
    await page.screenshot({ path: join(ARTIFACTS, 'widget-human.png') })

    // In a fresh conversation the button alone hands over.
    await page.evaluate(() => sessionStorage.clear())
    await page.reload()
    await page.getByRole('button', { name: 'Digital-Mentor öffnen' }).click()
    await expect.poll(() => dialog.locator('.msg.system').count()).toBeGreaterThan(0)
    await dialog.getByRole('button', { name: 'Mit einem Menschen sprechen' }).click()
    await expect.poll(() => dialog.locator('.handoff').count(), { timeout: 15_000 }).toBe(1)
    // The greeting, then exactly one reply that says a person takes over.
    await expect
      .poll(() => dialog.locator('.msg.assistant', { hasText: 'menschlichen Mentor' }).count())
      .toBe(1)
    expect(await dialog.locator('.msg.assistant').count()).toBe(2)
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows a clear error on a website whose origin the tenant does not allow', async () => {
    const port = await freePort()
    const site: Server = createServer((_, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end(
        `<!doctype html><html lang="en"><body><h1>Another site</h1><script src="${h.base}/widget.js" data-tenant="default"></script></body></html>`,
      )
    })
    await new Promise<void>((resolve) => site.listen(port, '127.0.0.1', resolve))
    try {
      const page = await h.browser.newPage()
      await page.goto(`http://localhost:${port}/`)
      await page.getByRole('button', { name: 'Open the Digital-Mentor' }).click()
      const error = page.locator('#digital-mentor-widget .error')
      await expect
        .poll(() => error.textContent(), { timeout: 10_000 })
        .toMatch(/may not use the Digital-Mentor/)
      await page.screenshot({ path: join(ARTIFACTS, 'widget-foreign-origin.png') })
      await page.close()
    } finally {
      site.close()
    }
  })
})
