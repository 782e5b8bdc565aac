// The corpus checked as advice people act on: references to other documents that do not exist (an
// error), sources that cannot be verified, sections without their questions block, and documents past
// their `review_by` date (warnings). Invalid questions blocks are errors of the loader.

import { sectionQuestions } from './chunker.ts'
import type { CorpusDocument } from './corpus-loader.ts'

export interface CorpusFinding {
  level: 'error' | 'warning'
  file: string
  problem: string
}

/**
 * How a document refers to another in its text: the id after "Dokument", "document", "siehe", "see",
 * "Termin(e):" or "dates:", or an id alone in brackets, e.g. "(Termine: ki-verordnung-fristen)".
 */
const REFERENCE =
  /(?:\b(?:Dokument|Dokuments|document|siehe|see|Termine?:|dates?:)\s+|\()([a-z0-9]+(?:-[a-z0-9]+){1,8})(?=[)\s.,;:])/g

/**
 * A source someone can check: an address; a statute, ruling or official act named by its number;
 * or the label of the corpus's own practical guidance ("Fachpraxis", "practice").
 */
const VERIFIABLE = [
  /https?:\/\/\S+/,
  /§\s?\d|\bArt\.\s?\d|\bArticle \d|\bAbs\.\s?\d|\bNr\.\s?\d/,
  /\b(BetrVG|BDSG|DSGVO|GDPR|AGG|ArbSchG|ArbZG|RDG|BFSG|UrhG|KSchG|SGB|TzBfG|BGB)\b/,
  /\b(Verordnung|Regulation|Richtlinie|Directive) \(EU\)|\b(EU) \d{4}\/\d+|\b\d{4}\/\d+\/(EG|EU|EWG|EC)\b/,
  /\bC-\d+\/\d{2}\b|\b\d+ [A-Z]{1,4}[a-z]{0,3} \d+\/\d{2}\b|\b(BAG|EuGH|CJEU|ArbG|LAG|BVerfG)\b/,
  /^Fachpraxis\b|^(Own )?practice\b|\bFachpraxis:/i,
]

export function checkCorpus(documents: readonly CorpusDocument[], today: string): CorpusFinding[] {
  const ids = new Set(documents.map((d) => d.meta.id))
  const findings: CorpusFinding[] = []
  for (const doc of documents) {
    const file = doc.path
    for (const match of doc.body.matchAll(REFERENCE)) {
      const id = match[1] ?? ''
      if (!ids.has(id) && looksLikeDocumentId(id, ids))
        findings.push({ level: 'error', file, problem: `refers to "${id}", which is not in the corpus` })
    }
    for (const source of doc.meta.sources) {
      if (!VERIFIABLE.some((pattern) => pattern.test(source)))
        findings.push({
          level: 'warning',
          file,
          problem: `source "${source}" names no address, statute, ruling or official act (or "Fachpraxis")`,
        })
    }
    const sections = sectionQuestions(doc.body).filter((section) => section.level === 2)
    const without = sections.filter((section) => section.questions.length === 0)
    if (without.length > 0)
      findings.push({
        level: 'warning',
        file,
        problem: `${without.length} of ${sections.length} sections have no questions block (first: "${without[0]?.heading}")`,
      })
    if (doc.meta.review_by && doc.meta.review_by < today)
      findings.push({ level: 'warning', file, problem: `review was due on ${doc.meta.review_by}` })
  }
  return findings
}

/** An id-shaped word is a reference only if it starts like some document's id ("ki-", "bewertung-"). */
function looksLikeDocumentId(word: string, ids: ReadonlySet<string>): boolean {
  const head = word.split('-')[0] ?? ''
  return [...ids].some((id) => id.split('-')[0] === head) && word.split('-').length >= 2
}
