// The small Markdown subset answers use, turned into DOM nodes: paragraphs, line breaks, **bold**,
// bulleted and numbered lists. Text only ever becomes text nodes; nothing is parsed as HTML.

function inline(parent: HTMLElement, text: string): void {
  const parts = text.split(/(\*\*[^*]+\*\*)/)
  for (const part of parts) {
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) {
      const strong = document.createElement('strong')
      strong.textContent = part.slice(2, -2)
      parent.append(strong)
    } else if (part) parent.append(document.createTextNode(part))
  }
}

export function renderMarkdown(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment()
  for (const block of text.trim().split(/\n\s*\n/)) {
    const lines = block.split('\n')
    const bullet = lines.every((l) => /^\s*[-*]\s+/.test(l))
    const numbered = lines.every((l) => /^\s*\d+\.\s+/.test(l))
    if (bullet || numbered) {
      const list = document.createElement(numbered ? 'ol' : 'ul')
      for (const line of lines) {
        const item = document.createElement('li')
        inline(item, line.replace(/^\s*([-*]|\d+\.)\s+/, ''))
        list.append(item)
      }
      fragment.append(list)
      continue
    }
    const p = document.createElement('p')
    lines.forEach((line, i) => {
      if (i > 0) p.append(document.createElement('br'))
      inline(p, line)
    })
    fragment.append(p)
  }
  return fragment
}
