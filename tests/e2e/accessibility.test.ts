// Automated accessibility check with axe-core in Chromium: the demo page with the widget open (German
// and on a phone), the mentor console (sign-in, queue, ticket, insights with charts, draft, setup page)
// and a knowledge page have no serious or critical violations; so has the API reference at /docs, which
// is also checked to render every operation of the OpenAPI document under its CSP. axe is injected into
// each page as the browser suite finds it.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.ts'

type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The serious and critical violations on the page as it is now, as "rule: help (targets)". */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(await axeSource)
  const found = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }
    ).axe
    return (await axe.run(document)).violations
  })) as Violation[]
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`)
}

describe('accessibility (axe-core)', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h?.stop()
  })

  it('the demo page with the widget open and an answer, on a desktop and on a phone', async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      const page = await h.browser.newPage({ viewport })
      await page.goto(`${h.base}/`)
      await page.getByRole('button', { name: 'Digital-Mentor öffnen' }).click()
      const dialog = page.getByRole('dialog', { name: 'Digital-Mentor' })
      await expect.poll(() => dialog.locator('.msg.assistant').count()).toBe(1)
      const input = page.getByRole('textbox', { name: 'Ihre Frage an den Digital-Mentor' })
      await input.fill('Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?')
      await input.press('Enter')
      await expect.poll(() => dialog.locator('.feedback').count(), { timeout: 15_000 }).toBe(1)
      expect(await violations(page), `${viewport.width} px`).toEqual([])
      await page.close()
    }
  })

  it('the mentor console: sign-in, queue and a ticket', async () => {
    const created = await fetch(`${h.base}/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"locale":"de"}',
    })
    const conversation = (await created.json()) as { id: string; token: string }
    await fetch(`${h.base}/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Muss unser Betriebsrat der Einführung von KI zustimmen?' }),
    })
    const page = await h.browser.newPage()
    await page.goto(`${h.base}/mentor`)
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
    expect(await violations(page), 'sign-in').toEqual([])
    await page.getByLabel('Mentor-Token').fill(h.mentorToken)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    const ticket = page.getByRole('link', { name: 'Muss unser Betriebsrat der Einführung von KI zustimmen?' })
    await ticket.waitFor()
    expect(await violations(page), 'queue').toEqual([])
    await ticket.click()
    await page.getByRole('heading', { name: /\(offen\)/ }).waitFor()
    expect(await violations(page), 'ticket').toEqual([])
    await page.close()
  })

  it('the mentor console: insights with charts and the draft view', async () => {
    const page = await h.browser.newPage()
    await page.goto(`${h.base}/mentor`)
    await page.getByLabel('Mentor-Token').fill(h.mentorToken)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.getByRole('heading', { name: 'Übergaben' }).waitFor()
    await page.getByRole('link', { name: 'Einblicke' }).click()
    await expect.poll(() => page.locator('svg.chart[role=img]').count()).toBe(3)
    expect(await violations(page), 'insights').toEqual([])
    // With the values opened as tables.
    for (const summary of await page.locator('.chart-figure summary').all()) await summary.click()
    expect(await violations(page), 'insights with tables').toEqual([])
    await page.getByRole('link', { name: 'Freie Frage' }).click()
    await page
      .getByLabel('Frage', { exact: true })
      .fill('Wie finde ich KI-Anwendungsfälle in meinem Betrieb?')
    await page.getByRole('button', { name: 'Entwurf erstellen' }).click()
    await expect.poll(() => page.locator('.sources li').count()).toBeGreaterThan(0)
    expect(await violations(page), 'draft').toEqual([])
    await page.close()
  })

  it('the setup page of a fresh installation, before and after the admin is created', async () => {
    const page = await h.browser.newPage()
    await page.goto(h.setupUrl)
    await page.getByRole('heading', { name: 'Ersten Admin-Zugang einrichten' }).waitFor()
    expect(await violations(page), 'setup form').toEqual([])
    await page.getByLabel('Ihr Name').fill('Carla Admin')
    await page.getByLabel('Ihre E-Mail-Adresse').fill('carla@verband.example')
    await page.getByRole('button', { name: 'Admin-Zugang anlegen' }).click()
    await page.getByRole('heading', { name: 'Ihr Admin-Zugang ist angelegt' }).waitFor()
    expect(await violations(page), 'setup done').toEqual([])
    await page.close()
  })

  it('a knowledge page', async () => {
    const page = await h.browser.newPage()
    const res = await page.goto(`${h.base}/wissen/anwendungsfaelle-finden`)
    expect(res?.status()).toBe(200)
    expect(await violations(page)).toEqual([])
    await page.close()
  })

  it('the API reference: every operation rendered under its CSP, an opened one with its examples', async () => {
    const doc = (await (await fetch(`${h.base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const operations = Object.values(doc.paths).flatMap((methods) => Object.keys(methods)).length
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const refused: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') refused.push(m.text())
    })
    page.on('pageerror', (e) => refused.push(e.message))
    await page.goto(`${h.base}/docs`)
    // Swagger UI replaces the server-side list with its own blocks, one per operation.
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 15_000 }).toBe(operations)
    expect(await page.locator('.fallback').count()).toBe(0)
    const messages = page.locator('#operations-Chat-post_v1_conversations__id__messages')
    await messages.locator('.opblock-summary-control').click()
    await messages.getByText('Wie finde ich KI-Anwendungsfälle?').waitFor()
    await messages.getByText('"not_found"').first().waitFor()
    expect(await violations(page)).toEqual([])
    expect(refused).toEqual([])
    await page.close()
  })
})
