// The chat widget in a real browser on the demo association page: open, ask, streamed cited answer,
// reload, handoff, a mentor reply arriving without reload, markup shown as text, bundle size, and a
// clear error on a website that is not allowed.
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Route } from 'playwright-core'
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
    // The demo page has an icon for the browser tab, and the server has it.
    const icon = await page.locator('link[rel=icon]').getAttribute('href')
    expect((await fetch(new URL(icon ?? '/none', h.base))).headers.get('content-type')).toBe('image/svg+xml')
    // The typing indicator appears only for an answer that takes a while: every appearance is recorded.
    await page.addInitScript(() => {
      const seen: number[] = []
      ;(window as unknown as { typingSeen: number[] }).typingSeen = seen
      const outer = new MutationObserver(() => {
        const root = document.getElementById('digital-mentor-widget')?.shadowRoot
        if (!root) return
        outer.disconnect()
        new MutationObserver(() => {
          if (root.querySelector('.typing')) seen.push(performance.now())
        }).observe(root, { childList: true, subtree: true })
      })
      outer.observe(document, { childList: true, subtree: true })
    })
    await page.reload()

    const launcher = page.getByRole('button', { name: 'Digital-Mentor öffnen' })
    await launcher.click()
    const dialog = page.getByRole('dialog', { name: 'Digital-Mentor' })
    await dialog.waitFor()
    // On a phone the open panel is the whole screen: no page text beside or under it.
    const box = await dialog.boundingBox()
    expect(box).toEqual({ x: 0, y: 0, width: 360, height: 740 })
    // The header fits on one line: the title and "Gespräch löschen" do not wrap.
    for (const name of ['Digital-Mentor', 'Gespräch löschen']) {
      const height = (await dialog.getByText(name, { exact: true }).first().boundingBox())?.height ?? 0
      expect(height, name).toBeLessThan(30)
    }
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
    await expect.poll(() => answer.locator('.feedback').count()).toBe(1)
    expect(await answer.locator('div:not(.sources) > ol > li').count()).toBe(5)
    expect(await answer.locator('p', { hasText: 'fünf Schritte' }).count()).toBe(1)
    expect(await answer.locator('p', { hasText: /^\s*(\d+\.|-)\s/ }).count()).toBe(0)
    await expect.poll(() => answer.locator('.sources li').count()).toBeGreaterThan(0)
    // Each source says how current it is ("Stand: November 2026").
    const sources = await answer.locator('.sources li').allTextContents()
    for (const source of sources) expect(source).toMatch(/ · Stand: \p{L}+ 20\d\d( · Originalquelle)?$/u)
    await expect.poll(() => answer.getByRole('button', { name: 'Hilfreich', exact: true }).count()).toBe(1)
    // Every source links to its readable page at the cited section, and that page loads.
    const links = await answer
      .locator('.sources li > a:first-child')
      .evaluateAll((nodes) => nodes.map((node) => (node as HTMLAnchorElement).href))
    expect(links.length).toBe(sources.length)
    for (const link of links) expect(link).toMatch(new RegExp(`^${h.base}/wissen/[a-z0-9-]+#[a-z0-9-]+$`))
    const reader = await h.browser.newPage()
    const refused: string[] = []
    reader.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text())
    })
    const opened = await reader.goto(links[0] ?? '')
    expect(opened?.status()).toBe(200)
    const anchor = new URL(links[0] ?? '').hash.slice(1)
    expect(await reader.locator(`[id="${anchor}"]`).count()).toBe(1)
    expect(await reader.locator('.stand').textContent()).toMatch(/^Stand: /)
    expect(refused).toEqual([])
    await reader.close()
    // The view shows the question and the start of its answer, not the answer's end.
    const inView = async (selector: string) =>
      page.evaluate((sel) => {
        const root = document.getElementById('digital-mentor-widget')?.shadowRoot
        const log = root?.querySelector('.log')?.getBoundingClientRect()
        const node = root?.querySelector(sel)?.getBoundingClientRect()
        return Boolean(log && node && node.top >= log.top && node.top < log.bottom)
      }, selector)
    expect(await inView('.msg.user')).toBe(true)
    // The focus ring stands out by at least 3:1 against the white the input sits on.
    await input.focus()
    const ring = await input.evaluate((node) => getComputedStyle(node).outlineColor)
    expect(contrast(ring, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(3)
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
    await expect.poll(() => handoff.textContent(), { timeout: 15_000 }).toContain('per E-Mail')
    // That a mentor will answer is said once, in the reply.
    const promises = /antwortet Ihnen hier|wird Ihnen hier antworten|antwortet in diesem Gespräch/g
    expect((await dialog.textContent())?.match(promises)?.length).toBe(1)
    // A reload while the ticket waits keeps the order, each question once, and the e-mail form.
    await page.reload()
    await expect.poll(() => dialog.locator('.handoff').count()).toBe(1)
    expect(await dialog.locator('.msg.user').allTextContents()).toEqual([
      'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?',
      '<img src=x onerror=alert(1)>',
      'Muss unser Betriebsrat der Einführung von KI zustimmen?',
    ])
    expect(await disclosures()).toBe(1)
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
    // The reply comes once, after the three questions, each of them shown once.
    const questions = [
      'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?',
      '<img src=x onerror=alert(1)>',
      'Muss unser Betriebsrat der Einführung von KI zustimmen?',
    ]
    const bubbles = () => dialog.locator('.msg.user, .msg.mentor').allTextContents()
    const expected = [...questions, expect.stringContaining(reply)]
    expect(await bubbles()).toEqual(expected)
    expect(await inView('.msg.mentor')).toBe(true)

    // After a reload: the same questions in the same order, then the reply.
    await page.reload()
    await expect.poll(() => dialog.locator('.msg.mentor').count()).toBe(1)
    expect(await bubbles()).toEqual(expected)
    expect(await disclosures()).toBe(1)

    // Deleting asks first; "Abbrechen" keeps the conversation.
    const stored = await page.evaluate(() => sessionStorage.getItem('digital-mentor:default'))
    const erase = dialog.getByRole('button', { name: 'Gespräch löschen' })
    await erase.click()
    const confirm = dialog.getByRole('alertdialog', { name: 'Gespräch löschen' })
    await expect.poll(() => confirm.textContent()).toContain('nicht rückgängig')
    await confirm.getByRole('button', { name: 'Abbrechen' }).click()
    expect(await confirm.count()).toBe(0)
    expect(await dialog.locator('.msg.user').count()).toBe(3)
    // Confirmed, the conversation is erased on the server and a fresh one takes the next question.
    await erase.click()
    await confirm.getByRole('button', { name: 'Ja, löschen' }).click()
    await expect.poll(() => dialog.textContent()).toContain('Das Gespräch wurde gelöscht.')
    await expect.poll(() => disclosures()).toBe(1)
    expect(await dialog.locator('.msg.user, .msg.mentor').count()).toBe(0)
    const old = JSON.parse(stored ?? '{}') as { id: string; token: string }
    const gone = await fetch(`${h.base}/v1/conversations/${old.id}`, {
      headers: { authorization: `Bearer ${old.token}` },
    })
    expect(gone.status).toBe(404)
    await expect
      .poll(() => page.evaluate(() => sessionStorage.getItem('digital-mentor:default')))
      .not.toBe(stored)
    await input.fill('Was ist ein KI-Reallabor?')
    await input.press('Enter')
    await expect
      .poll(() => dialog.locator('.msg.user').allTextContents())
      .toEqual(['Was ist ein KI-Reallabor?'])
    await expect
      .poll(() => dialog.locator('.msg.assistant').last().locator('.feedback').count(), { timeout: 15_000 })
      .toBe(1)
    // Offline answers start at once: the typing indicator never flashed.
    expect(await page.evaluate(() => (window as unknown as { typingSeen: number[] }).typingSeen.length)).toBe(
      0,
    )
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
    // On a desktop the panel stays a panel beside the page.
    await dialog.waitFor()
    expect((await dialog.boundingBox())?.width).toBeLessThanOrEqual(380)
    // On the coloured header the focus ring is white, well apart from the header's blue.
    const close = dialog.getByRole('button', { name: 'Schließen' })
    await close.focus()
    const [ring, header] = await close.evaluate((node) => [
      getComputedStyle(node).outlineColor,
      getComputedStyle(node.parentElement as HTMLElement).backgroundColor,
    ])
    expect(contrast(ring ?? '', header ?? '')).toBeGreaterThanOrEqual(3)
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

  it('loses no question: one typed while the conversation opens waits for it, one typed during an answer stays in the box', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1024, height: 720 } })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    const slow = (ms: number) => async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, ms))
      await route.continue()
    }
    // A slow network: opening the conversation and every answer take a while.
    await page.route('**/v1/conversations', slow(1500))
    await page.route('**/v1/conversations/*/messages', slow(1500))
    await page.goto(`${h.base}/`)
    await page.getByRole('button', { name: 'Digital-Mentor öffnen' }).click()
    const dialog = page.getByRole('dialog', { name: 'Digital-Mentor' })
    const input = page.getByRole('textbox', { name: 'Ihre Frage an den Digital-Mentor' })
    // Asked at once, before the disclosure is there.
    await input.fill('Was ist ein KI-Reallabor?')
    await input.press('Enter')
    expect(await dialog.locator('.msg.system').count()).toBe(0)
    // Asked again while that answer is on its way: it is not sent and not thrown away.
    await expect.poll(() => dialog.locator('.msg.user').count()).toBe(1)
    await input.fill('Was kostet ein KI-Pilotprojekt?')
    await input.press('Enter')
    await expect
      .poll(() => dialog.locator('.msg.assistant').last().locator('.feedback').count(), { timeout: 15_000 })
      .toBe(1)
    expect(await dialog.locator('.msg.user').allTextContents()).toEqual(['Was ist ein KI-Reallabor?'])
    expect(await dialog.locator('.msg.system', { hasText: 'KI-System' }).count()).toBe(1)
    expect(await input.inputValue()).toBe('Was kostet ein KI-Pilotprojekt?')
    // Once the answer is there, the question in the box goes out as it is.
    await input.press('Enter')
    await expect.poll(() => dialog.locator('.msg.user').count(), { timeout: 15_000 }).toBe(2)
    await expect
      .poll(() => dialog.locator('.msg.assistant').last().locator('.feedback').count(), { timeout: 15_000 })
      .toBe(1)
    expect(await input.inputValue()).toBe('')
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows a clear error, in the page language, on a website whose origin the tenant does not allow', async () => {
    const port = await freePort()
    const site: Server = createServer((req, res) => {
      const lang = req.url === '/de' ? 'de' : 'en'
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end(
        `<!doctype html><html lang="${lang}"><body><h1>Another site</h1><script src="${h.base}/widget.js" data-tenant="default"></script></body></html>`,
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
      await page.goto(`http://localhost:${port}/de`)
      await page.getByRole('button', { name: 'Digital-Mentor öffnen' }).click()
      await expect
        .poll(() => error.textContent(), { timeout: 10_000 })
        .toBe(
          `Diese Website (http://localhost:${port}) darf den Digital-Mentor nicht verwenden. Bitte wenden Sie sich an den Verband.`,
        )
      await page.close()
    } finally {
      site.close()
    }
  })
})

/** WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0)
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05)
}
