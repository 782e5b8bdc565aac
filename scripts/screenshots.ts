// `npm run screenshots`: the pictures in docs/screenshots/, taken in headless Chromium (Debian's, as the
// browser suite uses it; CHROMIUM_PATH to use another) from the real server on a fresh embedded
// database. One list of shots: a new page or viewport is one more entry in SHOTS.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { commandLine } from '../src/cli/command-line.ts'
import { runCli } from '../src/cli/run-cli.ts'
import { type Harness, startHarness } from '../tests/e2e/harness.ts'

export const SCREENSHOTS_DIR = 'docs/screenshots'

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 360, height: 740 }

export interface Shot {
  /** The file under docs/screenshots/. */
  file: string
  /** The page, from the server's root. */
  path: string
  viewport: { width: number; height: number }
  /** The page's language as the widget reads it (the demo page is German; `en` serves it as English). */
  lang?: 'de' | 'en'
  /** Brings the page into the state to show. */
  show?: (page: Page, h: Harness) => Promise<void>
}

const QUESTIONS = {
  de: 'Wie finde ich heraus, wo KI in meinem Betrieb sinnvoll ist?',
  en: 'How do we find out where AI makes sense in our company?',
}
const LABELS = {
  de: { open: 'Digital-Mentor öffnen', input: 'Ihre Frage an den Digital-Mentor' },
  en: { open: 'Open the Digital-Mentor', input: 'Your question to the Digital-Mentor' },
}

/** Opens the widget, asks a question and waits for the whole answer (its feedback buttons). */
const widgetAnswer = (lang: 'de' | 'en') => async (page: Page) => {
  await page.getByRole('button', { name: LABELS[lang].open }).click()
  const dialog = page.getByRole('dialog', { name: 'Digital-Mentor' })
  await dialog.locator('.msg.assistant').first().waitFor()
  const input = page.getByRole('textbox', { name: LABELS[lang].input })
  await input.fill(QUESTIONS[lang])
  await input.press('Enter')
  await dialog.locator('.feedback').waitFor({ timeout: 30_000 })
  // The stream's last words are in; the scroll settles.
  await page.waitForTimeout(500)
}

export const SHOTS: Shot[] = [
  ...(['de', 'en'] as const).flatMap((lang): Shot[] => [
    { file: `widget-desktop-${lang}.png`, path: '/', viewport: DESKTOP, lang, show: widgetAnswer(lang) },
    { file: `widget-phone-${lang}.png`, path: '/', viewport: PHONE, lang, show: widgetAnswer(lang) },
  ]),
  {
    file: 'api-docs.png',
    path: '/docs',
    viewport: DESKTOP,
    show: async (page) => {
      await page.locator('.opblock').first().waitFor()
    },
  },
  {
    file: 'api-docs-operation.png',
    path: '/docs',
    viewport: { width: 1280, height: 1000 },
    show: async (page) => {
      const operation = page.locator('#operations-Chat-post_v1_conversations__id__messages')
      await operation.locator('.opblock-summary-control').click()
      await operation.locator('.responses-wrapper').waitFor()
      // Scrolled to the operation, without the click's focus ring and hover.
      await page.evaluate(() => {
        ;(document.activeElement as HTMLElement | null)?.blur()
        document.querySelector('#operations-Chat-post_v1_conversations__id__messages')?.scrollIntoView()
      })
      await page.mouse.move(0, 0)
    },
  },
]

async function take(h: Harness, shot: Shot): Promise<void> {
  const page = await h.browser.newPage({ viewport: shot.viewport })
  try {
    if (shot.lang === 'en') {
      // The same page in English, as an English-speaking association's site would be.
      await page.route(`${h.base}${shot.path}`, async (route) => {
        const response = await route.fetch()
        const body = (await response.text()).replace('<html lang="de">', '<html lang="en">')
        await route.fulfill({ response, body })
      })
    }
    await page.goto(`${h.base}${shot.path}`)
    await shot.show?.(page, h)
    await page.screenshot({ path: join(SCREENSHOTS_DIR, shot.file) })
    console.log(`${SCREENSHOTS_DIR}/${shot.file}`)
  } finally {
    await page.close()
  }
}

await runCli(async () => {
  const { positionals } = commandLine('screenshots', {}, { positionals: true })
  const only = new Set(positionals)
  const unknown = positionals.filter((name) => !SHOTS.some((shot) => shot.file === name))
  if (unknown.length) throw new Error(`No such screenshot: ${unknown.join(', ')}`)
  await mkdir(SCREENSHOTS_DIR, { recursive: true })
  const h = await startHarness()
  try {
    for (const shot of SHOTS) if (only.size === 0 || only.has(shot.file)) await take(h, shot)
  } finally {
    await h.stop()
  }
})
