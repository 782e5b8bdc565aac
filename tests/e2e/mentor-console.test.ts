// The mentor loop in a real browser: a user's works-council question is handed over, a mentor signs in
// to the console with the keyboard, claims the ticket, drafts with AI, edits and sends, and the user's
// transcript shows the reply. Runs the real server (embedded database, offline) and Debian's Chromium.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTE_CLASSES } from '../../src/agents/router/route-class.ts'
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
    // The reminder to check the draft is on the page once, beside the reply.
    await expect.poll(() => page.getByText('KI-Entwurf: bitte prüfen').count()).toBe(1)
    // The draft is a letter signed by the mentor; each source names its document's title once.
    const draftLines = (await reply.inputValue()).split('\n')
    expect(draftLines[0]).toBe('Guten Tag,')
    expect(draftLines.at(-1)).toBe('Anna Berg')
    for (const source of await page.locator('.sources li').allTextContents()) {
      const title = source.split(' – ')[0] ?? ''
      expect(source.indexOf(title, title.length)).toBe(-1)
    }

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

  it('clears its status line, speaks German throughout, shows open tickets, refreshes, asks before closing and names who has a ticket', async () => {
    const mentor = { authorization: `Bearer ${h.mentorToken}`, 'content-type': 'application/json' }
    const handOver = async (question: string) => {
      const created = await fetch(`${h.base}/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"locale":"de"}',
      })
      const conversation = (await created.json()) as { id: string; token: string }
      await fetch(`${h.base}/v1/conversations/${conversation.id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: question }),
      })
      const queue = (await (
        await fetch(`${h.base}/v1/handoffs?status=open`, { headers: mentor })
      ).json()) as {
        handoffs: Array<{ id: string; question: string }>
      }
      return queue.handoffs.find((x) => x.question === question)?.id ?? ''
    }
    const closedQuestion = 'Darf der Betriebsrat die Einführung eines KI-Chatbots blockieren?'
    const closedId = await handOver(closedQuestion)
    await fetch(`${h.base}/v1/handoffs/${closedId}/close`, { method: 'POST', headers: mentor })
    const question = 'Muss der Betriebsrat bei KI-Software zur Schichtplanung mitbestimmen?'
    const id = await handOver(question)
    expect(id).not.toBe('')

    const page = await h.browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    await page.clock.install()
    await page.goto(`${h.base}/mentor`)
    const live = page.locator('#live')

    // A wrong token is reported; after the right one the report is gone.
    await page.getByLabel('Mentor-Token').fill('falsch')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await expect.poll(() => live.textContent()).toBe('Dieses Token ist nicht gültig.')
    await page.getByLabel('Mentor-Token').fill(h.mentorToken)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.getByRole('heading', { name: 'Übergaben' }).waitFor()
    expect(await live.textContent()).toBe('')

    // The queue opens on open tickets: the closed one is not in it.
    expect(await page.locator('#status-filter').inputValue()).toBe('open')
    await page.getByRole('link', { name: question }).waitFor()
    expect(await page.getByRole('link', { name: closedQuestion }).count()).toBe(0)
    // A new ticket appears by itself.
    const later = 'Unser Betriebsrat verlangt eine Betriebsvereinbarung zur KI. Müssen wir zustimmen?'
    await handOver(later)
    expect(await page.getByRole('link', { name: later }).count()).toBe(0)
    await page.clock.runFor(31_000)
    await expect.poll(() => page.getByRole('link', { name: later }).count()).toBe(1)

    // The router's reason in German; no service notice or greeting in the transcript.
    const detail = (await (await fetch(`${h.base}/v1/handoffs/${id}`, { headers: mentor })).json()) as {
      routerReasons: { de: string; en: string }
    }
    expect(detail.routerReasons.de).not.toBe(detail.routerReasons.en)
    await page.getByRole('link', { name: question }).click()
    await page.getByRole('heading', { name: /\(offen\)/ }).waitFor()
    expect(await page.locator('dd').first().textContent()).toBe(detail.routerReasons.de)
    expect(await page.locator('.transcript .msg.system').count()).toBe(0)
    expect(await page.locator('.transcript .msg').first().textContent()).toContain(question)

    // Someone claims it first (here through the API): the console says who has it, in German.
    await fetch(`${h.base}/v1/handoffs/${id}/claim`, { method: 'POST', headers: mentor })
    await page.getByRole('button', { name: 'Übernehmen' }).click()
    await expect.poll(() => live.textContent()).toBe('Diese Übergabe hat inzwischen Anna Berg übernommen.')
    await page.getByRole('heading', { name: /\(übernommen\)/ }).waitFor()

    // Switching the language clears the German status line and shows the English reason.
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: /\(claimed\)/ }).waitFor()
    expect(await live.textContent()).toBe('')
    expect(await page.locator('dd').first().textContent()).toBe(detail.routerReasons.en)
    await page.getByRole('button', { name: 'Deutsch' }).click()
    await page.getByRole('heading', { name: /\(übernommen\)/ }).waitFor()

    // "Abschließen" asks first; "Abbrechen" leaves the ticket as it is.
    await page.getByRole('button', { name: 'Abschließen' }).click()
    const confirm = page.getByRole('group', { name: 'Abschließen' })
    await expect.poll(() => confirm.textContent()).toContain('Diese Übergabe abschließen?')
    await confirm.getByRole('button', { name: 'Abbrechen' }).click()
    expect(await confirm.isVisible()).toBe(false)
    await page.getByRole('button', { name: 'Abschließen' }).click()
    await confirm.getByRole('button', { name: 'Ja, abschließen' }).click()
    await page.getByRole('heading', { name: /\(abgeschlossen\)/ }).waitFor()
    await expect.poll(() => live.textContent()).toBe('Die Übergabe ist abgeschlossen.')

    // A server refusal in the console's words, not the server's English.
    await page.getByRole('link', { name: 'Freie Frage' }).click()
    await page.getByLabel('Frage', { exact: true }).fill('KI')
    await page.getByRole('button', { name: 'Entwurf erstellen' }).click()
    await expect.poll(() => live.textContent()).toBe('Das hat nicht geklappt: Bitte prüfen Sie Ihre Eingabe.')

    // Insights name every count in words, no raw key.
    await page.getByRole('link', { name: 'Einblicke' }).click()
    await page.getByRole('heading', { name: /Einblicke/ }).waitFor()
    const labels = await page.locator('th[scope=row]').allTextContents()
    expect(labels.length).toBeGreaterThan(0)
    for (const key of [...ROUTE_CLASSES, 'unrouted', 'open', 'claimed', 'answered', 'closed', 'withdrawn'])
      expect(labels).not.toContain(key)
    // Three charts drawn by the console itself, each named and summed up in words, the values as a table.
    await expect.poll(() => page.locator('svg.chart[role=img]').count()).toBe(3)
    expect(await page.locator('#chart-chats-desc').textContent()).toMatch(/^Insgesamt \d+; die meisten am /)
    expect(await page.locator('#chart-handoffs rect').count()).toBeGreaterThan(0)
    expect(await page.locator('#chart-handoffs .legend li').first().textContent()).toMatch(
      /^Betriebsrat und Mitbestimmung: \d+$/,
    )
    await page.locator('#chart-chats summary').click()
    expect(await page.locator('#chart-chats table tbody tr').count()).toBeGreaterThan(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('creates the first admin through the one-time setup link, shows the token once and refuses the link afterwards', async () => {
    expect(h.setupUrl).toMatch(new RegExp(`^${h.base}/mentor/setup#[A-Za-z0-9_-]{43}$`))
    const page = await h.browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    await page.goto(h.setupUrl)
    await page.getByRole('heading', { name: 'Ersten Admin-Zugang einrichten' }).waitFor()
    // The token leaves the address bar at once.
    expect(page.url()).toBe(`${h.base}/mentor/setup`)
    await page.getByLabel('Ihr Name').fill('Carla Admin')
    await page.getByLabel('Ihre E-Mail-Adresse').fill('carla@verband.example')
    await page.getByRole('button', { name: 'Admin-Zugang anlegen' }).click()
    await page.getByRole('heading', { name: 'Ihr Admin-Zugang ist angelegt' }).waitFor()
    const token = await page.getByLabel('Ihr Admin-Token').inputValue()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await page.screenshot({ path: join(ARTIFACTS, 'mentor-setup-done.png'), fullPage: true })

    // The token is an admin's.
    const accounts = await fetch(`${h.base}/v1/admin/mentors`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(accounts.status).toBe(200)
    expect(await accounts.json()).toMatchObject({
      mentors: expect.arrayContaining([expect.objectContaining({ name: 'Carla Admin', role: 'admin' })]),
    })
    // Continuing signs the admin in.
    await page.getByRole('button', { name: 'Token gespeichert – weiter zum Mentor-Bereich' }).click()
    await page.getByRole('heading', { name: 'Übergaben' }).waitFor()
    await page.close()

    // The link works once.
    const again = await h.browser.newPage()
    again.on('pageerror', (error) => problems.push(error.message))
    await again.goto(h.setupUrl)
    await again.getByLabel('Ihr Name').fill('Eve')
    await again.getByLabel('Ihre E-Mail-Adresse').fill('eve@example.org')
    await again.getByRole('button', { name: 'Admin-Zugang anlegen' }).click()
    await expect
      .poll(() => again.locator('#live').textContent())
      .toMatch(/^Das hat nicht geklappt: Dieser Einrichtungslink gilt nicht \(mehr\)/)
    expect(problems).toEqual([])
    await again.close()
  })
})
