// GET /docs: the API reference as one self-contained HTML page, rendered from the OpenAPI document.
import { createHash } from 'node:crypto'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string }
  paths: Record<
    string,
    Record<
      string,
      { summary?: string; tags?: string[]; requestBody?: unknown; responses?: unknown; security?: unknown[] }
    >
  >
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.6rem}h2{font-size:1.1rem;margin-top:2rem}code,pre{font-family:ui-monospace,monospace;font-size:13px}
.op{border:1px solid #d5dbe1;border-radius:6px;padding:.6rem .9rem;margin:.6rem 0}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}
details pre{background:#f4f6f8;padding:.6rem;overflow:auto}`

/**
 * No script and no external resource: the page is safe under a CSP that forbids both. Its one inline
 * style element is allowed by its hash, so that no other inline style (an injected one) applies.
 */
export const DOCS_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

export function renderDocsPage(doc: OpenApiDocument): HtmlEscapedString | Promise<HtmlEscapedString> {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  )
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${doc.info.title}</title><style>${raw(STYLE)}</style></head>
<body>
<h1>${doc.info.title} <small>${doc.info.version}</small></h1>
<p>${doc.info.description ?? ''} The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
${operations.map(
  ({ path, method, op }) => html`<div class="op">
  <div><span class="m">${method}</span> <code>${path}</code>${op.security ? html` <small>(bearer token)</small>` : ''}</div>
  <div>${op.summary ?? ''}</div>
  ${op.requestBody ? html`<details><summary>Request</summary><pre>${JSON.stringify(op.requestBody, null, 2)}</pre></details>` : ''}
  <details><summary>Responses</summary><pre>${JSON.stringify(op.responses ?? {}, null, 2)}</pre></details>
</div>`,
)}
</body></html>`
}
