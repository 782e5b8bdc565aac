// The mentor console at /mentor (and its setup page at /mentor/setup): one page, its script and its
// style, under a strict CSP.
import { Hono } from 'hono'
import {
  CONSOLE_CSP,
  consoleIcon,
  consolePage,
  consoleScript,
  consoleStyle,
} from '../console/console-page.ts'

export function mentorConsoleRoutes() {
  const app = new Hono()
  app.use('/mentor*', async (c, next) => {
    await next()
    c.header('Content-Security-Policy', CONSOLE_CSP)
    c.header('Cache-Control', 'no-store')
  })
  app.get('/mentor', (c) => c.html(consolePage))
  // The one-time setup link of a fresh installation opens the same page; its token is the fragment.
  app.get('/mentor/setup', (c) => c.html(consolePage))
  app.get('/mentor/console.js', (c) =>
    c.body(consoleScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  )
  app.get('/mentor/console.css', (c) =>
    c.body(consoleStyle, 200, { 'content-type': 'text/css; charset=utf-8' }),
  )
  app.get('/mentor/icon.svg', (c) => c.body(consoleIcon, 200, { 'content-type': 'image/svg+xml' }))
  return app
}
