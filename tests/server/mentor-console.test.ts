// The console page is served with a strict CSP, carries no inline script, and its script is valid.
import { describe, expect, it } from 'vitest'
import { pgliteAdapter } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

describe('mentor console assets', () => {
  it('serves page, script and style under a CSP that allows only this origin', async () => {
    const t = await pgliteAdapter.open()
    try {
      const { app } = await createTestApp(t.database)
      const page = await app.request('/mentor')
      expect(page.status).toBe(200)
      const csp = page.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("default-src 'none'")
      expect(csp).not.toContain('unsafe-inline')
      const html = await page.text()
      // Only the external module and the JSON data block: no script the browser would run inline.
      const scripts = html.match(/<script[^>]*>/g) ?? []
      expect(scripts).toEqual([
        '<script type="application/json" id="console-texts">',
        '<script type="module" src="/mentor/console.js">',
      ])
      const script = await app.request('/mentor/console.js')
      expect(script.headers.get('content-type')).toContain('text/javascript')
      const source = await script.text()
      expect(() => new Function(source)).not.toThrow()
      expect(source).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/)
      expect((await app.request('/mentor/console.css')).status).toBe(200)
    } finally {
      await t.dispose()
    }
  })
})
