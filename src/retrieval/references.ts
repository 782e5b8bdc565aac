// Corpus documents name each other by id ("siehe ki-verordnung-fristen"): stable for authors, a code
// for readers. Readers see the title instead: in stored passages (and so in answers and prompts) as a
// quoted title, on the knowledge pages as a link. A text names the version in its own language when
// there is one, whichever version's id its author wrote.
import type { CorpusDocument } from './corpus-loader.ts'

export interface ReferencedDocument {
  id: string
  title: string
  lang?: string
  /** The id of the original this document translates, if it is a translation. */
  translationOf?: string | undefined
}

export type ReferencePart = string | ReferencedDocument

export interface DocumentReferences {
  /** The text in plain parts and the documents it names (in `lang` where translated), in order. */
  split(text: string, lang?: string): ReferencePart[]
  /** The text with every document it names as its quoted title: „…“ in German, “…” in English. */
  asTitles(text: string, lang: string): string
  /** The ids of the documents the text names (in `lang` where translated), each once. */
  named(text: string, lang?: string): string[]
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function documentReferences(documents: readonly ReferencedDocument[]): DocumentReferences {
  const byId = new Map(documents.map((d) => [d.id, d]))
  const versions = new Map<string, ReferencedDocument[]>()
  for (const d of documents) {
    const original = d.translationOf ?? d.id
    versions.set(original, [...(versions.get(original) ?? []), d])
  }
  const inLanguage = (document: ReferencedDocument, lang?: string) =>
    !lang || document.lang === lang
      ? document
      : (versions.get(document.translationOf ?? document.id)?.find((d) => d.lang === lang) ?? document)
  // Longest first, so that "ki-verordnung-fristen-en" wins over "ki-verordnung-fristen". An id inside
  // an address or anchor ("/wissen/glossar", "#glossar") or a longer word is not a reference.
  const ids = [...byId.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp)
  const pattern = ids.length ? new RegExp(`(?<![\\w/#.-])(${ids.join('|')})(?![\\w-])`, 'g') : undefined

  const split = (text: string, lang?: string): ReferencePart[] => {
    if (!pattern) return [text]
    const parts: ReferencePart[] = []
    let last = 0
    for (const match of text.matchAll(pattern)) {
      const document = byId.get(match[1] ?? '')
      if (!document) continue
      if (match.index > last) parts.push(text.slice(last, match.index))
      parts.push(inLanguage(document, lang))
      last = match.index + match[0].length
    }
    if (last < text.length) parts.push(text.slice(last))
    return parts
  }

  return {
    split,
    asTitles: (text, lang) =>
      split(text, lang)
        .map((part) =>
          typeof part === 'string' ? part : lang === 'en' ? `“${part.title}”` : `„${part.title}“`,
        )
        .join(''),
    named: (text, lang) => [
      ...new Set(split(text, lang).flatMap((part) => (typeof part === 'string' ? [] : [part.id]))),
    ],
  }
}

/** The references among the documents of a corpus. */
export function corpusReferences(documents: readonly CorpusDocument[]): DocumentReferences {
  return documentReferences(
    documents.map(({ meta }) => ({
      id: meta.id,
      title: meta.title,
      lang: meta.lang,
      translationOf: meta.translation_of,
    })),
  )
}
