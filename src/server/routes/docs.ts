// GET /docs: the API reference. Swagger UI (served from this origin, no CDN) renders /openapi.json with
// its examples; until it has, and wherever its script is missing, the page lists every operation
// server-side with a link to the document, so it never shows a blank page.
import { Hono } from 'hono'
import { html } from 'hono/html'
import { notFound } from '../../errors.ts'
import { type OpenApiDocument, operationsOf } from '../openapi/document.ts'

/** Swagger UI's script and style, as the host read them; absent where the host serves them itself. */
export interface DocsAssets {
  script: string
  style: string
}

/**
 * Scripts and styles from this origin only, no inline script or style element, no eval. Swagger UI sets
 * styles through the DOM (allowed) and its stylesheet draws icons from data: SVGs, hence img-src data:.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Starts Swagger UI on the document; the server-side list stays if the bundle did not load. Deep links
// stay off: Swagger UI renders them as links inside each operation's toggle button (nested controls).
// What Swagger UI leaves unnamed or out of keyboard reach is fixed as it renders: its example pickers
// get a name, its scrolling code blocks a tab stop.
const initScript = `(() => {
  if (typeof window.SwaggerUIBundle !== 'function') return
  const label = () => {
    for (const select of document.querySelectorAll('select.examples-select-element:not([aria-label])'))
      select.setAttribute('aria-label', 'Example')
    for (const code of document.querySelectorAll('.highlight-code > pre:not([tabindex])')) {
      code.setAttribute('tabindex', '0')
      code.setAttribute('aria-label', 'Example value')
    }
  }
  new MutationObserver(label).observe(document.getElementById('reference'), { childList: true, subtree: true })
  window.ui = window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#reference',
    deepLinking: false,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    validatorUrl: null,
    layout: 'BaseLayout',
  })
})()
`

// The fallback list, and contrast fixes for Swagger UI's own colours (WCAG AA on white).
const style = `body { margin: 0; font-family: system-ui, sans-serif; color: #1b1f24; }
.docs-header { background: #0b4f8a; color: #fff; padding: .75rem 1.25rem; }
.docs-header a { color: #fff; }
.docs-header p { margin: 0; }
#reference { max-width: 1460px; margin: 0 auto; }
.fallback { padding: 0 1.25rem; }
.fallback li { margin: .3rem 0; }
.fallback .method { display: inline-block; min-width: 4.5rem; font-weight: 700; }
.swagger-ui .info .title small { background: #535b63; }
.swagger-ui .info .title small.version-stamp { background: #3d6b00; }
.swagger-ui .info .title small pre { color: #fff; }
.swagger-ui .info a, .swagger-ui .info .url { color: #0b4f8a; }
.swagger-ui .opblock .opblock-summary-path, .swagger-ui .opblock .opblock-summary-description { color: #1b1f24; }
.swagger-ui .opblock-tag small, .swagger-ui .parameter__in, .swagger-ui .response-col_links { color: #3b4151; }
.swagger-ui .btn.authorize { color: #176c45; border-color: #176c45; }
.swagger-ui .btn.authorize svg { fill: #176c45; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #176c45; }
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #0b5cad; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b3261e; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #8a4a00; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #1f6f66; }
`

export function docsPage(doc: OpenApiDocument) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} – reference</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="stylesheet" href="/docs/docs.css">
<script src="/docs/swagger-ui-bundle.js" defer></script>
<script src="/docs/docs.js" defer></script>
</head>
<body>
<header class="docs-header"><p>${doc.info.title} ${doc.info.version} · <a href="/openapi.json">openapi.json</a> · <a href="/">Demo</a></p></header>
<div id="reference">
<main class="fallback">
<h1>${doc.info.title}</h1>
<p>${doc.info.description ?? ''} The machine-readable document, with request and response examples, is at <a href="/openapi.json">/openapi.json</a>.</p>
<ul>
${operationsOf(doc).map(({ key, operation }) => {
  const [method, path] = key.split(' ')
  return html`<li><span class="method">${method}</span> <code>${path}</code> – ${operation.summary ?? ''}</li>`
})}
</ul>
</main>
</div>
</body>
</html>`
}

export function docsRoutes(document: () => OpenApiDocument, assets: DocsAssets | undefined) {
  const app = new Hono()
  app.get('/openapi.json', (c) => c.json(document()))
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP)
    return c.html(docsPage(document()))
  })
  app.get('/docs/docs.js', (c) =>
    c.body(initScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  )
  app.get('/docs/docs.css', (c) => c.body(style, 200, { 'content-type': 'text/css; charset=utf-8' }))
  const cached = { 'cache-control': 'public, max-age=86400' }
  app.get('/docs/swagger-ui-bundle.js', (c) => {
    if (!assets) throw notFound('The API reference’s script (it is read from swagger-ui-dist at start)')
    return c.body(assets.script, 200, { 'content-type': 'text/javascript; charset=utf-8', ...cached })
  })
  app.get('/docs/swagger-ui.css', (c) => {
    if (!assets) throw notFound('The API reference’s stylesheet (it is read from swagger-ui-dist at start)')
    return c.body(assets.style, 200, { 'content-type': 'text/css; charset=utf-8', ...cached })
  })
  return app
}
