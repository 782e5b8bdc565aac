// A corpus document as a readable web page (/wissen/{id}): its Markdown as escaped HTML, headings
// with anchors that citations link to, its "Stand" date and its own sources. No script, no markup
// from the document: every piece of text is escaped before it becomes HTML.
import type { CorpusDocument } from '../retrieval/corpus-loader.ts'
import type { DocumentReferences } from '../retrieval/references.ts'
import { slugOf } from '../text/slug.ts'
import { knowledgeTexts } from './texts.ts'

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

/** Text with the documents it names as links to their pages (titled), or as it is without `references`. */
function linked(text: string, references?: DocumentReferences, lang?: string): string {
  if (!references) return escapeHtml(text)
  return references
    .split(text, lang)
    .map((part) =>
      typeof part === 'string'
        ? escapeHtml(part)
        : `<a href="/wissen/${encodeURIComponent(part.id)}">${escapeHtml(part.title)}</a>`,
    )
    .join('')
}

/** **bold**, bare https addresses and named documents as links; everything else is text. */
function inlineText(text: string, references?: DocumentReferences, lang?: string): string {
  return text
    .split(/(\*\*[^*]+\*\*|https:\/\/[^\s)<>"]+[^\s)<>".,;:])/)
    .map((part) => {
      if (part.startsWith('**') && part.endsWith('**') && part.length > 4)
        return `<strong>${linked(part.slice(2, -2), references, lang)}</strong>`
      if (part.startsWith('https://'))
        return `<a href="${escapeHtml(part)}" rel="noopener noreferrer">${escapeHtml(part)}</a>`
      return linked(part, references, lang)
    })
    .join('')
}

const LIST_LINE = /^\s*([-*]|\d+\.)\s+/
const HEADING = /^(#{1,4})\s+(.*)$/

/** The Markdown the corpus uses: headings, paragraphs, lists and pipe tables; question blocks left out. */
export function renderBody(markdown: string, references?: DocumentReferences, lang?: string): string {
  const inline = (text: string) => inlineText(text, references, lang)
  const out: string[] = []
  const used = new Set<string>()
  const lines = markdown.split(/\r?\n/)
  let paragraph: string[] = []
  let list: { tag: 'ul' | 'ol'; items: string[] } | undefined
  let table: string[][] | undefined
  const flush = () => {
    if (paragraph.length) out.push(`<p>${paragraph.map(inline).join('<br>')}</p>`)
    paragraph = []
    if (list)
      out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`)
    list = undefined
    if (table) out.push(tableHtml(table, inline))
    table = undefined
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.startsWith('```')) {
      // Fenced blocks are the sections' example questions: for retrieval, not for readers.
      flush()
      while (i + 1 < lines.length && !(lines[i + 1] ?? '').startsWith('```')) i++
      i++
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      flush()
      const level = Math.min(4, (heading[1] ?? '#').length)
      const text = heading[2] ?? ''
      let id = slugOf(text) || 'abschnitt'
      for (let n = 2; used.has(id); n++) id = `${slugOf(text)}-${n}`
      used.add(id)
      out.push(
        level === 1
          ? `<h1 id="${id}">${escapeHtml(text)}</h1>`
          : `<h${level} id="${id}">${escapeHtml(text)} <a class="anchor" href="#${id}" aria-label="${escapeHtml(text)}">#</a></h${level}>`,
      )
      continue
    }
    if (/^\s*\|/.test(line)) {
      if (paragraph.length || list) flush()
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim())
      if (cells.every((c) => /^:?-{2,}:?$/.test(c))) continue
      table ??= []
      table.push(cells)
      continue
    }
    if (LIST_LINE.test(line)) {
      const tag = /^\s*\d+\./.test(line) ? 'ol' : 'ul'
      if (paragraph.length || table || (list && list.tag !== tag)) flush()
      list ??= { tag, items: [] }
      list.items.push(line.replace(LIST_LINE, ''))
      continue
    }
    if (!line.trim()) {
      flush()
      continue
    }
    if (list || table) flush()
    paragraph.push(line.trim())
  }
  flush()
  return out.join('\n')
}

function tableHtml(rows: string[][], inline: (text: string) => string): string {
  const [head, ...body] = rows
  const cells = (row: string[], tag: 'th' | 'td') =>
    `<tr>${row.map((c) => `<${tag}${tag === 'th' ? ' scope="col"' : ''}>${inline(c)}</${tag}>`).join('')}</tr>`
  return `<table><thead>${cells(head ?? [], 'th')}</thead><tbody>${body.map((r) => cells(r, 'td')).join('')}</tbody></table>`
}

/** "1. Dezember 2026" / "1 December 2026". */
function dayOf(date: string, lang: 'de' | 'en'): string {
  const at = new Date(`${date}T12:00:00Z`)
  if (Number.isNaN(at.getTime())) return date
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(at)
}

/**
 * The whole page; `translation` is the id of the same document in the other language, if any;
 * `references` turns the documents the text names into links.
 */
export function renderKnowledgePage(
  document: CorpusDocument,
  translation?: string,
  references?: DocumentReferences,
): string {
  const { meta } = document
  const lang = meta.lang === 'en' ? 'en' : 'de'
  const t = knowledgeTexts[lang]
  const reviewed = String(meta.reviewed)
  const reviewBy = meta.review_by ? String(meta.review_by) : undefined
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title)} – ${escapeHtml(t.site)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/wissen.css">
</head>
<body>
<header><p class="site">${escapeHtml(t.site)}</p><nav><a href="/">${escapeHtml(t.back)}</a>${
    translation
      ? ` <a href="/wissen/${encodeURIComponent(translation)}" lang="${lang === 'de' ? 'en' : 'de'}">${escapeHtml(t.translation)}</a>`
      : ''
  }</nav></header>
<main>
<p class="stand">${escapeHtml(t.reviewed)}: <time datetime="${escapeHtml(reviewed)}">${escapeHtml(dayOf(reviewed, lang))}</time>${
    reviewBy
      ? ` · ${escapeHtml(t.reviewBy)} <time datetime="${escapeHtml(reviewBy)}">${escapeHtml(dayOf(reviewBy, lang))}</time>`
      : ''
  }</p>
${renderBody(document.body, references, lang)}
<section aria-labelledby="quellen">
<h2 id="quellen">${escapeHtml(t.sources)}</h2>
<ul class="sources">${meta.sources.map((s) => `<li>${inlineText(s, references, lang)}</li>`).join('')}</ul>
${meta.url ? `<p><a href="${escapeHtml(meta.url)}" rel="noopener noreferrer">${escapeHtml(t.source)}</a></p>` : ''}
</section>
<p class="note">${escapeHtml(t.note)}</p>
</main>
</body>
</html>
`
}

export const KNOWLEDGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const knowledgeStyle = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; background: #fff; line-height: 1.6; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem;
  padding: .8rem 1.5rem; background: #0b4f8a; color: #fff; }
header a { color: #fff; margin-left: 1rem; }
.site { font-weight: bold; margin: 0; }
main { max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; line-height: 1.3; }
h2 { font-size: 1.25rem; margin-top: 2rem; }
.anchor { color: #535b63; text-decoration: none; font-weight: normal; }
.stand { color: #535b63; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th, td { border: 1px solid #c4c9ce; padding: .4rem; text-align: left; vertical-align: top; }
a { color: #0b4f8a; overflow-wrap: anywhere; }
a:focus-visible { outline: 3px solid #1b1f24; outline-offset: 2px; }
header a:focus-visible { outline-color: #fff; }
:target { background: #fff8e1; }
.note { margin-top: 2rem; font-size: .9rem; color: #535b63; }
`
