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

const LIST_LINE = /^\s*([-*]|\d+\.)\s+/

/**
 * Paragraphs and lists. A block may hold both: the line that introduces a list stays a paragraph and
 * the items after it become the list ("Das Vorgehen hat drei Schritte:" then "1. …").
 */
export function renderMarkdown(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment()
  for (const block of text.trim().split(/\n\s*\n/)) {
    let paragraph: HTMLElement | undefined
    let list: HTMLElement | undefined
    for (const line of block.split('\n')) {
      if (LIST_LINE.test(line)) {
        const numbered = /^\s*\d+\./.test(line)
        if (!list || (list.tagName === 'OL') !== numbered) {
          list = document.createElement(numbered ? 'ol' : 'ul')
          fragment.append(list)
        }
        const item = document.createElement('li')
        inline(item, line.replace(LIST_LINE, ''))
        list.append(item)
        paragraph = undefined
        continue
      }
      list = undefined
      if (paragraph) paragraph.append(document.createElement('br'))
      else {
        paragraph = document.createElement('p')
        fragment.append(paragraph)
      }
      inline(paragraph, line)
    }
  }
  return fragment
}
