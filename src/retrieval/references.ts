// Corpus documents name each other by id ("siehe ki-verordnung-fristen"): stable for authors, a code
// for readers. Readers see the title instead: in stored passages (and so in answers and prompts) as a
// quoted title, on the knowledge pages as a link.

export interface ReferencedDocument {
  id: string
  title: string
}

export type ReferencePart = string | ReferencedDocument

export interface DocumentReferences {
  /** The text in plain parts and the documents it names, in order. */
  split(text: string): ReferencePart[]
  /** The text with every document it names as its quoted title: „…“ in German, “…” in English. */
  asTitles(text: string, lang: string): string
  /** The ids the text names, each once. */
  named(text: string): string[]
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function documentReferences(documents: readonly ReferencedDocument[]): DocumentReferences {
  const byId = new Map(documents.map((d) => [d.id, d]))
  // Longest first, so that "ki-verordnung-fristen-en" wins over "ki-verordnung-fristen". An id inside
  // an address or anchor ("/wissen/glossar", "#glossar") or a longer word is not a reference.
  const ids = [...byId.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp)
  const pattern = ids.length ? new RegExp(`(?<![\\w/#.-])(${ids.join('|')})(?![\\w-])`, 'g') : undefined

  const split = (text: string): ReferencePart[] => {
    if (!pattern) return [text]
    const parts: ReferencePart[] = []
    let last = 0
    for (const match of text.matchAll(pattern)) {
      const document = byId.get(match[1] ?? '')
      if (!document) continue
      if (match.index > last) parts.push(text.slice(last, match.index))
      parts.push(document)
      last = match.index + match[0].length
    }
    if (last < text.length) parts.push(text.slice(last))
    return parts
  }

  return {
    split,
    asTitles: (text, lang) =>
      split(text)
        .map((part) =>
          typeof part === 'string' ? part : lang === 'en' ? `“${part.title}”` : `„${part.title}“`,
        )
        .join(''),
    named: (text) => [...new Set(split(text).flatMap((part) => (typeof part === 'string' ? [] : [part.id])))],
  }
}
